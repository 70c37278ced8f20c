using System.Text.RegularExpressions;
using Mtls.Ca.Report;
using Mtls.Pki.Text;

namespace Mtls.Ca.Tests.Report;

/// <summary>
/// The page as a real browser reads it: headless Chromium loads the file and dumps its DOM, which holds
/// the tables and the chart, the hostile name as text (never as an element), and no script.
/// </summary>
[Trait("Category", "Browser")]
public partial class ReportInChromiumTests
{
    [GeneratedRegex("<tr class=\"(valid|expiring|expired|revoked|superseded)\">")]
    private static partial Regex CertificateRow();

    [Fact]
    public void Chromium_renders_the_tables_and_the_chart_and_no_script()
    {
        Assert.True(Tool.Exists("chromium"), "chromium is missing: apt-get install chromium (the Browser test group needs it)");
        using var f = new ReportFixture();
        using var dir = new TempDir();
        f.Issue("/CN=ok.example", 10, 365);
        var soon = f.Issue("/CN=soon.example", 80, 90);
        f.Inventory.Record([soon with { Serial = "0BADBAD0", Subject = "CN=<img src=x onerror=alert(1)><script>alert(2)</script>\u202Eevil" }]);
        f.Revoke(soon, 1, System.Security.Cryptography.X509Certificates.X509RevocationReason.KeyCompromise);
        var page = dir["report.html"];
        File.WriteAllText(page, CaReportHtml.Render(f.Report(), Language.English));

        var chromium = Tool.Run("chromium", ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", $"--user-data-dir={dir["profile"]}", "--dump-dom", "file://" + page],
            timeout: TimeSpan.FromSeconds(60));

        var dom = chromium.Stdout;
        Assert.True(dom.Contains("What it issued", StringComparison.Ordinal), $"Chromium showed no report (exit {chromium.ExitCode}): {chromium.Stderr}");
        Assert.Equal(3, CertificateRow().Matches(dom).Count);
        Assert.Contains("<svg class=\"timeline\"", dom);
        Assert.Equal(3, Regex.Matches(dom, "<g class=\"row ").Count);
        Assert.DoesNotContain("<script", dom, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", dom, StringComparison.OrdinalIgnoreCase);
        // The browser parsed the hostile name as text: it serialises it escaped again, the override made visible.
        Assert.Contains("CN=&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;<span class=\"hidden-char\">[U+202E]</span>evil", dom);
    }
}
