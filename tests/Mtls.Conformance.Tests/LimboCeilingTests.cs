using Mtls.Conformance;
using Xunit.Abstractions;

namespace Mtls.Conformance.Tests;

/// <summary>
/// Runs all of x509-limbo through mtls's validator and fails when mismatches or skipped cases rise above
/// the ceilings kept in tests/Mtls.Conformance/ceiling.txt (a ratchet: lower them when you improve).
/// </summary>
public sealed class LimboCeilingTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Conformance")]
    public void Mismatches_and_skips_stay_under_their_ceilings()
    {
        var ceilings = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "ceiling.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', 2))
            .ToDictionary(p => p[0], p => int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));
        var report = Runner.Run(LimboCase.Load(Runner.DefaultLimboPath()), new MtlsHarness());
        var text = new StringWriter();
        report.Print(text);
        foreach (var (c, v) in report.Mismatches) text.WriteLine($"  MISMATCH {c.Id}: expected {c.ExpectedResult}: {v.Context}");
        output.WriteLine(text.ToString());
        var total = report.Total;
        Assert.True(total.Mismatches <= ceilings["mismatches"], $"{total.Mismatches} mismatches, ceiling {ceilings["mismatches"]}\n{text}");
        Assert.True(total.Skipped <= ceilings["skipped"], $"{total.Skipped} skipped, ceiling {ceilings["skipped"]}\n{text}");
    }
}
