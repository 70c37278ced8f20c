using System.Net.Security;

namespace Mtls.Server;

/// <summary>
/// The cipher suites the server offers: forward-secret AEAD only. Left to its defaults, SslStream on
/// Linux also offers the TLS 1.2 CBC suites ECDHE-*-AES128-SHA256 and ECDHE-*-AES256-SHA384 (seen by
/// sslscan and testssl.sh, bench/tls-audit.sh); CBC in TLS 1.2 is MAC-then-encrypt, the root of
/// Lucky13-style padding oracles, and every client we serve (curl, browsers, Go, .NET, mtls get)
/// negotiates an AEAD suite anyway. TLS 1.3 suites are all AEAD and forward-secret.
/// CipherSuitesPolicy is not supported on Windows (its suites are machine policy there): left alone.
/// </summary>
internal static class TlsCipherSuites
{
    private static readonly TlsCipherSuite[] Allowed =
    [
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    ];

    // Built once: a policy compiles its suite list to an OpenSSL string, not something to do per handshake.
    private static readonly CipherSuitesPolicy? Policy = OperatingSystem.IsLinux() || OperatingSystem.IsFreeBSD() ? new CipherSuitesPolicy(Allowed) : null;

    public static void Apply(SslServerAuthenticationOptions options)
    {
        if (Policy is not null && (OperatingSystem.IsLinux() || OperatingSystem.IsFreeBSD()))
            options.CipherSuitesPolicy = Policy;
    }
}
