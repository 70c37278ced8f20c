using System.Globalization;

namespace Mtls.Pki.Text;

/// <summary>
/// The languages mtls speaks (English, the neutral resources, and Japanese, the <c>ja</c> satellites)
/// and how one is chosen, as users expect on Linux and in browsers. Names, dates, serials and commands
/// inside a message are never translated: only the sentence around them.
/// </summary>
public static class Language
{
    /// <summary>English: the neutral resources.</summary>
    public static readonly CultureInfo English = CultureInfo.InvariantCulture;

    /// <summary>Japanese: the <c>ja</c> satellite resources (InvariantGlobalization is on, so this culture only names the satellite).</summary>
    public static readonly CultureInfo Japanese = CultureInfo.GetCultureInfo("ja");

    /// <summary>
    /// The language of the environment, as gettext reads it: the first of LC_ALL, LC_MESSAGES, LANG that is
    /// set and not empty decides; <c>ja</c>, <c>ja_JP.UTF-8</c>... mean Japanese, anything else (C, POSIX,
    /// en_US.UTF-8) or nothing means English.
    /// </summary>
    public static CultureInfo FromEnvironment(Func<string, string?> env)
    {
        ArgumentNullException.ThrowIfNull(env);
        foreach (var name in (string[])["LC_ALL", "LC_MESSAGES", "LANG"])
            if (env(name) is { Length: > 0 } value)
                return IsJapanese(value) ? Japanese : English;
        return English;
    }

    /// <summary><c>--lang en|ja</c> when given, else the environment's.</summary>
    public static CultureInfo Choose(string? lang, Func<string, string?> env) =>
        lang is null ? FromEnvironment(env) : IsJapanese(lang) ? Japanese : English;

    /// <summary>
    /// The language an HTTP client asks for (RFC 9110 12.5.4 Accept-Language, q-values honoured): the
    /// first of ours it prefers, else <paramref name="fallback"/> (no header, or none of ours).
    /// </summary>
    public static CultureInfo FromAcceptLanguage(string? header, CultureInfo fallback)
    {
        if (string.IsNullOrWhiteSpace(header)) return fallback;
        CultureInfo? best = null;
        var bestQ = 0.0;
        foreach (var part in header.Split(','))
        {
            var fields = part.Split(';');
            var tag = fields[0].Trim();
            var q = 1.0;
            foreach (var parameter in fields.Skip(1))
                if (parameter.Trim() is var p && p.StartsWith("q=", StringComparison.OrdinalIgnoreCase)
                    && !double.TryParse(p[2..], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out q))
                    q = 0;
            CultureInfo? ours = IsJapanese(tag) ? Japanese : tag.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? English : null;
            if (ours is not null && q > bestQ)
            {
                best = ours;
                bestQ = q;
            }
        }
        return best ?? fallback;
    }

    /// <summary>True for the Japanese culture (its satellite).</summary>
    public static bool IsJapanese(CultureInfo culture) => culture.Name.StartsWith("ja", StringComparison.OrdinalIgnoreCase);

    private static bool IsJapanese(string tag) => tag.StartsWith("ja", StringComparison.OrdinalIgnoreCase)
        && (tag.Length == 2 || tag[2] is '_' or '-' or '.' or '@');

    /// <summary>A message from a resource format and its facts; numbers and dates in the invariant form in every language.</summary>
    public static string Format(string format, params object?[] facts) => string.Format(CultureInfo.InvariantCulture, format, facts);
}
