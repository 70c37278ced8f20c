using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inventory;

namespace Mtls.Cli;

/// <summary>The flags of commands that act as a CA (--ca-cert, --ca-key, --db), and how they are resolved.</summary>
public static class CaOptions
{
    public static Option<string> CaCert() => new("--ca-cert", "-CA") { Description = "The CA certificate (a bundle for an intermediate: the CA first, then its chain).", Required = true };
    public static Option<string> CaKey() => new("--ca-key", "-CAkey") { Description = "The CA's private key.", Required = true };
    public static Option<string?> Db() => new("--db") { Description = "The CA's inventory (default: the CA certificate's file name with .db, e.g. server-ca.db)." };

    public static string DbPath(string caCertPath, string? db) => db ?? CaInventory.DefaultPath(caCertPath);

    public static CaInventory OpenInventory(string caCertPath, string? db, X509Certificate2 caCertificate) =>
        CaInventory.Open(DbPath(caCertPath, db), caCertificate);

    /// <summary>
    /// The chain that goes after a leaf this CA signs: the CA and the intermediates in its file, no root
    /// (the peer must already trust the root; sending it is useless). Empty for a root CA.
    /// </summary>
    public static IReadOnlyList<X509Certificate2> ChainOf(string caCertPath) =>
        CertificateFile.LoadAll(caCertPath).TakeWhile(c => !IsSelfSigned(c)).ToList();

    public static bool IsSelfSigned(X509Certificate2 c) => c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData);

    /// <summary>Parses durations such as 30d, 12h, 90m, 2w (a bare number is days).</summary>
    public static TimeSpan ParseDuration(string text, string option)
    {
        var value = text.Trim();
        var unit = value.Length > 0 && char.IsLetter(value[^1]) ? char.ToLowerInvariant(value[^1]) : 'd';
        var number = char.IsLetter(value.LastOrDefault()) ? value[..^1] : value;
        if (!int.TryParse(number, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n <= 0)
            throw new MtlsException($"{option} {text}: not a duration; write a positive number with d (days), h (hours), m (minutes) or w (weeks), e.g. 30d.");
        return unit switch
        {
            'd' => TimeSpan.FromDays(n),
            'h' => TimeSpan.FromHours(n),
            'm' => TimeSpan.FromMinutes(n),
            'w' => TimeSpan.FromDays(7 * n),
            _ => throw new MtlsException($"{option} {text}: unknown unit '{unit}'; use d, h, m or w (e.g. 30d, 12h)."),
        };
    }
}
