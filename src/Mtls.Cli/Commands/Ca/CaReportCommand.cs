using System.CommandLine;
using System.Globalization;
using System.Text;
using Mtls.Ca.Report;
using Mtls.Cli.Output;
using Mtls.Cli.Resources;
using Mtls.Pki;
using Mtls.Pki.Certificates;
using Mtls.Pki.IO;
using Mtls.Pki.Revocation;
using Mtls.Pki.Text;

namespace Mtls.Cli.Commands.Ca;

/// <summary>
/// `mtls ca report`: the CA, what it issued, what expires when, what was revoked and the CRL, as one
/// self-contained HTML page (Mtls.Ca.Report draws it; the online CA serves the same page).
/// </summary>
internal static class CaReportCommand
{
    public static Command Build(CliContext ctx)
    {
        var caCert = CaOptions.CaCert();
        var db = CaOptions.Db();
        var html = new Option<string?>("--html") { Description = Report.Opt_Html };
        var crl = new Option<string?>("--crl") { Description = Report.Opt_ReportCrl };
        var expiring = new Option<string>("--expiring") { Description = Report.Opt_ReportExpiring, DefaultValueFactory = _ => "30d" };
        var at = new Option<string?>("--at") { Description = Report.Opt_ReportAt };
        var lang = new Option<string?>("--lang") { Description = Report.Opt_ReportLang };
        lang.AcceptOnlyFromAmong("en", "ja");
        var force = CommonOptions.Force();
        var json = CommonOptions.Json();
        var command = new Command("report", CommandHelp.Of(Report.Help_CaReport,
                "mtls ca report --ca-cert server-ca.crt --html server-ca.html",
                "mtls ca report --ca-cert client-ca.crt --crl client-ca.crl --html report.html --lang ja --force",
                "mtls ca report --ca-cert client-ca.crt --expiring 14d --json",
                "mtls ca report --ca-cert server-ca.crt --at 2027-01-01T00:00:00Z --html next-year.html")) { caCert, db, html, crl, expiring, at, lang, force, json };
        command.SetAction(parse =>
        {
            var htmlPath = parse.GetValue(html);
            var asJson = parse.GetValue(json);
            if (htmlPath is null && !asJson)
                throw new MtlsException(Report.Report_NothingToWrite);
            var window = CaOptions.ParseDuration(parse.GetValue(expiring)!, "--expiring");
            if (htmlPath is not null) SecureFile.EnsureWritable(htmlPath, parse.GetValue(force));
            var caCertPath = parse.GetValue(caCert)!;
            var now = Times.Parse(parse.GetValue(at), "--at") ?? ctx.Now;

            using var ca = CertificateFile.Load(caCertPath);
            using var inventory = CaOptions.OpenInventory(caCertPath, parse.GetValue(db), ca);
            var revocationList = LoadCrl(parse.GetValue(crl), caCertPath, ca);
            var report = CaReportBuilder.Build(ca, inventory.List(), revocationList, now, window, inventory.Path);

            if (htmlPath is not null)
                SecureFile.Write(htmlPath, Encoding.UTF8.GetBytes(CaReportHtml.Render(report, CultureInfo.CurrentUICulture)), isPrivate: false, parse.GetValue(force));
            var summary = CaReportSummary.From(report, htmlPath is null ? null : Path.GetFullPath(htmlPath));
            if (asJson)
            {
                Json.Write(ctx.Out, summary, CaReportJsonContext.Default.CaReportSummary);
                return 0;
            }
            ctx.Out.WriteLine(Language.Format(Report.Report_Wrote, htmlPath, summary.Issued, summary.Expiring, summary.Expired, summary.Revoked));
            ctx.Out.WriteLine(Language.Format(Report.Report_Open, new Uri(summary.Html!).AbsoluteUri));
            return 0;
        });
        return command;
    }

    /// <summary>--crl, else the .crl beside the CA certificate when there is one; refused unless this CA signed it.</summary>
    private static CertificateRevocationList? LoadCrl(string? given, string caCertPath, System.Security.Cryptography.X509Certificates.X509Certificate2 ca)
    {
        var path = given ?? Path.ChangeExtension(caCertPath, ".crl");
        if (given is null && !File.Exists(path)) return null;
        var crl = CrlFile.Load(path);
        if (!crl.IsSignedBy(ca))
            throw MtlsException.Refused(Language.Format(Report.Report_CrlOfAnotherCa, path, caCertPath));
        return crl;
    }
}
