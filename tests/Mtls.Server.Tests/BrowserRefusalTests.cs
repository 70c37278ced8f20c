using System.Security.Cryptography.X509Certificates;

namespace Mtls.Server.Tests;

/// <summary>
/// A refused client that is a browser (Accept: text/html) gets the same reason as an HTML page, with
/// everything from its certificate escaped; other clients keep the one-line text.
/// </summary>
[Trait("Category", "Interop")]
public sealed class BrowserRefusalTests(WorkshopPki pki) : IClassFixture<WorkshopPki>
{
    private static ToolResult Curl(params string[] args) => Tool.Run("curl", ["-sS", "--max-time", "10", "-w", "\n%{http_code} %{content_type}", .. args]);

    private const string BrowserAccept = "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    [Fact]
    public async Task No_certificate_gives_a_browser_an_html_page_and_curl_a_text_line()
    {
        await using var server = await RunningServer.StartAsync(pki.Server, pki.ClientCa.Certificate);

        var html = Curl("-H", BrowserAccept, "--cacert", pki["server-ca.crt"], server.Url);
        Assert.EndsWith("\n403 text/html; charset=utf-8", html.Stdout);
        Assert.StartsWith("<!doctype html>", html.Stdout);
        Assert.Contains("<h1>403 Forbidden</h1>", html.Stdout);
        Assert.Contains("<p>this server requires a client certificate issued by CN=ca.client.example.com,O=Kame,L=Chuo,ST=Tokyo,C=JP, and none was sent. Send one: curl --cert client.crt --key client.key ...", html.Stdout);

        var text = Curl("--cacert", pki["server-ca.crt"], server.Url);
        Assert.Equal("403 Forbidden: this server requires a client certificate issued by CN=ca.client.example.com,O=Kame,L=Chuo,ST=Tokyo,C=JP, and none was sent. "
            + "Send one: curl --cert client.crt --key client.key ..., or mtls get --cert client.crt --key client.key ...\n\n403 text/plain; charset=utf-8", text.Stdout);
    }

    [Fact]
    public async Task A_hostile_subject_is_escaped_in_the_html_refusal()
    {
        using var dir = new TempDir();
        var name = new X500DistinguishedNameBuilder();
        name.AddOrganizationName("<script>alert(1)</script>");
        name.AddCommonName("Mallory \"&' <b>");
        var (cert, key) = TestPki.Save(HostileCertificates.Client(pki.ImpostorCa, name.Build()), dir.Path, "evil");
        await using var server = await RunningServer.StartAsync(pki.Server, pki.ClientCa.Certificate);

        var html = Curl("-H", BrowserAccept, "--cacert", pki["server-ca.crt"], "--cert", cert, "--key", key, server.Url);

        Assert.EndsWith("\n403 text/html; charset=utf-8", html.Stdout);
        Assert.Contains("client certificate rejected: ", html.Stdout);
        // RFC 4514 escapes <, > and " with a backslash; HTML escaping comes on top.
        Assert.Contains("<p>client certificate rejected: O=\\&lt;script\\&gt;alert(1)\\&lt;/script\\&gt;,CN=Mallory \\&quot;&amp;&#39; \\&lt;b\\&gt;: issued by CN=ca.client.example.com", html.Stdout);
        Assert.DoesNotContain("<script>", html.Stdout);
        Assert.DoesNotContain("<b>", html.Stdout);
    }
}
