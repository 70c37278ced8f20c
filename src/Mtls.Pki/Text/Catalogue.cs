namespace Mtls.Pki.Text;

/// <summary>
/// Pki's messages that are told once, when they happen (an <see cref="MtlsException"/> is printed by the
/// command that caught it, in the command's language): the catalogue sentence in the current UI culture.
/// </summary>
internal static class Catalogue
{
    public static string Text(string key, params object?[] facts) => Phrase.Pki(key, facts).ToString();

    /// <summary>A date as every message shows it, in every language (UTC, ISO order).</summary>
    public static string Day(DateTime t) => t.ToUniversalTime().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A time to the second, UTC, ISO order (the caller writes "UTC" in the sentence).</summary>
    public static string Second(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
}
