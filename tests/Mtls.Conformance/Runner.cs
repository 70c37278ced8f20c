using System.Diagnostics;
using System.Text.Json;

namespace Mtls.Conformance;

/// <summary>Counts for one namespace (or the total).</summary>
public sealed class Tally
{
    public int Matches { get; set; }
    public int Mismatches { get; set; }
    public int Skipped { get; set; }
}

/// <summary>The outcome of running every case through one verifier.</summary>
public sealed record RunReport(string Verifier, IReadOnlyList<(LimboCase Case, Verdict Verdict)> Results, TimeSpan Elapsed)
{
    public Tally Total => Sum(Results);

    public IReadOnlyList<(string Namespace, Tally Tally)> ByNamespace =>
        Results.GroupBy(r => r.Case.Namespace).OrderByDescending(g => g.Count()).Select(g => (g.Key, Sum(g))).ToList();

    public IEnumerable<(LimboCase Case, Verdict Verdict)> Mismatches =>
        Results.Where(r => r.Verdict.Result != Verdict.Skipped && r.Verdict.Result != r.Case.ExpectedResult);

    /// <summary>The mismatches that are not listed deviations (what the ceiling counts in the default mode).</summary>
    public IReadOnlyList<(LimboCase Case, Verdict Verdict)> Unlisted(Deviations deviations) =>
        Mismatches.Where(r => !deviations.Explains(r.Case, r.Verdict)).ToList();

    private static Tally Sum(IEnumerable<(LimboCase Case, Verdict Verdict)> results)
    {
        var tally = new Tally();
        foreach (var (c, v) in results)
        {
            if (v.Result == Verdict.Skipped) tally.Skipped++;
            else if (v.Result == c.ExpectedResult) tally.Matches++;
            else tally.Mismatches++;
        }
        return tally;
    }

    /// <summary>x509-limbo's result format: {"version":1,"harness":...,"results":[{id, actual_result, context}]}.</summary>
    public void WriteJson(string path)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteNumber("version", 1);
        json.WriteString("harness", Verifier == "mtls" ? "mtls" : $"mtls-{Verifier}");
        json.WriteStartArray("results");
        foreach (var (c, v) in Results)
        {
            json.WriteStartObject();
            json.WriteString("id", c.Id);
            json.WriteString("actual_result", v.Result);
            if (v.Context is null) json.WriteNull("context"); else json.WriteString("context", v.Context);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The table, then how many mismatches are listed deviations and how many are not.</summary>
    public void Print(TextWriter o, Deviations deviations)
    {
        Print(o);
        var mismatches = Mismatches.Count();
        var unlisted = Unlisted(deviations).Count;
        o.WriteLine($"{Verifier}: {mismatches} mismatches = {mismatches - unlisted} listed deviations (deviations.txt: a CA's lapse, accepted as openssl and Go accept it) + {unlisted} unlisted");
    }

    public void Print(TextWriter o)
    {
        o.WriteLine($"{Verifier}: {"namespace",-14} {"matches",8} {"mismatch",8} {"skipped",8}");
        foreach (var (ns, t) in ByNamespace)
            o.WriteLine($"{Verifier}: {ns,-14} {t.Matches,8} {t.Mismatches,8} {t.Skipped,8}");
        var total = Total;
        o.WriteLine($"{Verifier}: {"TOTAL",-14} {total.Matches,8} {total.Mismatches,8} {total.Skipped,8}   ({Results.Count} cases in {Elapsed.TotalSeconds:F1} s)");
    }
}

/// <summary>Runs cases through a verifier, in parallel over the machine's cores, keeping the file's order.</summary>
public static class Runner
{
    public static RunReport Run(IReadOnlyList<LimboCase> cases, IConformanceVerifier verifier)
    {
        var verdicts = new Verdict[cases.Count];
        var clock = Stopwatch.StartNew();
        Parallel.For(0, cases.Count, i =>
        {
            try { verdicts[i] = verifier.Run(cases[i]); }
            catch (Exception e) { verdicts[i] = Verdict.Fail($"crash: {e.GetType().Name}: {e.Message}"); }
        });
        clock.Stop();
        return new RunReport(verifier.Name, cases.Select((c, i) => (c, verdicts[i])).ToList(), clock.Elapsed);
    }

    /// <summary>shared/testdata/x509-limbo/limbo.json.gz beside the repository (the repo is cloned next to shared/).</summary>
    public static string DefaultLimboPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "mtls.slnx"))) continue;
            var beside = Path.Combine(dir.FullName, "..", "shared", "testdata", "x509-limbo", "limbo.json.gz");
            if (File.Exists(beside)) return Path.GetFullPath(beside);
        }
        throw new FileNotFoundException("shared/testdata/x509-limbo/limbo.json.gz was not found beside the repository; pass --limbo PATH");
    }
}
