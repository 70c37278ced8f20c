using System.CommandLine;
using Mtls.Cli.Resources;
using Mtls.Pki.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Cli.Output;
using Mtls.Pki;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inspection;
using Mtls.Pki.IO;

namespace Mtls.Cli.Commands.Cert;

/// <summary>`mtls cert p12`: openssl pkcs12 -export, with modern encryption.</summary>
internal static class CertP12Command
{
    public static Command Build(CliContext ctx)
    {
        var cert = new Option<string>("--cert") { Description = Strings.Opt_P12Cert, Required = true };
        var key = new Option<string>("--key") { Description = Strings.Opt_P12Key, Required = true };
        var chain = new Option<string?>("--chain") { Description = Strings.Opt_Chain };
        var output = CommonOptions.Out(Strings.Opt_OutP12);
        var password = CommonOptions.PasswordFile(Strings.Opt_P12Password);
        var keyPassword = new Option<string?>("--key-password-file") { Description = Strings.Opt_P12KeyPassword };
        var force = CommonOptions.Force();
        var json = CommonOptions.Json();
        var command = new Command("p12", CommandHelp.Of(Strings.Help_CertP12,
                "mtls cert p12 --cert client.crt --key client.key --out client.p12 --password-file p12.pass",
                "mtls cert p12 --cert client.crt --key client.key --chain intermediate.crt --out client.p12 --password-file p12.pass")) { cert, key, chain, output, password, keyPassword, force, json };
        command.SetAction(parse =>
        {
            var outPath = parse.GetValue(output)!;
            var force_ = parse.GetValue(force);
            var pass = CommonOptions.ReadPassword(parse.GetValue(password), ctx)
                ?? throw new MtlsException(Strings.P12_NeedsPassword);
            var keyPass = parse.GetValue(keyPassword) is { } kp ? InputFile.ReadPassword(kp) : pass;
            SecureFile.EnsureWritable(outPath, force_);
            var (leaf, fileChain) = CertificateFile.LoadWithKey(parse.GetValue(cert)!, parse.GetValue(key)!, keyPass);
            using var _ = leaf;
            var extra = parse.GetValue(chain) is { } chainPath ? CertificateFile.LoadAll(chainPath) : [];
            var collection = new X509Certificate2Collection { leaf };
            foreach (var c in fileChain.Concat(extra).DistinctBy(c => c.Thumbprint)) collection.Add(c);
            var bytes = collection.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, pass);
            SecureFile.Write(outPath, bytes, isPrivate: true, force_);

            var d = CertificateDescription.From(leaf, ctx.Now);
            if (parse.GetValue(json))
            {
                Json.Write(ctx.Out, new IssuedSummary(outPath, "pkcs12", [$"{collection.Count} certificate(s)"], d), MtlsJsonContext.Default.IssuedSummary);
                return 0;
            }
            ctx.Out.WriteLine(Language.Format(Strings.P12_Wrote, outPath, d.Subject, collection.Count - 1));
            ctx.Out.WriteLine(Describe.Field(Strings.Field_ValidUntil, $"{Describe.Time(d.NotAfter)} ({Describe.Expiry(d)})"));
            ctx.Out.WriteLine(Language.Format(Strings.P12_Next, outPath));
            return 0;
        });
        return command;
    }
}
