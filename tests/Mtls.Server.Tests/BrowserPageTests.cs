using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Mtls.Server.Tests;

/// <summary>
/// The pages a browser gets look right without giving up the Content-Security-Policy: their one style
/// sheet is allowed by its hash in the header, and they carry a viewport and both colour schemes.
/// </summary>
[Trait("Category", "Interop")]
public sealed class BrowserPageTests(WorkshopPki pki) : IClassFixture<WorkshopPki>
{
    private const string BrowserAccept = "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    private static (string Headers, string Body) Get(params string[] args)
    {
        var r = Tool.Run("curl", ["-sS", "-i", "--max-time", "10", "-H", BrowserAccept, .. args]);
        Assert.True(r.ExitCode == 0, r.ToString());
        var split = r.Stdout.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (r.Stdout[..split], r.Stdout[(split + 4)..]);
    }

    private static void AssertStyledUnderItsPolicy(string headers, string body)
    {
        var style = Regex.Match(body, "<style>(.*?)</style>", RegexOptions.Singleline).Groups[1].Value;
        Assert.NotEmpty(style);
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style)));
        Assert.Contains($"content-security-policy: default-src 'none'; style-src 'sha256-{hash}'; frame-ancestors 'none'", headers, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">", body);
        Assert.Contains("prefers-color-scheme:dark", style);
        Assert.DoesNotContain("<script", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_hello_page_and_the_refusal_are_styled_under_the_policy_in_both_languages()
    {
        await using var server = await RunningServer.StartAsync(pki.Server, pki.ClientCa.Certificate);

        var (headers, hello) = Get("--cacert", pki["server-ca.crt"], "--cert", pki["client.crt"], "--key", pki["client.key"], server.Url);
        AssertStyledUnderItsPolicy(headers, hello);
        Assert.Contains("<main class=\"ok\">", hello);
        Assert.Contains("<html lang=\"en\">", hello);

        var (refusedHeaders, refused) = Get("--cacert", pki["server-ca.crt"], "-H", "Accept-Language: ja", server.Url);
        AssertStyledUnderItsPolicy(refusedHeaders, refused);
        Assert.Contains("<main class=\"refused\">", refused);
        Assert.Contains("<html lang=\"ja\">", refused);
        Assert.Contains("<h1>403 Forbidden</h1>", refused);
    }
}
