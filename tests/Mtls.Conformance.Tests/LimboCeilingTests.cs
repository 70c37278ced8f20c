using Mtls.Conformance;
using Xunit.Abstractions;

namespace Mtls.Conformance.Tests;

/// <summary>
/// Runs all of x509-limbo through mtls's validator in both modes. The default mode (a CA's lapses accepted,
/// as openssl and Go accept them) fails when its mismatches outside the listed deviations, or its skipped
/// cases, rise above the ceilings in tests/Mtls.Conformance/ceiling.txt (a ratchet: lower them when you
/// improve). Strict mode's figures are printed beside; every listed deviation must still happen in the
/// default mode (else the list is stale) and must match limbo in strict mode (else strict does not refuse it).
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
        var deviations = Deviations.Load();
        var cases = LimboCase.Load(Runner.DefaultLimboPath());
        var report = Runner.Run(cases, new MtlsHarness());
        var strict = Runner.Run(cases, new MtlsHarness(strict: true));
        var text = new StringWriter();
        report.Print(text, deviations);
        var unlisted = report.Unlisted(deviations);
        foreach (var (c, v) in unlisted) text.WriteLine($"  MISMATCH {c.Id}: expected {c.ExpectedResult}: {v.Context}");
        strict.Print(text, deviations);
        foreach (var (c, v) in strict.Mismatches) text.WriteLine($"  STRICT MISMATCH {c.Id}: expected {c.ExpectedResult}: {v.Context}");
        output.WriteLine(text.ToString());

        var byId = report.Results.ToDictionary(r => r.Case.Id);
        var strictById = strict.Results.ToDictionary(r => r.Case.Id);
        var stale = deviations.Ids.Where(id => !byId.TryGetValue(id, out var r) || !deviations.Explains(r.Case, r.Verdict)).ToList();
        Assert.True(stale.Count == 0, $"listed deviations that no longer happen as listed: {string.Join(", ", stale)}\n{text}");
        var notRefused = deviations.Ids.Where(id => strictById[id].Verdict.Result != strictById[id].Case.ExpectedResult).ToList();
        Assert.True(notRefused.Count == 0, $"listed deviations that strict mode does not refuse: {string.Join(", ", notRefused)}\n{text}");
        Assert.True(unlisted.Count <= ceilings["mismatches"], $"{unlisted.Count} unlisted mismatches, ceiling {ceilings["mismatches"]}\n{text}");
        Assert.True(report.Total.Skipped <= ceilings["skipped"], $"{report.Total.Skipped} skipped, ceiling {ceilings["skipped"]}\n{text}");
    }
}
