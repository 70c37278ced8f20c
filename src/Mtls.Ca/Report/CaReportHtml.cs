using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Mtls.Pki.Inventory;
using Mtls.Pki.Revocation;

namespace Mtls.Ca.Report;

/// <summary>
/// The CA report page: one self-contained HTML document (inline CSS and SVG, no script, nothing loaded
/// from the network; its Content-Security-Policy forbids both should anything slip through). A pure
/// function of the report and the language, so `mtls ca report` writes it and the online CA can serve it.
/// Every string that came from a certificate or an inventory goes through <see cref="HtmlText"/>.
/// </summary>
public static class CaReportHtml
{
    /// <summary>
    /// The page's policy: nothing may load or run but its one style sheet (allowed by its hash). The page
    /// carries it in a meta element; a server sending the page should send it as a header too.
    /// </summary>
    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(StyleSheet)))}'";

    private const string StyleSheet = "\n" + ReportStyles.Css + "\n";

    public static string Render(CaReport report, CultureInfo language)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(language);
        var text = new ReportText(language);
        var caLabel = SubjectNames.Label(report.Authority.Subject);
        var html = new StringBuilder(64 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"").Append(text.IsJapanese ? "ja" : "en").Append("\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"").Append(ContentSecurityPolicy).Append("\">\n")
            .Append("<meta name=\"referrer\" content=\"no-referrer\">\n")
            .Append("<title>").Append(HtmlText.EncodePlain(text["Page_Title", caLabel])).Append("</title>\n")
            .Append("<style>").Append(StyleSheet).Append("</style>\n</head>\n<body>\n<main>\n");

        html.Append("<header><h1>").Append(E(text["Page_Heading"])).Append("<span class=\"ca\"><bdi>").Append(HtmlText.Encode(caLabel)).Append("</bdi></span></h1>")
            .Append("<p class=\"asof\">").Append(E(text["Page_Generated", ReportText.Time(report.Now)])).Append("</p></header>\n");
        Cards(html, report, text);
        html.Append("<div class=\"pair\">\n");
        Authority(html, report, text);
        Crl(html, report, text);
        html.Append("</div>\n");
        Timeline(html, report, text);
        Revoked(html, report, text);
        Issued(html, report, text);
        html.Append("<footer>").Append(E(text["Page_Footer"])).Append("</footer>\n</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void Cards(StringBuilder html, CaReport report, ReportText text)
    {
        html.Append("<div class=\"cards\">");
        Card(html, "total", report.Certificates.Count.ToString(CultureInfo.InvariantCulture), text["Card_Issued"]);
        foreach (var status in StatusLook.Order)
            Card(html, StatusLook.Css(status), report.Count(status).ToString(CultureInfo.InvariantCulture), StatusLook.Glyph(status) + " " + text[StatusLook.Key(status)]);
        if (report.Crl is { } crl)
            Card(html, CrlState(crl, report.Now), crl.NextUpdate is { } next ? ReportText.Time(next) : text["Crl_NoNextUpdate"], text["Card_CrlNextUpdate"], date: true);
        else
            Card(html, "none", "\u2014", text["Card_NoCrl"]);
        html.Append("</div>\n");
    }

    private static void Card(StringBuilder html, string css, string number, string label, bool date = false) =>
        html.Append("<div class=\"card ").Append(css).Append("\"><div class=\"n").Append(date ? " date" : "").Append("\">").Append(E(number))
            .Append("</div><div class=\"l\">").Append(E(label)).Append("</div></div>");

    private static void Authority(StringBuilder html, CaReport report, ReportText text)
    {
        var ca = report.Authority;
        var days = CaReportBuilder.DaysLeft(ca.NotAfter, report.Now);
        html.Append("<section id=\"ca\"><h2>").Append(E(text["Section_Authority"])).Append("</h2><dl class=\"facts\">");
        Fact(html, text["Field_Subject"], "<bdi>" + HtmlText.Encode(ca.Subject) + "</bdi>");
        Fact(html, text["Field_Issuer"], ca.SelfSigned ? E(text["Field_SelfSigned"]) : "<bdi>" + HtmlText.Encode(ca.Issuer) + "</bdi>");
        Fact(html, text["Field_Validity"], E(text["Validity_Range", ReportText.Time(ca.NotBefore), ReportText.Time(ca.NotAfter)]) + " \u00b7 "
            + (days >= 0 ? E(text["Validity_DaysLeft", days]) : "<span class=\"pill expired\">" + E(text["Validity_Expired", -days]) + "</span>"));
        Fact(html, text["Field_Key"], HtmlText.Encode(ca.KeyType));
        Fact(html, text["Field_Fingerprint"], "<span class=\"mono\">" + HtmlText.Encode(ca.Sha256Fingerprint) + "</span>");
        Fact(html, text["Field_Serial"], "<span class=\"mono\">" + HtmlText.Encode(ca.Serial) + "</span>");
        if (report.Inventory is { } inventory)
            Fact(html, text["Field_Inventory"], "<span class=\"mono\">" + HtmlText.Encode(inventory) + "</span>");
        html.Append("</dl></section>\n");
    }

    private static void Timeline(StringBuilder html, CaReport report, ReportText text)
    {
        html.Append("<section id=\"timeline\"><h2>").Append(E(text["Section_Timeline"])).Append("</h2>")
            .Append("<p class=\"muted\">").Append(E(text["Timeline_Caption", report.ExpiringDays])).Append("</p>");
        if (report.Certificates.Count == 0)
        {
            html.Append("<p>").Append(E(text["Issued_None"])).Append("</p></section>\n");
            return;
        }
        html.Append(ExpiryTimeline.Render(report, text));
        if (report.Certificates.Count > ExpiryTimeline.MaxRows)
            html.Append("<p class=\"note muted\">").Append(E(text["Timeline_More", report.Certificates.Count - ExpiryTimeline.MaxRows])).Append("</p>");
        html.Append("</section>\n");
    }

    private static void Issued(StringBuilder html, CaReport report, ReportText text)
    {
        html.Append("<section id=\"issued\"><h2>").Append(E(text["Section_Issued"])).Append("</h2>");
        if (report.Certificates.Count == 0)
        {
            html.Append("<p>").Append(E(text["Issued_None"])).Append("</p></section>\n");
            return;
        }
        html.Append("<p class=\"muted\">").Append(E(text["Issued_Count", report.Certificates.Count])).Append("</p>")
            .Append("<div class=\"scroll\"><table><thead><tr>");
        foreach (var key in (string[])["Col_Status", "Col_Subject", "Col_Sans", "Col_Profile", "Col_Serial", "Col_NotAfter"])
            html.Append("<th scope=\"col\">").Append(E(text[key])).Append("</th>");
        html.Append("</tr></thead><tbody>\n");
        foreach (var c in report.Certificates)
        {
            var r = c.Record;
            html.Append("<tr class=\"").Append(StatusLook.Css(c.Status)).Append("\"><td>").Append(Pill(c.Status, text)).Append("</td><td>");
            Subject(html, r.Subject);
            if (r.SupersededBy is { } next)
                html.Append("<div class=\"muted\">").Append(E(text["Superseded_By"]).Replace("{0}", "<span class=\"mono\">" + HtmlText.Encode(next) + "</span>", StringComparison.Ordinal)).Append("</div>");
            html.Append("</td><td>").Append(string.Join("<br>", r.SubjectAltNames.Select(s => "<bdi>" + HtmlText.Encode(s) + "</bdi>")))
                .Append("</td><td>").Append(HtmlText.Encode(r.Profile))
                .Append("</td><td class=\"serial mono\">").Append(HtmlText.Encode(r.Serial))
                .Append("</td><td class=\"when\">").Append(ReportText.Time(r.NotAfter))
                .Append("<div class=\"days\" title=\"").Append(E(text["Col_DaysLeft"])).Append("\">").Append(E(c.DaysLeft >= 0 ? text["Validity_DaysLeft", c.DaysLeft] : text["Validity_Expired", -c.DaysLeft])).Append("</div></td></tr>\n");
        }
        html.Append("</tbody></table></div></section>\n");
    }

    private static void Revoked(StringBuilder html, CaReport report, ReportText text)
    {
        var revoked = report.Revoked.ToList();
        html.Append("<section id=\"revoked\"><h2>").Append(E(text["Section_Revoked"])).Append("</h2>");
        if (revoked.Count == 0)
        {
            html.Append("<p>").Append(E(text["Revoked_None"])).Append("</p></section>\n");
            return;
        }
        html.Append("<div class=\"scroll\"><table><thead><tr>");
        foreach (var key in (string[])["Col_RevokedAt", "Col_Subject", "Col_Serial", "Col_Reason", "Col_NotAfter"])
            html.Append("<th scope=\"col\">").Append(E(text[key])).Append("</th>");
        html.Append("</tr></thead><tbody>\n");
        foreach (var c in revoked)
        {
            var r = c.Record;
            html.Append("<tr><td class=\"when\">").Append(ReportText.Time(r.RevokedAt!.Value))
                .Append("</td><td>");
            Subject(html, r.Subject);
            html.Append("</td><td class=\"serial mono\">").Append(HtmlText.Encode(r.Serial))
                .Append("</td><td class=\"reason\">").Append(r.RevocationReason is { } reason ? E(RevocationReasons.Name(reason)) : "\u2014")
                .Append("</td><td class=\"when\">").Append(ReportText.Time(r.NotAfter)).Append("</td></tr>\n");
        }
        html.Append("</tbody></table></div></section>\n");
    }

    private static void Crl(StringBuilder html, CaReport report, ReportText text)
    {
        html.Append("<section id=\"crl\"><h2>").Append(E(text["Section_Crl"])).Append("</h2>");
        if (report.Crl is not { } crl)
        {
            html.Append("<p>").Append(E(text["Crl_NoneGiven"])).Append("</p></section>\n");
            return;
        }
        var state = CrlState(crl, report.Now);
        html.Append("<dl class=\"facts\">");
        Fact(html, text["Crl_File"], "<span class=\"mono\">" + HtmlText.Encode(crl.Source) + "</span>");
        if (crl.Number is { } number) Fact(html, text["Crl_Number"], HtmlText.Encode(number));
        Fact(html, text["Crl_ThisUpdate"], ReportText.Time(crl.ThisUpdate) + " UTC");
        Fact(html, text["Crl_NextUpdate"], crl.NextUpdate is { } next
            ? ReportText.Time(next) + " UTC <span class=\"pill " + state + "\">" + E(text[state == "stale" ? "Crl_Stale" : "Crl_Current"]) + "</span>"
            : E(text["Crl_NoNextUpdate"]));
        Fact(html, text["Crl_Entries"], crl.Entries.ToString(CultureInfo.InvariantCulture));
        html.Append("</dl>");
        html.Append(crl.NotListed.Count > 0
            ? "<p class=\"note warn\">" + E(text["Crl_Missing", crl.NotListed.Count]) + "</p>"
            : "<p class=\"note muted\">" + E(text["Crl_AllListed"]) + "</p>");
        html.Append("</section>\n");
    }

    /// <summary>"stale" once the CRL's next update has passed (relying parties may refuse it), else "current".</summary>
    private static string CrlState(ReportCrl crl, DateTimeOffset now) => crl.NextUpdate is { } next && next < now ? "stale" : "current";

    /// <summary>The CN to read at a glance, the whole name below it (each isolated, each escaped).</summary>
    private static void Subject(StringBuilder html, string subject) =>
        html.Append("<bdi class=\"cn\">").Append(HtmlText.Encode(SubjectNames.Label(subject))).Append("</bdi><bdi class=\"dn\">")
            .Append(HtmlText.Encode(subject)).Append("</bdi>");

    private static string Pill(CertificateStatus status, ReportText text) =>
        "<span class=\"pill " + StatusLook.Css(status) + "\">" + StatusLook.Glyph(status) + " " + E(text[StatusLook.Key(status)]) + "</span>";

    private static void Fact(StringBuilder html, string term, string valueHtml) =>
        html.Append("<dt>").Append(E(term)).Append("</dt><dd>").Append(valueHtml).Append("</dd>");

    /// <summary>Our own words are encoded too: a translator's quote or ampersand is text, not markup.</summary>
    private static string E(string s) => HtmlText.Encode(s);
}
