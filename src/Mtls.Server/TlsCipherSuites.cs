using System.Net.Security;
using System.Security.Cryptography;
using System.Text;

namespace Mtls.Server;

/// <summary>
/// The cipher suites the server offers: forward-secret AEAD only. Left to its defaults, SslStream on
/// Linux also offers the TLS 1.2 CBC suites ECDHE-*-AES128-SHA256 and ECDHE-*-AES256-SHA384 (seen by
/// sslscan and testssl.sh, bench/tls-audit.sh); CBC in TLS 1.2 is MAC-then-encrypt, the root of
/// Lucky13-style padding oracles, and every client we serve (curl, browsers, Go, .NET, mtls get)
/// negotiates an AEAD suite anyway. TLS 1.3 suites are all AEAD and forward-secret.
///
/// Two ways to hold that line on Linux, best first:
/// 1. <see cref="OpenSslConfiguration"/> as the process's OpenSSL configuration (OPENSSL_CONF, set before
///    OpenSSL starts: the `mtls serve` process does it first thing). .NET honours a CipherString the
///    configuration sets, and keeps caching its SSL_CTX, so TLS sessions are resumed. The server checks
///    that OpenSSL really runs it (<see cref="EnforcedByOpenSslConfiguration"/>) before relying on it.
/// 2. Otherwise a <see cref="CipherSuitesPolicy"/> on every handshake. Same suites, but .NET does not cache
///    the SSL_CTX of a handshake with a custom policy: every handshake is a full one (bench/RESULTS.md, "Notes on this session's server changes").
/// CipherSuitesPolicy is not supported on Windows (its suites are machine policy there): left alone.
/// </summary>
public static class TlsCipherSuites
{
    // One table, two spellings: .NET's for CipherSuitesPolicy, OpenSSL's for the configuration.
    private static readonly (TlsCipherSuite Suite, string OpenSslName, bool Tls13)[] Allowed =
    [
        (TlsCipherSuite.TLS_AES_256_GCM_SHA384, "TLS_AES_256_GCM_SHA384", true),
        (TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256, "TLS_CHACHA20_POLY1305_SHA256", true),
        (TlsCipherSuite.TLS_AES_128_GCM_SHA256, "TLS_AES_128_GCM_SHA256", true),
        (TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, "ECDHE-ECDSA-AES256-GCM-SHA384", false),
        (TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, "ECDHE-ECDSA-CHACHA20-POLY1305", false),
        (TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, "ECDHE-ECDSA-AES128-GCM-SHA256", false),
        (TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, "ECDHE-RSA-AES256-GCM-SHA384", false),
        (TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, "ECDHE-RSA-CHACHA20-POLY1305", false),
        (TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, "ECDHE-RSA-AES128-GCM-SHA256", false),
    ];

    // The configuration names a private OID (2.25: an OID made from a UUID, RFC 4122 section 8.2.1).
    // OpenSSL knows that name only when it runs this configuration, which is how the server tells.
    private const string CanaryOid = "2.25.81113814870409601553472790932812708202";
    private const string CanaryName = "mtlsServeTlsPolicy";

    /// <summary>
    /// An OpenSSL configuration file that applies the same suites to every SSL_CTX of the process
    /// (the `system_default` section of OpenSSL's ssl_conf module), with TLS 1.2 as the floor, one
    /// TLS 1.3 session ticket per handshake and no renegotiation.
    /// </summary>
    public static string OpenSslConfiguration { get; } = BuildConfiguration();

    private static string BuildConfiguration()
    {
        var text = new StringBuilder();
        text.Append("# mtls serve: forward-secret AEAD suites only, TLS 1.2 and 1.3 (Mtls.Server.TlsCipherSuites)\n");
        text.Append("openssl_conf = mtls_init\n[mtls_init]\nssl_conf = mtls_ssl\noid_section = mtls_oids\n");
        text.Append("[mtls_oids]\n").Append(CanaryName).Append(" = ").Append(CanaryOid).Append('\n');
        text.Append("[mtls_ssl]\nsystem_default = mtls_tls\n[mtls_tls]\nMinProtocol = ").Append(Mtls.Pki.Trust.TlsProtocols.OpenSslMinimum).Append('\n');
        text.Append("CipherString = ").AppendJoin(':', Allowed.Where(a => !a.Tls13).Select(a => a.OpenSslName)).Append('\n');
        text.Append("Ciphersuites = ").AppendJoin(':', Allowed.Where(a => a.Tls13).Select(a => a.OpenSslName)).Append('\n');
        // One TLS 1.3 ticket per handshake instead of OpenSSL's two: a client resumes with one, and OpenSSL
        // 3.0 copies the whole session (re-parsing the client's certificate) for each ticket it issues:
        // 6% of the instructions of a full P-384 mTLS handshake (callgrind, bench/RESULTS.md "Notes on this session's server changes").
        text.Append("NumTickets = 1\n");
        // A client's TLS 1.2 renegotiation is refused with a no_renegotiation alert (RenegotiationGuard
        // makes it leave at once). mtls serve never renegotiates: it asks for the client certificate in
        // the first handshake.
        text.Append("Options = NoRenegotiation\n");
        return text.ToString();
    }

    /// <summary>True when this process's OpenSSL runs <see cref="OpenSslConfiguration"/> (checked once).</summary>
    public static bool EnforcedByOpenSslConfiguration => Built.ConfigurationActive;

    public static void Apply(SslServerAuthenticationOptions options)
    {
        if (Built.ConfigurationActive) return; // the SSL_CTX already has these suites, and stays cacheable
        if (Built.Policy is not null && (OperatingSystem.IsLinux() || OperatingSystem.IsFreeBSD()))
            options.CipherSuitesPolicy = Built.Policy;
    }

    // Built once, on first use, not as static fields of the outer class: both start OpenSSL, and reading
    // OpenSslConfiguration must not (a process reads it before OpenSSL starts).
    private static class Built
    {
        public static readonly bool ConfigurationActive =
            OperatingSystem.IsLinux() && new Oid(CanaryOid).FriendlyName == CanaryName;

        // A policy compiles its suite list to an OpenSSL string: not something to do per handshake.
        public static readonly CipherSuitesPolicy? Policy = OperatingSystem.IsLinux() || OperatingSystem.IsFreeBSD()
            ? new CipherSuitesPolicy(Allowed.Select(a => a.Suite))
            : null;
    }
}
