using System.Globalization;
using Mtls.Cli.Resources;
using Mtls.Pki;
using Mtls.Pki.Text;

namespace Mtls.Cli;

/// <summary>
/// The one syntax of a point in time given on the command line (verify --at, ca report --at): ISO 8601,
/// e.g. 2027-01-01T00:00:00Z; a time without an offset is taken as UTC, so the answer does not depend on
/// the machine's zone.
/// </summary>
internal static class Times
{
    /// <summary>The time <paramref name="text"/> names, or null when the flag was not given.</summary>
    public static DateTimeOffset? Parse(string? text, string option)
    {
        if (text is null) return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
            return t;
        throw new MtlsException(Language.Format(Parsing.Error_NotATime, option, text));
    }
}
