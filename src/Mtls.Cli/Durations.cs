using System.Globalization;
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
            throw new MtlsException($"{option} {text}: not a duration; write a positive number with a unit, e.g. 10s, 30d or 12h.");
        var unit = unitLength == 0 ? bareUnit : t[^unitLength..] switch
        {
            "ms" => TimeSpan.FromMilliseconds(1),
            "s" => TimeSpan.FromSeconds(1),
            "m" => TimeSpan.FromMinutes(1),
            "h" => TimeSpan.FromHours(1),
            "d" => TimeSpan.FromDays(1),
            "w" => TimeSpan.FromDays(7),
            var other => throw new MtlsException($"{option} {text}: unknown unit '{other}'; use ms, s, m, h, d or w (e.g. 10s, 30d)."),
        };
        var result = unit * value;
        if (max is { } limit && result > limit)
            throw new MtlsException($"{option} {text}: longer than the {limit.TotalSeconds:0} s this option allows.");
        return result;
    }
}
