using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Mtls.Server;

/// <summary>
/// How <see cref="MtlsServer"/> listens and whom it lets in. Defaults are the safe ones: loopback only,
/// TLS 1.2/1.3 only, and when <see cref="ClientCas"/> is given a client certificate is required and
/// trusted only if it chains to one of those CAs (never to the machine's trust store).
/// </summary>
public sealed class MtlsServerOptions
{
    /// <summary>The server's certificate, with its private key.</summary>
    public required X509Certificate2 Certificate { get; init; }

    /// <summary>Intermediate CA certificates sent after the leaf (default none).</summary>
    public IReadOnlyList<X509Certificate2> Chain { get; init; } = [];

    /// <summary>
    /// Empty (default): no client authentication. Otherwise a client certificate is required and must
    /// chain to one of these CAs, be within its validity and allow clientAuth.
    /// </summary>
    public IReadOnlyList<X509Certificate2> ClientCas { get; init; } = [];

    /// <summary>TCP port (default 8443); 0 chooses a free port, the same on every bound address.</summary>
    public int Port { get; init; } = 8443;

    /// <summary>Addresses to listen on (default IPv4 and IPv6 loopback).</summary>
    public IReadOnlyList<IPAddress> Bind { get; init; } = [IPAddress.Loopback, IPAddress.IPv6Loopback];

    /// <summary>Time a client has to complete the TLS handshake (default 10 s).</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many accepted client certificates are remembered so that a returning client is not validated
    /// again until its chain expires (default 1024; 0 validates every handshake).
    /// </summary>
    public int ClientCertificateCacheSize { get; init; } = 1024;

    /// <summary>The clock for client certificate validity (tests move it).</summary>
    internal TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Receives one entry per request, rejected client and lifecycle event (called concurrently).</summary>
    public Action<ServerLogEntry>? Log { get; init; }

    /// <summary>True when client certificates are required.</summary>
    public bool RequiresClientCertificate => ClientCas.Count > 0;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Certificate);
        if (!Certificate.HasPrivateKey)
            throw new ArgumentException("the server certificate needs its private key", nameof(Certificate));
        ArgumentOutOfRangeException.ThrowIfNegative(Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Port, 65535);
        if (Bind.Count == 0)
            throw new ArgumentException("at least one address to bind is needed", nameof(Bind));
        ArgumentOutOfRangeException.ThrowIfNegative(ClientCertificateCacheSize);
        if (HandshakeTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(HandshakeTimeout), HandshakeTimeout, "must be positive");
    }
}
