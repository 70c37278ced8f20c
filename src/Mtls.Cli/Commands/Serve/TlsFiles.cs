using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki;
using Mtls.Pki.Certificates;
using Mtls.Pki.Keys;

namespace Mtls.Cli.Commands.Serve;

/// <summary>Loading what serve and get need: a certificate with its key, CA bundles, durations.</summary>
internal static class TlsFiles
{
    /// <summary>The certificate file (leaf first, any intermediates after it) joined with its key.</summary>
    public static (X509Certificate2 Leaf, IReadOnlyList<X509Certificate2> Intermediates) CertificateWithKey(string certPath, string keyPath, string? password)
    {
        var certs = CertificateFile.LoadAll(certPath);
        using var key = PrivateKeyFile.Load(keyPath, password);
        if (!PrivateKeyFile.Matches(key, certs[0].PublicKey))
            throw new MtlsException($"{keyPath}: this key does not belong to the certificate {certPath} (different public key); give the key its CSR was made with.");
        X509Certificate2 leaf = key switch
        {
            ECDsa ec => certs[0].CopyWithPrivateKey(ec),
            RSA rsa => certs[0].CopyWithPrivateKey(rsa),
            _ => throw new MtlsException($"{keyPath}: only EC and RSA keys are supported."),
        };
        return (leaf, certs.Skip(1).ToList());
    }

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
