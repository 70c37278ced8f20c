using System.Globalization;
using System.Resources;

namespace Mtls.Ca.Report;

/// <summary>
/// The page's words, from Resources/Report.resx and its .ja.resx twin, in the language the caller asks
/// for (never the ambient culture: one server may answer two admins in two languages at once).
/// </summary>
internal sealed class ReportText(CultureInfo language)
{
    private static readonly ResourceManager Resources = new("Mtls.Ca.Resources.Report", typeof(ReportText).Assembly);

    public CultureInfo Language { get; } = language;

    public bool IsJapanese => Pki.Text.Language.IsJapanese(Language);

    /// <summary>The sentence for <paramref name="key"/>, facts filled in (invariant numbers), not yet HTML-encoded.</summary>
    public string this[string key, params object?[] facts]
    {
        get
        {
            var format = Resources.GetString(key, Language) ?? throw new InvalidOperationException($"Report.resx has no '{key}'");
            return facts.Length == 0 ? format : string.Format(CultureInfo.InvariantCulture, format, facts);
        }
    }

    /// <summary>A time as every report shows it, in every language (UTC, ISO order, minutes).</summary>
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string Day(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
