namespace Mtls.Conformance;

/// <summary>
/// The listed deviations (deviations.txt): limbo cases whose expected FAILURE mtls's default mode turns
/// into SUCCESS on purpose, each because of one named lapse that openssl, Go and nginx accept.
/// </summary>
public sealed class Deviations
{
    private readonly Dictionary<string, string> _lapseById;

    private Deviations(Dictionary<string, string> lapseById) => _lapseById = lapseById;

    public IReadOnlyCollection<string> Ids => _lapseById.Keys;

    /// <summary>deviations.txt beside the program (copied to the output folder).</summary>
    public static Deviations Load(string? path = null)
    {
        var lines = File.ReadAllLines(path ?? Path.Combine(AppContext.BaseDirectory, "deviations.txt"));
        return new Deviations(lines.Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', 2, StringSplitOptions.TrimEntries))
            .ToDictionary(p => p[0], p => p[1]));
    }

    /// <summary>
    /// True when this default-mode verdict is the listed deviation: limbo expects FAILURE, mtls accepted
    /// the chain and reported the listed lapse. Anything else (another reason, no lapse) is a plain mismatch.
    /// </summary>
    public bool Explains(LimboCase c, Verdict v) =>
        _lapseById.TryGetValue(c.Id, out var lapse) && c.ExpectedResult == Verdict.Failure && v.Result == Verdict.Success
        && v.Context is { } context && context.Contains("lapses: ", StringComparison.Ordinal)
        && context[(context.IndexOf("lapses: ", StringComparison.Ordinal) + 8)..].Split(", ").Contains(lapse);
}
