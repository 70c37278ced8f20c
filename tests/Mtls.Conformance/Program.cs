using Mtls.Conformance;

// mtls-conformance [--limbo PATH] [--out results.json] [--reference] [--only SUBSTRING] [--mismatches]
//   Runs x509-limbo through mtls's validator in both modes (default: a CA's lapses accepted; strict:
//   refused) and, with --reference, through .NET's X509Chain in the same run; prints matches /
//   mismatches / skipped per namespace and the listed deviations (deviations.txt); writes the limbo
//   result files (results.json for the default mode, results.strict.json beside it).
string? limbo = null, output = null, only = null;
bool reference = false, listMismatches = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--limbo": limbo = args[++i]; break;
        case "--out": output = args[++i]; break;
        case "--only": only = args[++i]; break;
        case "--reference": reference = true; break;
        case "--mismatches": listMismatches = true; break;
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}; usage: [--limbo PATH] [--out FILE] [--reference] [--only SUBSTRING] [--mismatches]");
            return 2;
    }
}

var load = System.Diagnostics.Stopwatch.StartNew();
var cases = LimboCase.Load(limbo ?? Runner.DefaultLimboPath());
if (only is not null) cases = cases.Where(c => c.Id.Contains(only, StringComparison.Ordinal)).ToList();
Console.WriteLine($"loaded {cases.Count} cases in {load.Elapsed.TotalSeconds:F1} s; {Environment.ProcessorCount} cores");

// Both modes of mtls, always: the default (lapses accepted) is judged against the ceiling, strict beside it.
var verifiers = new List<IConformanceVerifier> { new MtlsHarness(), new MtlsHarness(strict: true) };
if (reference) verifiers.Add(new X509ChainReference());
var deviations = Deviations.Load();
foreach (var verifier in verifiers)
{
    var report = Runner.Run(cases, verifier);
    if (verifier is MtlsHarness) report.Print(Console.Out, deviations);
    else report.Print(Console.Out);
    if (listMismatches)
        foreach (var (c, v) in report.Mismatches)
            Console.WriteLine($"  MISMATCH {c.Id}: expected {c.ExpectedResult}, got {v.Result}: {v.Context}");
    var path = output ?? "limbo-results.json";
    if (verifier.Name != "mtls") path = Path.ChangeExtension(path, $".{verifier.Name.Replace("mtls-", "", StringComparison.Ordinal)}.json");
    report.WriteJson(path);
    Console.WriteLine($"{verifier.Name}: results written to {path}");
}
return 0;
