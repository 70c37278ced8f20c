using System.CommandLine;
using Mtls.Cli.Resources;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inventory;

namespace Mtls.Cli;

/// <summary>The flags of commands that act as a CA (--ca-cert, --ca-key, --db), and how they are resolved.</summary>
public static class CaOptions
{
    public static Option<string> CaCert() => new("--ca-cert", "-CA") { Description = Strings.Opt_CaCert, Required = true };
    public static Option<string> CaKey() => new("--ca-key", "-CAkey") { Description = Strings.Opt_CaKey, Required = true };
    public static Option<string?> Db() => new("--db") { Description = Strings.Opt_Db };

    /// <summary>The store --db names (a PostgreSQL connection string or an SQLite file; the file beside the CA by default).</summary>
    public static ICaStore OpenInventory(string caCertPath, string? db, X509Certificate2 caCertificate, bool pooled = false) =>
        CaStore.Open(db, caCertPath, caCertificate, pooled);

    /// <summary>The chain that goes after a leaf this CA signs (Pki's <see cref="IssuingCa.ChainAfterLeaf"/>).</summary>
    public static IReadOnlyList<X509Certificate2> ChainOf(string caCertPath) => IssuingCa.ChainAfterLeaf(caCertPath);

    /// <summary>Durations such as 30d, 12h, 90m, 2w (a bare number is days).</summary>
    public static TimeSpan ParseDuration(string text, string option) => Durations.Parse(text, option, TimeSpan.FromDays(1));
}
