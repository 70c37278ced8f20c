using System.CommandLine;
using Mtls.Cli.Resources;
using Mtls.Pki.Text;
using Mtls.Cli.Output;
using Mtls.Pki.Certificates;
using Mtls.Pki.IO;
using Mtls.Pki.Revocation;

namespace Mtls.Cli.Commands.Ca;

/// <summary>`mtls ca crl`: openssl ca -gencrl, from the CA's inventory.</summary>
internal static class CaCrlCommand
{
    public static Command Build(CliContext ctx)
    {
        var caCert = CaOptions.CaCert();
        var caKey = CaOptions.CaKey();
        var db = CaOptions.Db();
        var nextUpdate = new Option<string>("--next-update") { Description = Strings.Opt_NextUpdate, DefaultValueFactory = _ => "7d" };
        var output = CommonOptions.Out(Strings.Opt_OutCrl);
        var password = CommonOptions.PasswordFile(Strings.Opt_CaKeyPassword);
        var force = CommonOptions.Force();
        var json = CommonOptions.Json();
        var command = new Command("crl", CommandHelp.Of(Strings.Help_CaCrl,
                "mtls ca crl --ca-cert client-ca.crt --ca-key client-ca.key --out client-ca.crl",
                "mtls ca crl --ca-cert client-ca.crt --ca-key client-ca.key --next-update 24h --out client-ca.crl --force")) { caCert, caKey, db, nextUpdate, output, password, force, json };
        command.SetAction(parse =>
        {
            var outPath = parse.GetValue(output)!;
            var force_ = parse.GetValue(force);
            var validity = CaOptions.ParseDuration(parse.GetValue(nextUpdate)!, "--next-update");
            SecureFile.EnsureWritable(outPath, force_);
            var caCertPath = parse.GetValue(caCert)!;
            using var ca = CertificateAuthority.Load(caCertPath, parse.GetValue(caKey)!, CommonOptions.ReadPassword(parse.GetValue(password), ctx));
            using var inventory = CaOptions.OpenInventory(caCertPath, parse.GetValue(db), ca.Certificate);
            var now = ctx.Now;
            var revoked = inventory.Revoked().Select(r => new RevokedCertificate(r.Serial, r.RevokedAt!.Value, r.RevocationReason)).ToList();
            var der = ca.CreateCrl(revoked, inventory.NextCrlNumber(), now, now + validity);
            foreach (var entry in revoked.Where(r => r.Reason is { } reason && !RevocationReasons.IsWritable(reason)))
                CliApp.Warning(ctx, Language.Format(Layout.Crl_ReasonNotWritten, entry.Serial, RevocationReasons.Name(entry.Reason!.Value)));
            CrlFile.Save(outPath, der, force_);

            var crl = CrlFile.Parse(der, outPath);
            if (parse.GetValue(json))
            {
                Json.Write(ctx.Out, CrlSummary.From(outPath, crl, true), MtlsJsonContext.Default.CrlSummary);
                return 0;
            }
            ctx.Out.WriteLine(Language.Format(Strings.Crl_Wrote, crl.CrlNumber, Mtls.Pki.Names.DistinguishedName.Format(crl.Issuer), outPath));
            ctx.Out.WriteLine(Describe.Field(Strings.Field_Revoked, Language.Format(Strings.Crl_RevokedCount, revoked.Count)));
            ctx.Out.WriteLine(Describe.Field(Strings.Field_NextUpdate, Language.Format(Strings.Crl_NextUpdate, Describe.Time(crl.NextUpdate!.Value))));
            ctx.Out.WriteLine(Language.Format(Strings.Crl_Next, caCertPath, outPath));
            return 0;
        });
        return command;
    }
}
