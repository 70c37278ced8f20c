using System.Security.Cryptography.X509Certificates;
using Mtls.Cli.Resources;
using Mtls.Pki.Text;
using Mtls.Pki.Names;

namespace Mtls.Cli.Output;

/// <summary>
/// The "Next:" line after a command names the command that follows for what was just made: a server's
/// file leads to a server certificate and `mtls serve`, a client's to a client certificate and
/// `mtls get --cert`. One place guesses which it is, so that a client is never told `--profile server`.
/// </summary>
internal static class NextStep
{
    public enum Role { Server, Client }

    /// <summary>The role of a file by its name, as in the workshop's layout (client.key, client-ca.crt): "client" in it, or else a server's.</summary>
    public static Role OfFile(string path) =>
        Path.GetFileName(path).Contains("client", StringComparison.OrdinalIgnoreCase) ? Role.Client : Role.Server;

    /// <summary>
    /// The role of a CSR by what it asks for: a server's names a host (a DNS or IP SAN, or a CN that is
    /// an IP, localhost or a dotted host name); anything else (CN=Super Client, CN=alice) is a client's.
    /// </summary>
    public static Role OfRequest(X500DistinguishedName subject, IReadOnlyList<SubjectAlternativeName> sans)
    {
        if (sans.Any(s => s.Kind is SanKind.Dns or SanKind.Ip)) return Role.Server;
        if (sans.Count > 0) return Role.Client; // e-mail or URI names only: a person or a workload
        return SubjectAlternativeName.FromHostLike(DistinguishedName.CommonName(subject)) switch
        {
            { Kind: SanKind.Ip } => Role.Server,
            { Kind: SanKind.Dns, Value: var host } when host == "localhost" || host.Contains('.') => Role.Server,
            _ => Role.Client,
        };
    }

    public static string Profile(Role role) => role == Role.Client ? "client" : "server";

    /// <summary>After a key: its CSR, with a subject of the kind its name suggests.</summary>
    public static string AfterKey(string keyPath) =>
        Language.Format(Strings.Next_AfterKey, keyPath, OfFile(keyPath) == Role.Client ? "/CN=Super Client" : "/CN=localhost", Path.ChangeExtension(keyPath, ".csr"));

    /// <summary>After a CSR: the CA of its role signs it with the matching profile.</summary>
    public static string AfterRequest(string csrPath, Role role)
    {
        var who = Profile(role);
        return Language.Format(Strings.Next_AfterRequest, csrPath, who, Path.ChangeExtension(csrPath, ".crt"));
    }

    /// <summary>After a CA: what it signs, by its name (a client CA signs client certificates).</summary>
    public static string AfterCa(string caCertPath, string caKeyPath, string? remark = null)
    {
        var role = OfFile(caCertPath);
        var who = Profile(role);
        return Language.Format(Strings.Next_AfterCa, who, caCertPath, caKeyPath) + remark;
    }

    /// <summary>After a certificate: its holder uses it, with the key beside it (client.crt, client.key).</summary>
    public static string AfterCertificate(string certPath, Role role)
    {
        var key = Path.ChangeExtension(certPath, ".key");
        return role == Role.Client
            ? Language.Format(Strings.Next_AfterClientCertificate, certPath, key)
            : Language.Format(Strings.Next_AfterServerCertificate, certPath, key);
    }
}
