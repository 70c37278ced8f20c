using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Mtls.Ca.Report;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inventory;
using Mtls.Pki.Text;

namespace Mtls.Ca.Tests.Report;

/// <summary>The page: self-contained, hostile names escaped exactly, the right numbers, both languages.</summary>
public partial class CaReportHtmlTests
{
    // Markup, quotes, an ampersand, a right-to-left override, a newline and a zero-width joiner, as a
    // hand-edited or foreign inventory could hold them (our own CA escapes subjects before recording).
    private const string HostileSubject = "CN=<script>alert(\"x\")</script> 'q' & co\u202Egpj.exe\nX-Forged: 1\u200D";
    private const string HostileSan = "DNS:\"><img src=x onerror=alert(1)>";

    /// <summary>
    /// Four certificates: one valid, one expiring, one revoked before the CRL was published, and the
    /// hostile one, revoked after it (so the page says the CRL does not list it yet).
    /// </summary>
    private static CaReport HostileReport(ReportFixture f)
    {
        f.Issue("/CN=ok.example", 10, 365);
        f.Issue("/CN=soon.example", 80, 90);
        var template = f.Issue("/CN=revoked.example", 80, 90);
        f.Revoke(template, 2, X509RevocationReason.KeyCompromise);
        var crl = f.Crl(ReportFixture.Now.AddDays(-1), ReportFixture.Now.AddDays(6));
        var hostile = template with { Serial = "0BADBAD0", Subject = HostileSubject, SubjectAltNames = [HostileSan], Profile = "client<b>", RevokedAt = null, RevocationReason = null };
        f.Inventory.Record([hostile]);
        f.Revoke(hostile, 0, X509RevocationReason.PrivilegeWithdrawn);
        return f.Report(crl);
    }

    /// <summary>Every start tag; escaped text can never form one.</summary>
    [GeneratedRegex(@"<[a-zA-Z][^>]*>")]
    private static partial Regex Tag();

