using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Mtls.Cli.Output;
using Mtls.Cli.Resources;
using Mtls.Client.Online;
using Mtls.Pki;
using Mtls.Pki.Certificates;
using Mtls.Pki.IO;
using Mtls.Pki.Keys;
using Mtls.Pki.Names;
using Mtls.Pki.Text;

namespace Mtls.Cli.Commands.OnlineCa;

/// <summary>`mtls enroll`: a key made here (it never leaves the machine), a CSR sent with a one-time token, the certificate written.</summary>
internal static class EnrollCommand
{
    public static Command Build(CliContext ctx)
    {
        var connection = new CaConnection();
        var tokenFile = new Option<string>("--token-file") { Description = Online.Opt_TokenFile, Required = true };
        var key = new Option<string>("--key") { Description = Online.Opt_EnrollKey, Required = true };
        var output = CommonOptions.Out(Online.Opt_EnrollOut);
        var san = CommonOptions.San();
        san.Description = Online.Opt_EnrollSan;
        var lifetime = new Option<string?>("--lifetime") { Description = Online.Opt_Lifetime };
        var curve = CommonOptions.Curve("P-256");
        var password = CommonOptions.PasswordFile(Online.Opt_EnrollKeyPassword);
        var force = CommonOptions.Force();
        var json = CommonOptions.Json();
        var command = new Command("enroll", CommandHelp.Of(Online.Help_Enroll,
            "mtls enroll --ca-url https://localhost:8444/ --root root.crt --token-file token.txt --key server.key --out server.crt",
            "mtls enroll --ca-url https://ca.internal:8444/ --fingerprint 4BF182FA...41025 --token-file token.txt --key client.key --out client.crt --lifetime 1h",
            "mtls enroll --ca-url https://localhost:8444/ --root root.crt --token-file token.txt --key api.key --out api.crt --san api.internal --curve P-384"));
        connection.AddTo(command);
        foreach (var option in new Option[] { tokenFile, key, output, san, lifetime, curve, password, force, json }) command.Options.Add(option);
        command.SetAction(async (parse, ct) =>
        {
            var url = connection.CaUrl(parse);
            var trust = connection.Trust(parse);
            var keyPath = parse.GetValue(key)!;
            var outPath = parse.GetValue(output)!;
            var force_ = parse.GetValue(force);
            SecureFile.EnsureWritable(keyPath, force_);
            SecureFile.EnsureWritable(outPath, force_);
            var token = InputFile.ReadPassword(parse.GetValue(tokenFile)!).Trim();
            var names = CommonOptions.ParseSans(parse.GetValue(san));
            long? seconds = parse.GetValue(lifetime) is { } l ? (long)Durations.Parse(l, "--lifetime", TimeSpan.FromSeconds(1)).TotalSeconds : null;
            var keyPassword = CommonOptions.ReadPassword(parse.GetValue(password), ctx);

            using var privateKey = KeySpec.FromOptions(parse.GetValue(curve), null, KeySpec.P256).Generate();
            // No subject: the CA chooses it from the token (its CN when it binds one, else the first name),
            // so one command enrolls with either kind of token.
            var csr = CsrFile.ToPem(CsrFile.Create(privateKey, new X500DistinguishedNameBuilder().Build(), names));
            using var client = new OnlineCaClient(url, trust);
            var answer = await client.EnrollAsync(token, csr, seconds, ct);
            if (answer.Problem is { } problem) throw CaConnection.Refused(problem);
            if (answer.Issued is not { } issued) throw CaConnection.Unreachable(answer.Unreachable ?? "?");

            var certificates = CertificateFile.ParseAll(Encoding.UTF8.GetBytes(issued.Certificate + issued.Chain), url.ToString());
            PrivateKeyFile.Save(privateKey, keyPath, keyPassword, force_); // the key first: a key without its certificate is harmless
            CertificateFile.Save(outPath, certificates, force_);
            var leaf = certificates[0];
            if (parse.GetValue(json))
            {
                ctx.Out.WriteLine(JsonSerializer.Serialize(new EnrollSummary("enrolled", outPath, keyPath, issued.Serial, issued.NotAfter), OnlineCliJson.Default.EnrollSummary));
                return 0;
            }
            ctx.Out.WriteLine(Language.Format(Online.Enroll_Done, DistinguishedName.Format(leaf.SubjectName), outPath, keyPath, issued.Serial, issued.NotAfter));
            ctx.Out.WriteLine(Language.Format(Online.Enroll_Next, outPath, keyPath, url, parse.GetValue(connection.Root) is { } r ? "--root " + r : "--fingerprint " + parse.GetValue(connection.Fingerprint)));
            return 0;
        });
        return command;
    }
}
