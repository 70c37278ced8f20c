using Mtls.Cli.Output;

namespace Mtls.Cli.Workshop;

/// <summary>One row of the closing table (also the --json output).</summary>
internal sealed record WorkshopRow(int Step, string Title, string Tool, string Expected, string Actual, bool Passed);

/// <summary>Writes the narrative: step headings, facts, outcomes, and the closing table.</summary>
internal sealed class WorkshopReport(TextWriter w, WorkshopText t, bool color)
{
    public List<WorkshopRow> Rows { get; } = [];

    private string Paint(string text, string code) => color ? $"\u001b[{code}m{text}\u001b[0m" : text;

    public void Title(string text)
    {
        w.WriteLine();
        w.WriteLine(Paint(text, "1"));
        w.WriteLine(new string('=', Math.Min(78, Width(text))));
    }

    public void Step(int number, string titleKey, string roleKey)
    {
        w.WriteLine();
        w.WriteLine(Paint($"[{number}] {t[titleKey]}", "1;36") + $"  ({t[roleKey]})");
        w.WriteLine($"    {t[titleKey + ".why"]}");
    }

    public void Fact(string labelKey, string value)
    {
        var label = t[labelKey] + ":";
        w.WriteLine($"    {label}{new string(' ', Math.Max(1, 13 - Width(label)))}{value}");
    }

    public void Raw(string text) => w.WriteLine($"    {text}");

    public void File(Made made) =>
        Fact(made.Created ? "wrote" : "reused", made.Created ? made.Path : $"{made.Path} {t["reused.note"]}");

    public void Outcome(int step, string title, string tool, bool expectSuccess, bool succeeded, string detail)
    {
        var passed = expectSuccess == succeeded;
        var actual = succeeded ? t["expected.ok"] : t["expected.fail"];
        var label = !passed ? Paint(t["unexpected"], "1;31") : succeeded ? Paint(t["ok"], "32") : Paint(t["failed.expected"], "33");
        w.WriteLine($"    -> [{tool}] {label}: {detail}");
        Rows.Add(new WorkshopRow(step, title, tool, expectSuccess ? t["expected.ok"] : t["expected.fail"], actual, passed));
    }

    /// <summary>A step that made files rather than a request: it passed when it did not throw.</summary>
    public void Done(int step, string title) =>
        Rows.Add(new WorkshopRow(step, title, "mtls", t["expected.ok"], t["expected.ok"], true));

    public void Summary()
    {
        Title(t["summary"]);
        var stepWidth = Math.Max(Width(t["col.step"]), Rows.Max(r => Width($"{r.Step}. {r.Title}")));
        // Columns as wide as their header in the language shown ("ツール" takes six columns, "tool" four).
        var toolWidth = Math.Max(5, Width(t["col.tool"]));
        var expectedWidth = Math.Max(10, Width(t["col.expected"]));
        var actualWidth = Math.Max(10, Width(t["col.actual"]));
        static string Pad(string s, int width) => DisplayWidth.Pad(s, width);
        w.WriteLine($"{Pad(t["col.step"], stepWidth)}  {Pad(t["col.tool"], toolWidth)}  {Pad(t["col.expected"], expectedWidth)}  {Pad(t["col.actual"], actualWidth)}  {t["col.result"]}");
        foreach (var row in Rows)
            w.WriteLine($"{Pad($"{row.Step}. {row.Title}", stepWidth)}  {Pad(row.Tool, toolWidth)}  {Pad(row.Expected, expectedWidth)}  {Pad(row.Actual, actualWidth)}  "
                        + (row.Passed ? Paint(t["pass"], "32") : Paint(t["fail"], "1;31")));
        var failed = Rows.Count(r => !r.Passed);
        w.WriteLine();
        w.WriteLine(failed == 0 ? t.F("allpassed", Rows.Count) : t.F("somefailed", failed, Rows.Count));
    }

    private static int Width(string s) => DisplayWidth.Of(s);

    public string Validity(Pki.Inspection.CertificateDescription d) =>
        $"{Describe.Time(d.NotBefore)} -> {Describe.Time(d.NotAfter)} ({(d.Status == "valid" && d.ExpiresInDays != 0 ? t.F("expiresin", d.ExpiresInDays) : Describe.Expiry(d))})";
}
