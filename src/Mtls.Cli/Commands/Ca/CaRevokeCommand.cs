using System.CommandLine;
using Mtls.Cli.Resources;
using Mtls.Pki.Text;
using Mtls.Cli.Output;
using Mtls.Pki;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inventory;
using Mtls.Pki.Revocation;

namespace Mtls.Cli.Commands.Ca;

/// <summary>`mtls ca revoke`: openssl ca -revoke, recorded in the CA's inventory.</summary>
internal static class CaRevokeCommand
{
    public static Command Build(CliContext ctx)
    {
        var target = new Argument<string>("cert-or-serial") { Description = Strings.Opt_RevokeTarget };
        var caCert = CaOptions.CaCert();
        var caKey = CaOptions.CaKey();
        var db = CaOptions.Db();
        var reason = new Option<string>("--reason") { Description = Language.Format(Strings.Opt_Reason, string.Join(", ", RevocationReasons.Names)), DefaultValueFactory = _ => "unspecified" };
        var password = CommonOptions.PasswordFile(Strings.Opt_CaKeyPassword);
        var json = CommonOptions.Json();
        var command = new Command("revoke", CommandHelp.Of(Strings.Help_CaRevoke,
                "mtls ca revoke client.crt --ca-cert client-ca.crt --ca-key client-ca.key --reason keyCompromise",
                "mtls ca revoke 5A3F09C2D1E4B7A8 --ca-cert client-ca.crt --ca-key client-ca.key --reason cessationOfOperation")) { target, caCert, caKey, db, reason, password, json };
        command.SetAction(parse =>
        {
            var why = RevocationReasons.Parse(parse.GetValue(reason)!);
            var caCertPath = parse.GetValue(caCert)!;
            var what = parse.GetValue(target)!;
            using var ca = CertificateAuthority.Load(caCertPath, parse.GetValue(caKey)!, CommonOptions.ReadPassword(parse.GetValue(password), ctx));
            var serial = SerialOf(what, ca);
            using var inventory = CaOptions.OpenInventory(caCertPath, parse.GetValue(db), ca.Certificate);
            var record = inventory.Find(serial)
                ?? throw MtlsException.Refused(Language.Format(Strings.Revoke_NotInInventory, serial, inventory.Path, caCertPath));
            var now = ctx.Now;
            var fresh = inventory.Revoke(record.Serial, now, why);
            var stored = inventory.Find(record.Serial)!;
            var summary = new RevocationSummary(stored.Serial, stored.Subject, stored.RevokedAt!.Value, RevocationReasons.Name(stored.RevocationReason!.Value), !fresh, inventory.Path);
            if (parse.GetValue(json))
            {
                Json.Write(ctx.Out, summary, MtlsJsonContext.Default.RevocationSummary);
                return 0;
            }
            ctx.Out.WriteLine(fresh
                ? Language.Format(Strings.Revoke_Done, stored.Subject, stored.Serial, summary.Reason, inventory.Path)
                : Language.Format(Strings.Revoke_Already, Describe.Time(summary.RevokedAt), summary.Reason, stored.Subject, stored.Serial));
            ctx.Out.WriteLine(Language.Format(Strings.Revoke_Next, caCertPath, Path.ChangeExtension(caCertPath, ".crl")));
            return 0;
        });
        return command;
    }

    /// <summary>A certificate file (which must be this CA's) or a serial number.</summary>
    private static string SerialOf(string what, CertificateAuthority ca)
    {
        if (!File.Exists(what))
            return InventoryRecord.NormalizeSerial(what);
        var certificate = CertificateFile.Load(what);
        if (!certificate.IssuerName.RawData.AsSpan().SequenceEqual(ca.Certificate.SubjectName.RawData))
            throw MtlsException.Refused(Language.Format(Strings.Revoke_OtherCa, what, Mtls.Pki.Names.DistinguishedName.Format(certificate.IssuerName)));
        return InventoryRecord.SerialOf(certificate);
    }
}
