using System.Globalization;
using System.Security.Cryptography;

namespace Mtls.Pki.Tests.Fuzz;

/// <summary>
/// Mutation fuzzing of every reader in <see cref="FuzzTargets"/>, fixed seed, bounded. In `dotnet test`
/// a short run; bench/fuzz.sh runs it longer through MTLS_FUZZ_SECONDS / MTLS_FUZZ_ITERATIONS and
/// collects findings in MTLS_FUZZ_OUT (each goes into tests/corpus/ once fixed).
/// </summary>
[Trait("Category", "Fuzz")]
public class FuzzTests
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<byte[]>> SeedInputs = Seeds.Make();

    public static TheoryData<string> Targets => [.. FuzzTargets.All.Keys];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Only_MtlsException_escapes_a_reader_of_mutated_input(string target)
    {
        var seconds = Setting("MTLS_FUZZ_SECONDS", 3);
        var iterations = Setting("MTLS_FUZZ_ITERATIONS", 1500);
        var fuzzer = new MutationFuzzer(seed: 20261127 + target.GetHashCode(StringComparison.Ordinal) % 1000);
        var findings = fuzzer.Run(target, FuzzTargets.All[target], SeedInputs[target], iterations, TimeSpan.FromSeconds(seconds));

        if (Environment.GetEnvironmentVariable("MTLS_FUZZ_OUT") is { Length: > 0 } outDir)
            Record(outDir, target, fuzzer.Executions, findings);
        Assert.True(findings.Count == 0, $"{findings.Count} finding(s) in {fuzzer.Executions} executions of {target}:\n" +
            string.Join("\n\n", findings.Select(f => $"input {Convert.ToHexString(f.Input)[..Math.Min(400, f.Input.Length * 2)]}\n{f.Exception}")));
    }

    [Fact]
    public void The_seeds_themselves_are_read_without_error()
    {
        foreach (var (target, seeds) in SeedInputs)
            foreach (var seed in seeds)
                Assert.Null(MutationFuzzer.Exercise(FuzzTargets.All[target], seed));
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;

    private static void Record(string outDir, string target, long executions, List<FuzzFinding> findings)
    {
        Directory.CreateDirectory(Path.Combine(outDir, target));
        foreach (var f in findings)
        {
            var name = Convert.ToHexString(SHA256.HashData(f.Input))[..16].ToLowerInvariant();
            File.WriteAllBytes(Path.Combine(outDir, target, name + ".bin"), f.Input);
            File.WriteAllText(Path.Combine(outDir, target, name + ".txt"), f.Exception);
        }
        File.AppendAllText(Path.Combine(outDir, "summary.tsv"), $"{target}\t{executions}\t{findings.Count}\n");
    }
}
