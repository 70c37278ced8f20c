using System.CommandLine;
using Mtls.Cli.Resources;
using Mtls.Pki.Text;
using Mtls.Cli.Output;
using Mtls.Pki;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inspection;
using Mtls.Pki.IO;
using Mtls.Pki.Keys;
using Mtls.Pki.Names;

namespace Mtls.Cli.Commands.Ca;

/// <summary>`mtls ca create`: openssl req -x509 -newkey (a self-signed root CA).</summary>
internal static class CaCreateCommand
{
    public static Command Build(CliContext ctx)
    {
        var subject = CommonOptions.Subject();
        var days = CommonOptions.Days(Language.Format(Strings.Opt_DaysCa, CertificateProfile.RootCa.DefaultDays, CertificateProfile.IntermediateCa.DefaultDays));
        var curve = CommonOptions.Curve("P-384");
        var rsa = CommonOptions.Rsa();
        var pathLen = new Option<int?>("--path-len") { Description = Strings.Opt_PathLen };
        var output = CommonOptions.Out(Strings.Opt_OutCaCert);
        var keyOut = new Option<string>("--key-out") { Description = Strings.Opt_CaKeyOut, Required = true };
        var password = CommonOptions.PasswordFile(Strings.Opt_CaKeyPasswordOut);
        var parentCert = new Option<string?>("--parent-cert") { Description = Strings.Opt_ParentCert };
        var parentKey = new Option<string?>("--parent-key") { Description = Strings.Opt_ParentKey };
        var parentPassword = new Option<string?>("--parent-password-file") { Description = Strings.Opt_ParentPassword };
        var db = CaOptions.Db();
        db.Description = Strings.Opt_ParentDb;
        var force = CommonOptions.Force();
        var json = CommonOptions.Json();
        var command = new Command("create", CommandHelp.Of(Strings.Help_CaCreate,
                "mtls ca create --subject \"/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=ca.server.example.com\" --days 365 --out server-ca.crt --key-out server-ca.key",
                "mtls ca create --subject \"/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=ca.client.example.com\" --days 365 --out client-ca.crt --key-out client-ca.key",
                "mtls ca create --subject \"CN=Team Root CA,O=Example\" --path-len 1 --password-file ca.pass --out root.crt --key-out root.key",
                "mtls ca create --subject \"CN=Team Issuing CA,O=Example\" --parent-cert root.crt --parent-key root.key --path-len 0 --out issuing.crt --key-out issuing.key")) { subject, days, curve, rsa, pathLen, output, keyOut, password, parentCert, parentKey, parentPassword, db, force, json };
        command.SetAction(parse =>
        {
            var certPath = parse.GetValue(output)!;
            var keyPath = parse.GetValue(keyOut)!;
            var force_ = parse.GetValue(force);
            if (Path.GetFullPath(certPath) == Path.GetFullPath(keyPath))
                throw new MtlsException(Strings.Error_OutAndKeyOutSame);
            var name = DistinguishedName.Parse(parse.GetValue(subject)!);
            var spec = KeySpec.FromOptions(parse.GetValue(curve), parse.GetValue(rsa), KeySpec.P384);
            var parentPath = parse.GetValue(parentCert);
            if ((parentPath is null) != (parse.GetValue(parentKey) is null))
                throw new MtlsException(Strings.Error_ParentTogether);
            var profile = parentPath is null ? CertificateProfile.RootCa : CertificateProfile.IntermediateCa;
            var validDays = profile.ValidateDays(parse.GetValue(days));
            if (parse.GetValue(pathLen) is < 0)
                throw new MtlsException(Strings.Error_PathLenNegative);
            var pass = CommonOptions.ReadPassword(parse.GetValue(password), ctx);
            SecureFile.EnsureWritable(certPath, force_);
            SecureFile.EnsureWritable(keyPath, force_);

            if (parentPath is not null)
                return CaIntermediate.Create(ctx, parse, parentPath, parse.GetValue(parentKey)!, parse.GetValue(parentPassword), parse.GetValue(db),
                    name, spec, validDays, parse.GetValue(pathLen), certPath, keyPath, pass, force_, parse.GetValue(json));

            using var ca = CertificateAuthority.CreateRoot(name, spec, validDays, ctx.Now, parse.GetValue(pathLen));
            // Key first: a certificate without its key is useless, a key without its certificate is harmless.
            PrivateKeyFile.Save(ca.Key, keyPath, pass, force_);
            CertificateFile.Save(certPath, [ca.Certificate], force_);

            var description = CertificateDescription.From(ca.Certificate, ctx.Now);
            if (parse.GetValue(json))
            {
                Json.Write(ctx.Out, new IssuedSummary(certPath, CertificateProfile.RootCa.Name, [], description), MtlsJsonContext.Default.IssuedSummary);
                return 0;
            }
            ctx.Out.WriteLine(Language.Format(Strings.Ca_CreatedRoot, description.Subject));
            ctx.Out.WriteLine(Describe.Field(Strings.Field_Certificate, certPath));
            ctx.Out.WriteLine(Describe.Field(Strings.Field_PrivateKey, Language.Format(pass is null ? Strings.Ca_KeyUnencryptedRoot : Strings.Ca_KeyEncrypted, keyPath, spec)));
            ctx.Out.WriteLine(Describe.Field(Strings.Field_ValidUntil, $"{Describe.Time(description.NotAfter)} ({Describe.Expiry(description)})"));
            ctx.Out.WriteLine(NextStep.AfterCa(certPath, keyPath));
            return 0;
        });
        return command;
    }
}
