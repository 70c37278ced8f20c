using System.Security.Authentication;

namespace Mtls.Pki.Trust;

/// <summary>
/// The TLS versions mtls speaks (1.2 and 1.3, as DESIGN.md's Servers section requires) and their names:
/// one table for the server, the client and the OpenSSL configuration the server writes.
/// </summary>
public static class TlsProtocols
{
    /// <summary>TLS 1.2 and 1.3: what both the server and the client enable.</summary>
    public const SslProtocols Supported = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>The oldest version offered, in OpenSSL's configuration syntax (<c>MinProtocol</c>).</summary>
    public static string OpenSslMinimum => Table[^1].OpenSslName;

    private static readonly (SslProtocols Protocol, string Name, string OpenSslName)[] Table =
    [
        (SslProtocols.Tls13, "TLS 1.3", "TLSv1.3"),
        (SslProtocols.Tls12, "TLS 1.2", "TLSv1.2"),
    ];

    /// <summary>"TLS 1.3", "TLS 1.2"; the platform's name for anything else; "unknown" without a handshake.</summary>
    public static string Name(SslProtocols? protocol)
    {
        if (protocol is not { } p) return "unknown";
        foreach (var row in Table)
            if (row.Protocol == p) return row.Name;
        return p.ToString();
    }
}