    [Theory]
    [InlineData("en")]
    [InlineData("ja")]
    public void The_page_has_no_script_and_loads_nothing(string lang)
    {
        using var f = new ReportFixture();
        var html = CaReportHtml.Render(HostileReport(f), CultureInfo.GetCultureInfo(lang));

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<iframe", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        var tags = Tag().Matches(html).Select(m => m.Value).ToList();
        Assert.Contains("<style>", tags);
        Assert.DoesNotContain(tags, t => Regex.IsMatch(t, @"\s(?:src|href|action|formaction|poster|background|xlink:href|on\w+)\s*=", RegexOptions.IgnoreCase));
        // The one URL in the page is the SVG namespace, a name that is never fetched.
        Assert.Equal(["http://www.w3.org/2000/svg"], Regex.Matches(html, @"https?://[^\s""'<>]*").Select(m => m.Value).Distinct());
        // The one style sheet is allowed by its hash, so the policy forbids every other style and script.
        var style = Regex.Match(html, "<style>(.*?)</style>", RegexOptions.Singleline).Groups[1].Value;
        var hash = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(style)));
        Assert.Contains($"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-{hash}'\">", html);
        Assert.Single(Regex.Matches(html, "<style"));
        Assert.DoesNotContain(" style=", html, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<svg class=\"timeline\"", html);
    }

    [Fact]
    public void A_hostile_subject_is_escaped_exactly()
    {
        using var f = new ReportFixture();
        var html = CaReportHtml.Render(HostileReport(f), Language.English);

        const string Marked = "CN=&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &#x27;q&#x27; &amp; co<span class=\"hidden-char\">[U+202E]</span>gpj.exe"
            + "<span class=\"hidden-char\">[U+000A]</span>X-Forged: 1<span class=\"hidden-char\">[U+200D]</span>";
        Assert.Contains("<bdi class=\"dn\">" + Marked + "</bdi>", html);                  // the issued table
        Assert.Equal(2, Regex.Matches(html, Regex.Escape("<bdi class=\"dn\">" + Marked + "</bdi>")).Count); // and the revoked table
        const string Plain = "CN=&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &#x27;q&#x27; &amp; co[U+202E]gpj.exe[U+000A]X-Forged: 1[U+200D]";
        Assert.Contains("<title>" + Plain, html);                                           // the chart's tooltip
        Assert.Contains("<bdi>DNS:&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</bdi>", html);
        Assert.Contains("<td>client&lt;b&gt;</td>", html);

        // Nothing that acts instead of showing survives anywhere in the page (the style sheet's and
        // the document's own line breaks aside).
        Assert.DoesNotContain('\u202E', html);
        Assert.DoesNotContain('\u200D', html);
        Assert.DoesNotContain("\nX-Forged", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_numbers_on_the_page_are_the_reports()
    {
        using var f = new ReportFixture();
        var html = CaReportHtml.Render(HostileReport(f), Language.English);

        Assert.Contains("<div class=\"card total\"><div class=\"n\">4</div><div class=\"l\">issued</div></div>", html);
        Assert.Contains("<div class=\"card valid\"><div class=\"n\">1</div>", html);
        Assert.Contains("<div class=\"card expiring\"><div class=\"n\">1</div>", html);
        Assert.Contains("<div class=\"card expired\"><div class=\"n\">0</div>", html);
        Assert.Contains("<div class=\"card revoked\"><div class=\"n\">2</div>", html);
        Assert.Contains("<div class=\"card current\"><div class=\"n date\">2026-06-21 12:00</div><div class=\"l\">CRL next update</div></div>", html);
        Assert.Contains("As of 2026-06-15 12:00 UTC", html);
        Assert.Contains("<td class=\"when\">2026-06-13 12:00</td>", html);                  // revoked two days before now
        Assert.Contains("<td class=\"reason\">keyCompromise</td>", html);
        Assert.Contains(">Revoked in the inventory but not listed in this CRL: 1.", html);            // the hostile one, revoked in the inventory only
        Assert.Equal(4, Regex.Matches(html, "<g class=\"row ").Count);                     // one bar per certificate
        Assert.Contains("<g class=\"row expiring\">", html);
        Assert.Contains("! expiring soon</text>", html);                                    // the status in words beside each bar
        Assert.Contains("<text class=\"now-label\"", html);
        Assert.Contains("<rect class=\"horizon\"", html);
    }

    [Fact]
    public void The_japanese_page_is_in_japanese()
    {
        using var f = new ReportFixture();
        var report = HostileReport(f);
        var ja = CaReportHtml.Render(report, Language.Japanese);
        var en = CaReportHtml.Render(report, Language.English);

        Assert.Contains("<html lang=\"ja\">", ja);
        Assert.Contains("<html lang=\"en\">", en);
        foreach (var phrase in (string[])["認証局レポート", "発行した証明書", "失効した証明書", "いつ何が期限切れになるか", "まもなく期限切れ", "証明書失効リスト", "2026-06-15 12:00 UTC 時点"])
            Assert.Contains(phrase, ja);
        foreach (var english in (string[])["What it issued", "What was revoked", "expiring soon", "Certificate authority report", "next update", "Subject"])
            Assert.DoesNotContain(english, ja);
        // Names, dates and serials are not translated.
        Assert.Contains("<td class=\"when\">2026-06-13 12:00</td>", ja);
        Assert.Contains("<td class=\"reason\">keyCompromise</td>", ja);
    }

    [Fact]
    public void An_empty_inventory_and_no_crl_say_so()
    {
        using var f = new ReportFixture();
        var html = CaReportHtml.Render(f.Report(), Language.English);
        Assert.Contains("This CA&#x27;s inventory holds no certificates yet.", html);
        Assert.Contains("Nothing was revoked.", html);
        Assert.Contains("No CRL was given.", html);
        Assert.DoesNotContain("<svg", html);
    }
}
