using System.Globalization;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Certificates;
using Mtls.Pki.Trust;
using Mtls.Server.Resources;

namespace Mtls.Server;

/// <summary>
/// The TLS side of the server: the certificate context built once at start, and the per-connection
/// SslServerAuthenticationOptions (TLS 1.2/1.3, client certificates checked against our CAs only).
/// </summary>
internal sealed class ServerTls
{
    private SslStreamCertificateContext _context;
    private readonly SslCertificateTrust? _trust;
    private readonly IReadOnlyList<X509Certificate2> _clientCas;
    private readonly ClientCertificateGate? _gate;

    public ServerTls(MtlsServerOptions options, ClientCertificateGate? gate)
    {
        _clientCas = options.ClientCas;
        _gate = gate;
        // The chain we send is the one we were given: never fetched (AIA), never built (CertificateContexts).
        // The CA names are sent in the CertificateRequest so clients (curl -v, openssl s_client,
        // mtls get --verbose) can show which CA the server accepts.
        _trust = _clientCas.Count > 0
            ? SslCertificateTrust.CreateForX509Collection(new X509Certificate2Collection(_clientCas.ToArray()), sendTrustInHandshake: true)
            : null;
        _context = CreateContext(options.Certificate, options.Chain);
        _certificate = options.Certificate;
    }

    private X509Certificate2 _certificate;

    /// <summary>The certificate being served now (changes on reload).</summary>
    public X509Certificate2 Certificate => Volatile.Read(ref _certificate);

    private SslStreamCertificateContext CreateContext(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chain) =>
        CertificateContexts.Create(UsableOnLinux(certificate), chain, _trust);

    /// <summary>
    /// Switches to a new certificate and chain (built once, as at start); connections already open keep
    /// the old one, new handshakes get the new one.
    /// </summary>
    public void Reload(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chain)
    {
        Volatile.Write(ref _context, CreateContext(certificate, chain));
        Volatile.Write(ref _certificate, certificate);
    }

    public SslServerAuthenticationOptions CreateOptions()
    {
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = Volatile.Read(ref _context),
            EnabledSslProtocols = Mtls.Pki.Trust.TlsProtocols.Supported,
            ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            ClientCertificateRequired = _gate is not null,
            // Says what we mean; on Linux SslStream sets no OpenSSL option for it (a client's renegotiation is
            // refused by OpenSSL's NoRenegotiation and RenegotiationGuard).
            AllowRenegotiation = false,
        };
        TlsCipherSuites.Apply(options);
        if (_gate is not null)
        {
            // SslStream always builds the client's chain with the platform before calling us, but the
            // decision is ClientCertificateGate's alone (our validator, the configured CAs only). So the
            // platform gets nothing to trust: CustomRootTrust with an empty store never reads the machine's
            // trust store, and without an issuer OpenSSL checks no signature. With the CAs in that store it
            // verified the leaf's signature and the CA's self-signature on every handshake: two ECDSA
            // verifies of the three (uprobe counts in bench/RESULTS.md, "Where a handshake's time goes"). The CA names still go to the client
            // in the CertificateRequest (SslCertificateTrust above). A fresh policy per connection because
            // SslStream adds the client's certificates to its ExtraStore.
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
                DisableCertificateDownloads = true,
            };
            options.CertificateChainPolicy = policy;
            options.RemoteCertificateValidationCallback = _gate.OnHandshake;
        }
        return options;
    }

    /// <summary>
    /// A certificate whose key was attached in memory (CopyWithPrivateKey) is re-imported through PKCS#12
    /// so that every platform's TLS stack can use the key; on Linux this is cheap and harmless.
    /// </summary>
    private static X509Certificate2 UsableOnLinux(X509Certificate2 certificate)
    {
        if (!OperatingSystem.IsWindows()) return certificate;
        var pfx = certificate.Export(X509ContentType.Pkcs12);
        return X509CertificateLoader.LoadPkcs12(pfx, null);
    }

    /// <summary>How early the server starts warning that a certificate or CA it uses is about to expire.</summary>
    public static readonly TimeSpan ExpiryWarning = TimeSpan.FromDays(30);

    /// <summary>Certificates (the server's, the client CAs) that expire within <see cref="ExpiryWarning"/>.</summary>
    public static IEnumerable<string> ExpiryWarnings(X509Certificate2 certificate, IEnumerable<X509Certificate2> clientCas, DateTimeOffset now, CultureInfo? culture = null)
    {
        culture ??= Pki.Text.Language.English;
        foreach (var (cert, key) in clientCas.Select(c => (c, nameof(Strings.Expiry_ClientCa))).Prepend((certificate, nameof(Strings.Expiry_Server))))
        {
            var notAfter = new DateTimeOffset(cert.NotAfter.ToUniversalTime());
            if (notAfter > now && notAfter - now <= ExpiryWarning)
                yield return ServerText.Format(key, culture, ChainVerifier.Subject(cert), ServerLog.Minute(notAfter), (int)(notAfter - now).TotalDays);
        }
    }

    /// <summary>Startup warnings about the server's own certificate (it is still served).</summary>
    public static IEnumerable<string> Warnings(X509Certificate2 certificate, DateTimeOffset now, CultureInfo? culture = null)
    {
        culture ??= Pki.Text.Language.English;
        if (!certificate.Extensions.Any(e => e.Oid?.Value == Oids.SubjectAltName))
            yield return ServerText.Format(nameof(Strings.Warning_NoSan), culture, ChainVerifier.Subject(certificate));
        if (now > certificate.NotAfter.ToUniversalTime())
            yield return ServerText.Format(nameof(Strings.Warning_ServerExpired), culture, ServerLog.Minute(certificate.NotAfter));
        else if (now < certificate.NotBefore.ToUniversalTime())
            yield return ServerText.Format(nameof(Strings.Warning_ServerNotYetValid), culture, ServerLog.Minute(certificate.NotBefore));
    }
}
