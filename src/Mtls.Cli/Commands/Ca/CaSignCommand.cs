using System.CommandLine;
using Mtls.Cli.Resources;
using Mtls.Pki.Text;
using System.Security.Cryptography.X509Certificates;
using Mtls.Cli.Output;
using Mtls.Pki;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inspection;
using Mtls.Pki.Inventory;
using Mtls.Pki.IO;

namespace Mtls.Cli.Commands.Ca;

/// <summary>`mtls ca sign`: openssl x509 -req -CA -CAkey, with a profile instead of an extension file.</summary>
internal static class CaSignCommand
{
    public static Command Build(CliContext ctx)
    {
        var csrs = new Argument<string[]>("csr") { Description = Strings.Opt_CsrsToSign, Arity = ArgumentArity.OneOrMore };
        var caCert = CaOptions.CaCert();
        var caKey = CaOptions.CaKey();
        var db = CaOptions.Db();
        var profile = new Option<string>("--profile") { Description = Strings.Opt_Profile, Required = true };
        profile.AcceptOnlyFromAmong("server", "client");
        var days = CommonOptions.Days(Strings.Opt_DaysSign);
        var san = CommonOptions.San();
        var output = CommonOptions.Out(Strings.Opt_OutCert, required: false);
        var outDir = new Option<string?>("--out-dir") { Description = Strings.Opt_OutDir };
        var password = CommonOptions.PasswordFile(Strings.Opt_CaKeyPassword);
        var force = CommonOptions.Force();
        var json = CommonOptions.Json();
        var command = new Command("sign", CommandHelp.Of(Strings.Help_CaSign,
                "mtls ca sign server.csr --ca-cert server-ca.crt --ca-key server-ca.key --profile server --days 365 --out server.crt",
                "mtls ca sign client.csr --ca-cert client-ca.crt --ca-key client-ca.key --profile client --out client.crt",
                "mtls ca sign api.csr --ca-cert ca.crt --ca-key ca.key --profile server --san DNS:api.internal --san IP:127.0.0.1 --out api.crt",
                "mtls ca sign a.csr b.csr c.csr --ca-cert ca.crt --ca-key ca.key --profile client --out-dir issued")) { csrs, caCert, caKey, db, profile, days, san, output, outDir, password, force, json };
        command.SetAction(parse =>
        {
            var inputs = parse.GetValue(csrs)!;
            var force_ = parse.GetValue(force);
            var outputs = OutputPaths(inputs, parse.GetValue(output), parse.GetValue(outDir));
            var chosen = CertificateProfile.Get(parse.GetValue(profile)!);
            var validDays = chosen.ValidateDays(parse.GetValue(days));
            var names = CommonOptions.ParseSans(parse.GetValue(san));
            foreach (var path in outputs) SecureFile.EnsureWritable(path, force_);
            var caCertPath = parse.GetValue(caCert)!;
            using var ca = CertificateAuthority.Load(caCertPath, parse.GetValue(caKey)!, CommonOptions.ReadPassword(parse.GetValue(password), ctx));
            var chain = CaOptions.ChainOf(caCertPath);
            using var inventory = CaOptions.OpenInventory(caCertPath, parse.GetValue(db), ca.Certificate);

            var now = ctx.Now;
            var issued = ca.IssueMany(inputs, chosen, validDays, names, now);
            Issuance.RecordThenWrite(inventory, issued.Select((c, i) => (c.Certificate, outputs[i])).ToList(), chosen.Name, now, chain, force_);

            if (issued.Count > 1 && !parse.GetValue(json))
            {
                foreach (var (c, path) in issued.Zip(outputs))
                    ctx.Out.WriteLine(Language.Format(Strings.Sign_BatchIssued, path, InventoryRecord.SerialOf(c.Certificate), Describe.Time(new DateTimeOffset(c.Certificate.NotAfter.ToUniversalTime()))));
                ctx.Out.WriteLine(Language.Format(Strings.Sign_BatchDone, issued.Count, chosen.Name, validDays, inventory.Path));
                return 0;
            }
            var summaries = issued.Select((c, i) => new IssuedSummary(outputs[i], chosen.Name, c.Notes, CertificateDescription.From(c.Certificate, now))).ToList();
            if (parse.GetValue(json))
            {
                if (summaries.Count == 1) Json.Write(ctx.Out, summaries[0], MtlsJsonContext.Default.IssuedSummary);
                else Json.Write(ctx.Out, summaries, MtlsJsonContext.Default.ListIssuedSummary);
                return 0;
            }
            PrintOne(ctx, summaries[0], chain, inventory.Path);
            return 0;
        });
        return command;
    }

    private static List<string> OutputPaths(string[] inputs, string? output, string? outDir)
    {
        if (output is not null && outDir is not null)
            throw new MtlsException(Strings.Sign_OutAndOutDir);
        if (outDir is null)
        {
            if (output is null)
                throw new MtlsException(Strings.Sign_OutRequired);
            if (inputs.Length > 1)
                throw new MtlsException(Language.Format(Strings.Sign_ManyCsrsOneOut, inputs.Length));
            return [output];
        }
        if (!Directory.Exists(outDir))
            throw new MtlsException(Language.Format(Strings.Sign_NoOutDir, outDir));
        var paths = inputs.Select(i => Path.Combine(outDir, Path.GetFileNameWithoutExtension(i) + ".crt")).ToList();
        var duplicate = paths.GroupBy(p => p).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new MtlsException(Language.Format(Strings.Sign_Duplicate, duplicate.Key));
        return paths;
    }

    private static void PrintOne(CliContext ctx, IssuedSummary s, IReadOnlyList<X509Certificate2> chain, string inventory)
    {
        var d = s.Certificate;
        ctx.Out.WriteLine(Language.Format(s.Profile == CertificateProfile.Client.Name ? Strings.Sign_IssuedClient : Strings.Sign_IssuedServer, s.Path));
        ctx.Out.WriteLine(Describe.Field(Strings.Field_Subject, d.Subject));
        ctx.Out.WriteLine(Describe.Field(Strings.Field_Issuer, d.Issuer));
        ctx.Out.WriteLine(Describe.Field(Strings.Field_Serial, d.Serial));
        ctx.Out.WriteLine(Describe.Field(Strings.Field_Sans, d.SubjectAltNames.Count == 0 ? Describe.None : string.Join(", ", d.SubjectAltNames)));
        ctx.Out.WriteLine(Describe.Field(Strings.Field_Usage, string.Join(", ", d.ExtendedKeyUsage)));
        ctx.Out.WriteLine(Describe.Field(Strings.Field_ValidUntil, $"{Describe.Time(d.NotAfter)} ({Describe.Expiry(d)})"));
        if (chain.Count > 0)
            ctx.Out.WriteLine(Describe.Field(Strings.Field_Chain, Language.Format(Strings.Sign_Chain, chain.Count, s.Path)));
        ctx.Out.WriteLine(Describe.Field(Strings.Field_RecordedIn, inventory));
        foreach (var note in s.Notes)
            ctx.Out.WriteLine(Language.Format(Strings.Note_Line, note));
        ctx.Out.WriteLine(NextStep.AfterCertificate(s.Path, s.Profile == CertificateProfile.Client.Name ? NextStep.Role.Client : NextStep.Role.Server));
    }
}
