using System.Security.Cryptography.X509Certificates;

namespace Mtls.Client;

/// <summary>Whom <see cref="MtlsClient"/> trusts and what it presents.</summary>
public sealed class MtlsClientOptions
{
    /// <summary>
    /// CAs the server's certificate must chain to (only these); a certificate equal to the server's own
    /// leaf is accepted as pinned, as curl does for --cacert server.crt. Null: the system trust store.
    /// </summary>
    public IReadOnlyList<X509Certificate2>? TrustedCas { get; init; }

    /// <summary>Client certificate (with its private key), sent when the server asks for one.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>Accept any server certificate (curl -k). Everything is still reported.</summary>
    public bool Insecure { get; init; }

    /// <summary>Time for the whole request: connect, handshake, answer (default 10 s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The Accept header (default */*).</summary>
    public string? Accept { get; init; }
}
