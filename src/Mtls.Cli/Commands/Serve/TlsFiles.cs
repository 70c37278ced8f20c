using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki;
using Mtls.Pki.Certificates;

namespace Mtls.Cli.Commands.Serve;

/// <summary>Loading what serve and get need: CA bundles, durations.</summary>
internal static class TlsFiles
{
    public static IReadOnlyList<X509Certificate2> Bundles(IEnumerable<string>? paths) =>
        paths is null ? [] : paths.SelectMany(CertificateFile.LoadAll).ToList();

    /// <summary>"10s", "500ms", "2m" or a number of seconds.</summary>
    public static TimeSpan Duration(string text, string option)
    {
        var t = text.Trim();
        (string number, double scale) = t.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (t[..^2], 0.001)
            : t.EndsWith('s') ? (t[..^1], 1) : t.EndsWith('m') ? (t[..^1], 60) : (t, 1);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0 || value * scale > 3600)
            throw new MtlsException($"{option} {text}: not a duration; write it like 10s, 500ms or 1m.");
        return TimeSpan.FromSeconds(value * scale);
    }
}
