namespace Mtls.Server.Tests;

/// <summary>
/// What openssl s_client can negotiate with our server: TLS 1.2 and 1.3 with forward-secret AEAD suites
/// only. The TLS 1.2 CBC suites SslStream offers by default on Linux are refused (TlsCipherSuites).
/// bench/tls-audit.sh checks the same with testssl.sh and sslscan. This process (the test host) started
/// OpenSSL with the machine's configuration, so these servers hold the line with the per-handshake
/// policy; the `mtls serve` process does it with TlsCipherSuites.OpenSslConfiguration (ServeResumptionTests).
/// </summary>
[Trait("Category", "Interop")]
public class TlsPolicyTests(WorkshopPki pki) : IClassFixture<WorkshopPki>
{
    [Theory]
    [InlineData("-tls1_2", "ECDHE-ECDSA-AES128-GCM-SHA256", true)]
    [InlineData("-tls1_2", "ECDHE-ECDSA-AES256-GCM-SHA384", true)]
    [InlineData("-tls1_2", "ECDHE-ECDSA-CHACHA20-POLY1305", true)]
    [InlineData("-tls1_2", "ECDHE-ECDSA-AES128-SHA256", false)] // CBC
    [InlineData("-tls1_2", "ECDHE-ECDSA-AES256-SHA384", false)] // CBC
    [InlineData("-tls1_2", "ECDHE-ECDSA-AES128-SHA", false)]
    [InlineData("-tls1_1", "DEFAULT:@SECLEVEL=0", false)]
    [InlineData("-tls1", "DEFAULT:@SECLEVEL=0", false)]
    public async Task Only_forward_secret_AEAD_suites_over_TLS_1_2_and_1_3(string protocol, string cipher, bool accepted)
    {
        await using var server = await RunningServer.StartAsync(pki.Server);
        var result = Tool.Run("openssl", ["s_client", "-connect", $"127.0.0.1:{server.Port}", "-servername", "localhost", protocol, "-cipher", cipher,
            "-CAfile", pki["server-ca.crt"], "-verify_return_error"], stdin: "", timeout: TimeSpan.FromSeconds(20));
        Assert.True(accepted == (result.ExitCode == 0 && result.Stdout.Contains("Cipher is " + cipher, StringComparison.Ordinal)), result.ToString());
    }

    [Fact]
    public async Task TLS_1_3_still_offers_all_three_AEAD_suites()
    {
        await using var server = await RunningServer.StartAsync(pki.Server);
        foreach (var suite in (string[])["TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256"])
        {
            var result = Tool.Run("openssl", ["s_client", "-connect", $"127.0.0.1:{server.Port}", "-servername", "localhost", "-tls1_3", "-ciphersuites", suite,
                "-CAfile", pki["server-ca.crt"]], stdin: "", timeout: TimeSpan.FromSeconds(20));
            Assert.True(result.ExitCode == 0 && result.Stdout.Contains(suite, StringComparison.Ordinal), result.ToString());
        }
    }

    [Fact]
    public void The_serve_process_openssl_configuration_allows_exactly_the_same_suites()
    {
        Assert.False(TlsCipherSuites.EnforcedByOpenSslConfiguration); // the test host runs the machine's configuration
        using var dir = new TempDir();
        File.WriteAllText(dir["mtls.cnf"], TlsCipherSuites.OpenSslConfiguration);
        var result = Tool.Run("bash", ["-c", "OPENSSL_CONF=mtls.cnf openssl ciphers -s"], dir.Path);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            ["ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305",
             "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-CHACHA20-POLY1305",
             "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"],
            result.Stdout.Trim().Split(':').Order(StringComparer.Ordinal));
        // The private OID the server checks to know OpenSSL runs this configuration.
        var oid = Tool.Run("bash", ["-c", "OPENSSL_CONF=mtls.cnf openssl asn1parse -genstr OID:2.25.81113814870409601553472790932812708202"], dir.Path);
        Assert.Contains(":mtlsServeTlsPolicy", oid.Stdout);
    }
}
