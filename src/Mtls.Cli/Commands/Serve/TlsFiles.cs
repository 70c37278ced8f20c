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

    /// <summary>Timeouts: "10s", "500ms", "2m" or a number of seconds, at most an hour.</summary>
    public static TimeSpan Duration(string text, string option) => Durations.Parse(text, option, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
}
