using System.CommandLine;
using Mtls.Cli.Resources;
using Mtls.Pki.Text;
using Mtls.Cli.Output;
using Mtls.Pki;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inspection;
using Mtls.Pki.Inventory;
using Mtls.Pki.IO;
using Mtls.Pki.Keys;

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
                "mtls cert renew server.crt --key server.key --ca-url https://ca.internal:8444/ --root root.crt --rekey --json")) { file, caCert, caKey, db, output, rekey, keyOut, days, password, keyPassword, force, json };
        var online = new Commands.OnlineCa.CertRenewOnline();
        online.AddTo(command);
        command.SetAction(parse =>
        {
            var oldPath = parse.GetValue(file)!;
            var keyPath = parse.GetValue(keyOut);
            var force_ = parse.GetValue(force);
            if (online.Applies(parse))
                return online.Run(parse, ctx, oldPath, parse.GetValue(output), parse.GetValue(rekey), keyPath, force_, parse.GetValue(json), parse.GetValue(keyPassword));
            var outPath = parse.GetValue(output) ?? throw new MtlsException(Online.Error_OfflineRenewNeeds);
            if (parse.GetValue(caCert) is null || parse.GetValue(caKey) is null) throw new MtlsException(Online.Error_OfflineRenewNeeds);
            if (parse.GetValue(rekey) != (keyPath is not null))
                throw new MtlsException(Strings.Renew_RekeyTogether);
            CommonOptions.RequireDays(parse.GetValue(days));
            SecureFile.EnsureWritable(outPath, force_);
            if (keyPath is not null) SecureFile.EnsureWritable(keyPath, force_);

            using var old = CertificateFile.Load(oldPath);
            var caCertPath = parse.GetValue(caCert)!;
            using var ca = CertificateAuthority.Load(caCertPath, parse.GetValue(caKey)!, CommonOptions.ReadPassword(parse.GetValue(password), ctx));
            using var inventory = CaOptions.OpenInventory(caCertPath, parse.GetValue(db), ca.Certificate);
            var oldSerial = InventoryRecord.SerialOf(old);
            var record = inventory.Find(oldSerial);
            if (record is null || !string.Equals(record.Sha256Fingerprint, Convert.ToHexString(old.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256)), StringComparison.Ordinal))
                throw MtlsException.Refused(Language.Format(Strings.Renew_NotThisCa, oldPath, DistinguishedName(ca), oldSerial, inventory.Path));
            var profile = Renewal.ProfileOf(old, oldPath);
            var validDays = profile.ValidateDays(parse.GetValue(days) ?? Renewal.DaysOf(old, profile));

            using var newKey = keyPath is null ? null : Renewal.SpecOf(old.PublicKey).Generate();
            var publicKey = newKey is null ? old.PublicKey : System.Security.Cryptography.X509Certificates.PublicKey.CreateFromSubjectPublicKeyInfo(newKey.ExportSubjectPublicKeyInfo(), out _);
            var now = ctx.Now;
            var issued = ca.Issue(Renewal.RequestFor(old, publicKey), profile, validDays, [], now);
            var newKeyPassword = newKey is null ? null : CommonOptions.ReadPassword(parse.GetValue(keyPassword), ctx);
            Issuance.RecordRenewalThenWrite(inventory, record.Serial, issued.Certificate, outPath, profile.Name, now, CaOptions.ChainOf(caCertPath), force_,
                newKey is null ? null : () => PrivateKeyFile.Save(newKey, keyPath!, newKeyPassword, force_));

            var d = CertificateDescription.From(issued.Certificate, now);
            if (parse.GetValue(json))
            {
                Json.Write(ctx.Out, new IssuedSummary(outPath, profile.Name, issued.Notes, d), MtlsJsonContext.Default.IssuedSummary);
                return 0;
            }
            ctx.Out.WriteLine(newKey is null ? Language.Format(Strings.Renew_Done, d.Subject, outPath, profile.Name) : Language.Format(Strings.Renew_DoneNewKey, d.Subject, outPath, profile.Name, keyPath));
            ctx.Out.WriteLine(Describe.Field(Strings.Field_Serial, Language.Format(Strings.Renew_Serial, d.Serial, record.Serial)));
            ctx.Out.WriteLine(Describe.Field(Strings.Field_Sans, d.SubjectAltNames.Count == 0 ? Describe.None : string.Join(", ", d.SubjectAltNames)));
            ctx.Out.WriteLine(Describe.Field(Strings.Field_ValidUntil, $"{Describe.Time(d.NotAfter)} ({Describe.Expiry(d)})"));
            ctx.Out.WriteLine(Describe.Field(Strings.Field_OldOne, Language.Format(Strings.Renew_OldOne, Describe.Time(record.NotAfter))));
            foreach (var note in issued.Notes) ctx.Out.WriteLine(Language.Format(Strings.Note_Line, note));
            return 0;
        });
        return command;
    }

    private static string DistinguishedName(CertificateAuthority ca) => Mtls.Pki.Names.DistinguishedName.Format(ca.Certificate.SubjectName);
}
