using System.CommandLine;
using Mtls.Cli.Resources;
using Mtls.Pki.Text;
using Mtls.Cli.Output;
using Mtls.Pki;
using Mtls.Pki.Inspection;
using Mtls.Pki.Inventory;
using Mtls.Pki.IO;

namespace Mtls.Cli.Commands.Cert;

/// <summary>`mtls cert renew`: a new certificate like an old one (same subject, SANs, profile).</summary>
internal static class CertRenewCommand
{
    public static Command Build(CliContext ctx)
    {
        var file = new Argument<string>("cert") { Description = Strings.Opt_RenewCert };
        var caCert = CaOptions.CaCert();
        var caKey = CaOptions.CaKey();
        caCert.Required = caKey.Required = false; // offline renewal needs them; --ca-url (CertRenewOnline) does not
        var db = CaOptions.Db();
        var output = CommonOptions.Out(Strings.Opt_OutRenewed, required: false);
        var rekey = new Option<bool>("--rekey") { Description = Strings.Opt_Rekey };
        var keyOut = new Option<string?>("--key-out") { Description = Strings.Opt_RenewKeyOut };
        var days = CommonOptions.Days(Strings.Opt_DaysRenew);
        var password = CommonOptions.PasswordFile(Strings.Opt_CaKeyPassword);
        var keyPassword = new Option<string?>("--key-password-file") { Description = Strings.Opt_RenewKeyPassword };
        var force = CommonOptions.Force();
        var json = CommonOptions.Json();
        var command = new Command("renew", CommandHelp.Of(Strings.Help_CertRenew,
                "mtls cert renew server.crt --ca-cert server-ca.crt --ca-key server-ca.key --out server-2.crt",
                "mtls cert renew client.crt --ca-cert client-ca.crt --ca-key client-ca.key --rekey --key-out client-2.key --days 90 --out client-2.crt",
                "mtls cert renew client.crt --key client.key --ca-url https://localhost:8444/ --root root.crt",
                "mtls cert renew server.crt --key server.key --ca-url https://ca.internal:8444/ --root root.crt --rekey --json",
                "mtls cert renew server.crt --key server.key --ca-url https://ca.internal:8444/ --root root.crt --daemon --exec systemctl reload nginx")) { file, caCert, caKey, db, output, rekey, keyOut, days, password, keyPassword, force, json };
        var online = new Commands.OnlineCa.CertRenewOnline();
        online.AddTo(command);
        command.SetAction(parse =>
        {
            var keyPath = parse.GetValue(keyOut);
            if (online.Applies(parse))
                return online.Run(parse, ctx, parse.GetValue(file)!, parse.GetValue(output), parse.GetValue(rekey), keyPath, parse.GetValue(force), parse.GetValue(json), parse.GetValue(keyPassword));
            if (parse.GetValue(output) is null || parse.GetValue(caCert) is null || parse.GetValue(caKey) is null)
                throw new MtlsException(Online.Error_OfflineRenewNeeds);
            if (parse.GetValue(rekey) != (keyPath is not null))
                throw new MtlsException(Strings.Renew_RekeyTogether);
            CommonOptions.RequireDays(parse.GetValue(days));
            return Run(ctx, new CertRenewSettings(parse.GetValue(file)!, parse.GetValue(output)!, keyPath, parse.GetValue(keyPassword), parse.GetValue(days),
                parse.GetValue(caCert)!, parse.GetValue(caKey)!, parse.GetValue(password), parse.GetValue(db), parse.GetValue(force), parse.GetValue(json)));
        });
        return command;
    }

    /// <summary>Renews with the CA's key through Pki's <see cref="IssuingCa.Renew"/>, then tells what was issued.</summary>
    public static int Run(CliContext ctx, CertRenewSettings s)
    {
        SecureFile.EnsureWritable(s.Out, s.Force);
        if (s.KeyOut is not null) SecureFile.EnsureWritable(s.KeyOut, s.Force);
        using var ca = IssuingCa.Open(s.CaCert, s.CaKey, CommonOptions.ReadPassword(s.CaKeyPasswordFile, ctx), s.Db);
        var now = ctx.Now;
        var renewed = ca.Renew(new RenewalOrder(s.Cert, s.Out, s.KeyOut, s.Days, s.Force), () => CommonOptions.ReadPassword(s.KeyPasswordFile, ctx), now);
        Print(ctx, s, renewed, now);
        return 0;
    }

    private static void Print(CliContext ctx, CertRenewSettings s, RenewedCertificate renewed, DateTimeOffset now)
    {
        var d = CertificateDescription.From(renewed.Issued.Certificate, now);
        var profile = renewed.Profile.Name;
        if (s.Json)
        {
            Json.Write(ctx.Out, new IssuedSummary(s.Out, profile, renewed.Issued.Notes, d), MtlsJsonContext.Default.IssuedSummary);
            return;
        }
        ctx.Out.WriteLine(s.KeyOut is null ? Language.Format(Strings.Renew_Done, d.Subject, s.Out, profile) : Language.Format(Strings.Renew_DoneNewKey, d.Subject, s.Out, profile, s.KeyOut));
        ctx.Out.WriteLine(Describe.Field(Strings.Field_Serial, Language.Format(Strings.Renew_Serial, d.Serial, renewed.Replaced.Serial)));
        ctx.Out.WriteLine(Describe.Field(Strings.Field_Sans, d.SubjectAltNames.Count == 0 ? Describe.None : string.Join(", ", d.SubjectAltNames)));
        ctx.Out.WriteLine(Describe.Field(Strings.Field_ValidUntil, $"{Describe.Time(d.NotAfter)} ({Describe.Expiry(d)})"));
        ctx.Out.WriteLine(Describe.Field(Strings.Field_OldOne, Language.Format(Strings.Renew_OldOne, Describe.Time(renewed.Replaced.NotAfter))));
        foreach (var note in renewed.Issued.Notes) ctx.Out.WriteLine(Language.Format(Strings.Note_Line, note));
    }
}
