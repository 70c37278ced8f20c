using Mtls.Pki.Certificates;

namespace Mtls.Server.Tests;

/// <summary>
/// What a failed handshake's line says, with real peers. A browser that drops its connection after the
/// server's certificate request (EOF, no alert) is detail (Verbose); a client that refuses the server's
/// certificate says so with an alert, and each alert's hint names the cause the clients that send it mean.
/// </summary>
[Trait("Category", "Interop")]
public sealed class HandshakeFailureLineTests(WorkshopPki pki) : IClassFixture<WorkshopPki>
{
    private static async Task<ServerLogEntry> FailureAsync(RunningServer server, int skip = 0)
    {
        for (var i = 0; i < 600; i++) // up to 15 s: the whole suite runs beside this on two cores
        {
            if (server.Log.Where(e => e.Kind == ServerLogKind.HandshakeFailed).Skip(skip).FirstOrDefault() is { } entry) return entry;
            await Task.Delay(25);
        }
        throw new InvalidOperationException($"no HandshakeFailed line; log: {string.Join(" | ", server.Log.Select(e => e.Message))}");
    }

    /// <summary>
    /// Runs a refusing client until the server reads its alert. A client that closes with the server's
    /// flight still unread makes its kernel send a reset, which can overtake the alert ("Connection reset
    /// by peer", or an EOF): a TCP race, not the alert's meaning, so that attempt is repeated.
    /// </summary>
    private static async Task<ServerLogEntry> AlertAsync(RunningServer server, Func<ToolResult> client)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var result = client();
            Assert.True(result.ExitCode != 0, $"the client accepted the server: {result}");
            var line = await FailureAsync(server, attempt);
            // A reset, or an EOF read before the alert: the same race.
            if (line.Message.Contains("alert ", StringComparison.Ordinal)) return line;
        }
        throw new InvalidOperationException("5 attempts and no alert: " + string.Join(" | ", server.Log.Select(e => e.Message)));
    }

    private static ToolResult Run(string tool, params string[] args) => Tool.Run(tool, args, stdin: "", timeout: TimeSpan.FromSeconds(30));

    [Fact]
    public async Task A_browsers_dropped_first_connection_is_a_verbose_line()
    {
        await using var server = await RunningServer.StartAsync(pki.Server, pki.ClientCa.Certificate);
        await BrowserLikeClient.DropAfterCertificateRequestAsync("localhost", server.Port);
        var line = await FailureAsync(server);
        Assert.True(line.Verbose, line.Message);
        Assert.EndsWith(": Received an unexpected EOF or 0 bytes from the transport stream (the client hung up during the handshake without a TLS alert; "
            + "browsers do this to their first connection after the server asks for a client certificate, so one or two per visit are normal)", line.Message);
    }

    private const string UnknownCa = "alert unknown ca (the client does not trust the CA that issued this server's certificate: give it that CA, e.g. curl --cacert server-ca.crt)";
    private const string BadCertificate = "alert bad certificate (the client refused this server's certificate: Go and GnuTLS clients say this when they do not trust its CA, "
        + "any client when its names do not match the host it asked for; mtls verify server.crt --cacert server-ca.crt --host HOST tells which)";
    private const string CertificateUnknown = "alert certificate unknown (the client could not accept this server's certificate and did not say why: "
        + "Java and Chromium-based browsers say this when they do not trust its CA (add server-ca.crt to the client's trust store), others when its names do not match the host)";
    private const string Expired = "alert certificate expired (the client says this server's certificate has expired: renew it (mtls cert renew), or check the client's clock)";
    private const string Unsupported = "alert unsupported certificate (the client says this certificate is not for a TLS server (no serverAuth in its extendedKeyUsage): reissue it with mtls ca sign --profile server)";

    /// <summary>Each row: a real client refusing the server's certificate, and the hint its alert gets.</summary>
    [Theory]
    [InlineData("curl, untrusted CA", UnknownCa)]
    [InlineData("openssl s_client, untrusted CA", UnknownCa)]
    [InlineData("gnutls-cli, untrusted CA", BadCertificate)]
    [InlineData("openssl s_client, name mismatch", BadCertificate)]
    [InlineData("gnutls-cli, name mismatch", BadCertificate)]
    [InlineData("openssl s_client, required policy missing", CertificateUnknown)]
    [InlineData("java, untrusted CA", CertificateUnknown)]
    public async Task A_client_refusing_the_server_certificate_gets_its_alerts_true_cause(string peer, string hint)
    {
        await using var server = await RunningServer.StartAsync(pki.Server);
        var port = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var ca = pki["server-ca.crt"];
        var at = $"127.0.0.1:{port}";
        var line = await AlertAsync(server, () => peer switch
        {
            "curl, untrusted CA" => Run("curl", "-sS", "--max-time", "10", server.Url),
            "openssl s_client, untrusted CA" => Run("openssl", "s_client", "-connect", at, "-verify_return_error"),
            "gnutls-cli, untrusted CA" => Run("gnutls-cli", "--port", port, "localhost"),
            "openssl s_client, name mismatch" => Run("openssl", "s_client", "-connect", at, "-CAfile", ca, "-verify_hostname", "wrong.example", "-verify_return_error"),
            "gnutls-cli, name mismatch" => Run("gnutls-cli", "--port", port, "--x509cafile", ca, "--verify-hostname", "wrong.example", "localhost"),
            "openssl s_client, required policy missing" => Run("openssl", "s_client", "-connect", at, "-CAfile", ca, "-explicit_policy", "-policy", "1.2.3.4", "-verify_return_error"),
            "java, untrusted CA" => Java(server.Url),
            _ => throw new ArgumentException(peer),
        });
        Assert.False(line.Verbose, line.Message);
        Assert.EndsWith(hint, line.Message);
    }

    [Fact]
    public async Task An_expired_server_certificate_gets_the_expired_hint()
    {
        using var dir = new TempDir();
        using var oldCa = TestPki.Root("/CN=Old CA", DateTimeOffset.UtcNow.AddDays(-60));
        var expired = TestPki.Issue(oldCa, "/CN=localhost", CertificateProfile.Server, ["DNS:localhost"], now: DateTimeOffset.UtcNow.AddDays(-40), days: 10);
        await using var server = await RunningServer.StartAsync(expired);
        var line = await AlertAsync(server, () => Run("openssl", "s_client", "-connect", $"127.0.0.1:{server.Port}", "-CAfile", TestPki.SaveCa(oldCa, dir.Path, "old-ca"), "-verify_return_error"));
        Assert.EndsWith(Expired, line.Message);
    }

    [Fact]
    public async Task A_client_certificate_served_as_a_servers_gets_the_unsupported_hint()
    {
        var clientOnly = TestPki.Issue(pki.ServerCa, "/CN=localhost", CertificateProfile.Client, ["DNS:localhost"]);
        await using var server = await RunningServer.StartAsync(clientOnly);
        // openssl s_client checks the serverAuth purpose as curl does and sends the same alert; curl closed so
        // fast that the server read a reset instead, five times in a row under CI's load.
        var line = await AlertAsync(server, () => Run("openssl", "s_client", "-connect", $"127.0.0.1:{server.Port}", "-servername", "localhost",
            "-CAfile", pki["server-ca.crt"], "-verify_return_error"));
        Assert.EndsWith(Unsupported, line.Message);
    }

    /// <summary>A Java HTTPS client (java runs a single source file) with the default trust store.</summary>
    private static ToolResult Java(string url)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["Get.java"], """
            public class Get {
                public static void main(String[] args) throws Exception {
                    new java.net.URL(args[0]).openStream().close();
                }
            }
            """);
        return Tool.Run("java", [dir["Get.java"], url], stdin: "", timeout: TimeSpan.FromSeconds(60));
    }
}
