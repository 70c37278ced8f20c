using System.Globalization;
using Mtls.Cli.Resources;
using Mtls.Pki.Text;
using Mtls.Pki;

namespace Mtls.Cli;

/// <summary>
/// The one duration syntax of every flag: a positive number with ms, s, m, h, d or w ("500ms", "10s",
/// "30d", "2w"). A bare number takes the flag's natural unit (seconds for timeouts, days for validity).
/// </summary>
internal static class Durations
{
    public static TimeSpan Parse(string text, string option, TimeSpan bareUnit, TimeSpan? max = null)
    {
        var t = text.Trim().ToLowerInvariant();
        var unitLength = t.EndsWith("ms", StringComparison.Ordinal) ? 2 : t.Length > 0 && char.IsAsciiLetter(t[^1]) ? 1 : 0;
        if (!double.TryParse(t[..^unitLength], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value <= 0)
            throw new MtlsException(Language.Format(Strings.Error_NotADuration, option, text));
        var unit = unitLength == 0 ? bareUnit : t[^unitLength..] switch
        {
            "ms" => TimeSpan.FromMilliseconds(1),
            "s" => TimeSpan.FromSeconds(1),
            "m" => TimeSpan.FromMinutes(1),
            "h" => TimeSpan.FromHours(1),
            "d" => TimeSpan.FromDays(1),
            "w" => TimeSpan.FromDays(7),
            var other => throw new MtlsException(Language.Format(Strings.Error_UnknownDurationUnit, option, text, other)),
        };
        var result = unit * value;
        if (max is { } limit && result > limit)
            throw new MtlsException(Language.Format(Strings.Error_DurationTooLong, option, text, limit.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)));
        return result;
    }
}
