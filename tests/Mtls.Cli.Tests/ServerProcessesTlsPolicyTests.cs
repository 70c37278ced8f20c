namespace Mtls.Cli.Tests;

/// <summary>
/// `mtls proxy` and `mtls ca serve` run the same OpenSSL configuration as `mtls serve`
/// (OpenSslProcessConfiguration): TLS 1.2 CBC suites refused, AEAD accepted, and sessions resumed
/// (before, `proxy` set a suite policy on every handshake, which turns .NET's SSL_CTX cache and so
/// resumption off, and `ca serve` offered OpenSSL's defaults, CBC included). openssl s_client is the peer.
/// </summary>
[Trait("Category", "Interop")]
public sealed class ServerProcessesTlsPolicyTests : IDisposable
{
    private readonly TempDir _dir = new();

    public ServerProcessesTlsPolicyTests() => WorkshopPkiTests.MakeWorkshopPki(_dir);

    public void Dispose() => _dir.Dispose();

    private ToolResult SClient(int port, string caFile, params string[] args) =>
        Tool.Run("openssl", ["s_client", "-connect", $"127.0.0.1:{port}", "-servername", "localhost", "-CAfile", caFile,
            "-cert", "client.crt", "-key", "client.key", .. args], _dir.Path, stdin: "");

    [Fact]
    public async Task The_proxy_refuses_cbc_suites_and_resumes_sessions()
    {
        // The backend is never reached: these are handshakes only.
        using var proxy = await ServeProcess.StartProxyAsync(_dir.Path, "--cert", "server.crt", "--key", "server.key", "--client-ca", "client-ca.crt",
            "--port", "0", "--allow-all", "--target", "http://127.0.0.1:9");
        AssertPolicy(proxy.Port, "server-ca.crt");
    }

    [Fact]
    public async Task The_online_ca_refuses_cbc_suites_and_resumes_sessions()
    {
        using var ca = await CaServeProcess.StartAsync(_dir.Path, "--ca-cert", "client-ca.crt", "--ca-key", "client-ca.key");
        AssertPolicy(new Uri(ca.Url).Port, "client-ca.crt");
    }

    private void AssertPolicy(int port, string caFile)
    {
        foreach (var cbc in (string[])["ECDHE-ECDSA-AES128-SHA256", "ECDHE-ECDSA-AES256-SHA384", "ECDHE-ECDSA-AES128-SHA"])
        {
            var refused = SClient(port, caFile, "-tls1_2", "-cipher", cbc);
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("Cipher is (NONE)", refused.Stdout);
        }
        var aead = SClient(port, caFile, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256");
        Assert.Contains("Cipher is ECDHE-ECDSA-AES128-GCM-SHA256", aead.Stdout);
        Assert.Contains("Verify return code: 0 (ok)", aead.Stdout);

        var reconnect = SClient(port, caFile, "-tls1_2", "-reconnect");
        Assert.True(reconnect.Stdout.Contains("\nReused, TLSv1.2", StringComparison.Ordinal), reconnect.ToString());
    }
}
