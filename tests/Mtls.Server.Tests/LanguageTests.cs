using Mtls.Pki.Text;

namespace Mtls.Server.Tests;

/// <summary>
/// The server's language: answers (400, 403) follow the request's Accept-Language, else the server's
/// language; log lines are in the server's language (English by default). Real curl, as a browser or a
/// script would ask.
/// </summary>
[Trait("Category", "Interop")]
public sealed class LanguageTests(WorkshopPki pki) : IClassFixture<WorkshopPki>
{
    private static ToolResult Curl(params string[] args) => Tool.Run("curl", ["-sS", "--max-time", "10", "-w", "\n%{http_code}", .. args]);

    private const string BrowserAccept = "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    private const string Issuers = "CN=ca.client.example.com,O=Kame,L=Chuo,ST=Tokyo,C=JP";

    [Fact]
    public async Task A_browser_asking_for_japanese_gets_the_japanese_403_page_and_plain_curl_english()
    {
        await using var server = await RunningServer.StartAsync(pki.Server, pki.ClientCa.Certificate);

        var ja = Curl("-H", BrowserAccept, "-H", "Accept-Language: ja,en-US;q=0.9,en;q=0.8", "--cacert", pki["server-ca.crt"], server.Url);
        var jaText = Curl("-H", "Accept-Language: ja-JP", "--cacert", pki["server-ca.crt"], server.Url);
        var plain = Curl("--cacert", pki["server-ca.crt"], server.Url);

        Assert.EndsWith("\n403", ja.Stdout);
        Assert.Contains("<html lang=\"ja\">", ja.Stdout);
        Assert.Contains($"<p>このサーバーには {Issuers} が発行したクライアント証明書が必要ですが、送られていません。", ja.Stdout);
        Assert.StartsWith($"403 Forbidden: このサーバーには {Issuers} が発行したクライアント証明書が必要ですが", jaText.Stdout);
        Assert.StartsWith($"403 Forbidden: this server requires a client certificate issued by {Issuers}, and none was sent.", plain.Stdout);
        // The log is the server's (English), whatever the client asked for.
        Assert.All(server.Log.Where(e => e.Kind == ServerLogKind.Rejected), e => Assert.Contains(": no client certificate was sent", e.Message));
        Assert.Equal(3, server.Log.Count(e => e.Kind == ServerLogKind.Rejected));
    }

    [Fact]
    public async Task A_refused_certificate_is_explained_in_the_language_asked_for()
    {
        using var dir = new TempDir();
        var (cert, key) = TestPki.Save(TestPki.Issue(pki.ImpostorCa, "/O=Kame/CN=Impostor", Pki.Certificates.CertificateProfile.Client), dir.Path, "impostor");
        await using var server = await RunningServer.StartAsync(pki.Server, pki.ClientCa.Certificate);

        var ja = Curl("-H", "Accept-Language: ja", "--cacert", pki["server-ca.crt"], "--cert", cert, "--key", key, server.Url);
        var en = Curl("--cacert", pki["server-ca.crt"], "--cert", cert, "--key", key, server.Url);

        Assert.StartsWith("403 Forbidden: クライアント証明書が拒否されました: ", ja.Stdout);
        Assert.Contains($"このサーバーが受け付けるのは {Issuers} が発行したクライアント証明書です。", ja.Stdout);
        Assert.StartsWith("403 Forbidden: client certificate rejected: ", en.Stdout);
    }

    [Fact]
    public async Task Plain_http_gets_its_400_in_the_language_asked_for()
    {
        await using var server = await RunningServer.StartAsync(pki.Server);
        var url = $"http://localhost:{server.Port}/path";

        var ja = Curl("-H", "Accept-Language: ja", url);
        var plain = Curl(url);

        Assert.Equal($"400 Bad Request: HTTPS サーバーに HTTP のリクエストが送られました。このポートは TLS で通信します。http:// ではなく https://localhost:{server.Port}/path を使ってください。\n\n400", ja.Stdout);
        Assert.Equal($"400 Bad Request: client sent an HTTP request to an HTTPS server. This port speaks TLS: use https://localhost:{server.Port}/path instead of http://.\n\n400", plain.Stdout);
    }

    [Fact]
    public async Task A_japanese_server_logs_in_japanese_and_answers_in_japanese_unless_asked_otherwise()
    {
        var server = await RunningServer.StartInAsync(Language.Japanese, pki.Server, pki.ClientCa.Certificate);
        ToolResult unasked, english;
        try
        {
            unasked = Curl("--cacert", pki["server-ca.crt"], server.Url);
            english = Curl("-H", "Accept-Language: en", "--cacert", pki["server-ca.crt"], server.Url);
        }
        finally
        {
            await server.DisposeAsync();
        }

        Assert.StartsWith("403 Forbidden: このサーバーには ", unasked.Stdout);
        Assert.StartsWith("403 Forbidden: this server requires", english.Stdout);
        Assert.Matches("^127\\.0\\.0\\.1:\\d+, \\[::1\\]:\\d+ で待ち受けています。クライアント証明書: 必須 \\(CN=ca\\.client", server.Single(ServerLogKind.Started).Message);
        Assert.All(server.Log.Where(e => e.Kind == ServerLogKind.Rejected), e => Assert.EndsWith("から): クライアント証明書が送られていません", e.Message));
        Assert.Equal(2, server.Log.Count(e => e.Kind == ServerLogKind.Rejected));
        Assert.Equal("停止しました", server.Single(ServerLogKind.Stopped).Message);
    }

    [Fact]
    public async Task The_hello_answer_follows_accept_language_too()
    {
        await using var server = await RunningServer.StartAsync(pki.Server);

        var html = Curl("-H", BrowserAccept, "-H", "Accept-Language: ja", "--cacert", pki["server-ca.crt"], server.Url);
        var ja = Curl("-H", "Accept-Language: ja", "--cacert", pki["server-ca.crt"], server.Url);
        var en = Curl("--cacert", pki["server-ca.crt"], server.Url);

        Assert.Contains("<html lang=\"ja\">", html.Stdout);
        Assert.Contains("<p>クライアント証明書は求めていません。</p>", html.Stdout);
        Assert.StartsWith("こんにちは! (クライアント証明書なし) TLS 1.3", ja.Stdout);
        Assert.StartsWith("Hello! (no client certificate) TLS 1.3", en.Stdout);
    }

    [Fact]
    public async Task The_default_server_logs_in_english()
    {
        var server = await RunningServer.StartAsync(pki.Server, pki.ClientCa.Certificate);
        await server.DisposeAsync();

        Assert.Contains("; client certificates: required, issued by CN=ca.client", server.Single(ServerLogKind.Started).Message);
        Assert.Equal("stopped", server.Single(ServerLogKind.Stopped).Message);
    }

    [Fact]
    public void Expiry_and_certificate_warnings_are_in_the_language_given()
    {
        var ja = ServerTls.ExpiryWarnings(pki.Server, [], pki.Server.NotAfter.ToUniversalTime().AddDays(-3), Language.Japanese).Single();
        var en = ServerTls.ExpiryWarnings(pki.Server, [], pki.Server.NotAfter.ToUniversalTime().AddDays(-3)).Single();

        Assert.Matches("^サーバー証明書 CN=localhost.* は \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC \\(あと 3 日\\) に期限切れになります: 更新してください: mtls cert renew server.crt", ja);
        Assert.Matches("^the server certificate CN=localhost.* expires on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC, in 3 day\\(s\\): renew it", en);
    }
}
