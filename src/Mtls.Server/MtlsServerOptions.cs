using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki;
using Mtls.Pki.Trust;
using Mtls.Server.Resources;

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
    /// Most TCP connections served at once (default 1000); further connections are accepted and closed
    /// at once, so a flood of sockets cannot exhaust memory or file descriptors. Null means no limit.
    /// </summary>
    public int? MaxConnections { get; init; } = 1000;

    /// <summary>
    /// How many accepted client certificates are remembered so that a returning client is not validated
    /// again until its chain expires (default 1024; 0 validates every handshake).
    /// </summary>
    public int ClientCertificateCacheSize { get; init; } = 1024;

    /// <summary>The clock for client certificate validity (tests move it).</summary>
    internal TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// The language of the log's sentences and of the answers to clients that send no Accept-Language
    /// (default English; <c>Mtls.Pki.Text.Language.Japanese</c> for Japanese). The server never reads
    /// CultureInfo.CurrentUICulture: on Kestrel's threads it is not the caller's.
    /// </summary>
    public CultureInfo Language { get; init; } = Pki.Text.Language.English;

    /// <summary>Receives one entry per request, rejected client and lifecycle event (called concurrently).</summary>
    public Action<ServerLogEntry>? Log { get; init; }

    /// <summary>
    /// CRL files (PEM or DER) that client certificates are checked against; a revoked client is refused
    /// with the reason "revoked". Each file is reloaded when it changes, without a restart.
    /// </summary>
    public IReadOnlyList<string> CrlFiles { get; init; } = [];

    /// <summary>
    /// Accept a CRL past its nextUpdate (logged as a warning) instead of refusing the clients it covers
    /// (default false: a stale CRL may miss recent revocations; nginx refuses too).
    /// </summary>
    public bool AcceptStaleCrls { get; init; }

    /// <summary>
    /// The files <see cref="Certificate"/> (with <see cref="Chain"/> after the leaf) and its key came
    /// from; when set, the server reloads them when they change, without dropping open connections.
    /// </summary>
    public string? CertificateFile { get; init; }

    /// <summary>See <see cref="CertificateFile"/>.</summary>
    public string? KeyFile { get; init; }

    /// <summary>Password of an encrypted <see cref="KeyFile"/>.</summary>
    public string? KeyPassword { get; init; }

    /// <summary>How often watched files (CRLs, certificate, key) are checked for changes (default 2 s).</summary>
    public TimeSpan ReloadInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// After this long without a connection opening or closing and without a request, the server gives
    /// the memory a load made it hold back to the system (one aggressive GC and malloc_trim, see
    /// IdleMemoryTrim); default 5 s. <see cref="TimeSpan.Zero"/> never trims.
    /// </summary>
    public TimeSpan IdleMemoryTrim { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Null (default): answer every request with who the client is (`mtls serve`). Otherwise forward the
    /// requests of admitted clients to a backend (mtls proxy): requires <see cref="ClientCas"/>.
    /// </summary>
    public Proxy.ProxyOptions? Proxy { get; init; }

    /// <summary>True when client certificates are required.</summary>
    public bool RequiresClientCertificate => ClientCas.Count > 0;

    /// <summary>
    /// Checks the settings once, before anything starts; a setting that cannot work is an
    /// <see cref="MtlsException"/> (exit code 2) whose message, in <see cref="Language"/>, says which and the fix.
    /// </summary>
    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Certificate);
        ArgumentNullException.ThrowIfNull(Language);
        if (!Certificate.HasPrivateKey)
            throw Invalid(nameof(Strings.Config_NoPrivateKey), ChainVerifier.Subject(Certificate));
        if (Port is < 0 or > 65535)
            throw Invalid(nameof(Strings.Config_PortOutOfRange), Port);
        if (Bind.Count == 0)
            throw Invalid(nameof(Strings.Config_NoBind));
        if (CrlFiles.Count > 0 && !RequiresClientCertificate)
            throw Invalid(nameof(Strings.Config_CrlWithoutClientCa));
        if ((CertificateFile is null) != (KeyFile is null))
            throw Invalid(nameof(Strings.Config_CertificateFileWithoutKeyFile));
        if (ReloadInterval <= TimeSpan.Zero)
            throw Invalid(nameof(Strings.Config_ReloadInterval), ReloadInterval);
        if (ClientCertificateCacheSize < 0)
            throw Invalid(nameof(Strings.Config_CacheSize), ClientCertificateCacheSize);
        if (IdleMemoryTrim < TimeSpan.Zero)
            throw Invalid(nameof(Strings.Config_IdleMemoryTrim), IdleMemoryTrim);
        if (HandshakeTimeout <= TimeSpan.Zero)
            throw Invalid(nameof(Strings.Config_HandshakeTimeout), HandshakeTimeout);
        if (MaxConnections is <= 0)
            throw Invalid(nameof(Strings.Config_MaxConnections), MaxConnections);
        Proxy?.Validate(this);
    }

    private MtlsException Invalid(string key, params object?[] facts) => new(ServerText.Format(key, Language, facts), ExitCode.BadInput);
}
