namespace Mtls.Server.Tests;

/// <summary>Other TLS stacks as clients of <see cref="MtlsServer"/>: OpenSSL's s_client and GnuTLS's gnutls-cli.</summary>
[Trait("Category", "Interop")]
public class PeerTests(WorkshopPki pki) : IClassFixture<WorkshopPki>
{
    private const string Request = "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

    [Fact]
    public async Task Openssl_s_client_with_a_client_certificate_gets_200()
    {
        await using var server = await RunningServer.StartAsync(pki.Server, pki.ClientCa.Certificate);
        // -ign_eof: keep reading after stdin ends, until the server closes (Connection: close).
        var result = Tool.Run("openssl", ["s_client", "-connect", $"localhost:{server.Port}", "-servername", "localhost",
            "-CAfile", pki["server-ca.crt"], "-verify_return_error", "-cert", pki["client.crt"], "-key", pki["client.key"], "-ign_eof"], stdin: Request, timeout: TimeSpan.FromSeconds(20));

        // Exit 0: the server ends with a close_notify (TlsClose); without it OpenSSL 3 reports "unexpected
        // eof while reading" (exit 1) after the whole response has arrived.
        Assert.True(result.Stdout.Contains("200 OK") && result.ExitCode == 0, result.ToString());
        Assert.Contains("Verification: OK", result.Stdout);
        Assert.Contains("Hello, CN=Super Client,O=Kame,L=Chuo,ST=Tokyo,C=JP!", result.Stdout);
        Assert.Contains("Acceptable client certificate CA names", result.Stdout); // we name our client CA in the handshake
        Assert.Contains("CN = ca.client.example.com", result.Stdout);
        Assert.Equal("CN=Super Client,O=Kame,L=Chuo,ST=Tokyo,C=JP", server.Single(ServerLogKind.Request).ClientSubject);
    }

    [Fact]
    public async Task Gnutls_cli_with_a_client_certificate_gets_200()
    {
        await using var server = await RunningServer.StartAsync(pki.Server, pki.ClientCa.Certificate);
        var result = Tool.Run("gnutls-cli", ["--x509cafile", pki["server-ca.crt"], "--x509certfile", pki["client.crt"], "--x509keyfile", pki["client.key"],
            "-p", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "localhost"], stdin: Request, timeout: TimeSpan.FromSeconds(20));

        Assert.True(result.Stdout.Contains("HTTP/1.1 200 OK"), result.ToString());
        Assert.Contains("Hello, CN=Super Client,O=Kame,L=Chuo,ST=Tokyo,C=JP!", result.Stdout);
        Assert.Equal("CN=Super Client,O=Kame,L=Chuo,ST=Tokyo,C=JP", server.Single(ServerLogKind.Request).ClientSubject);
    }
}
