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
            var outputs = OutputPaths(inputs, parse.GetValue(output), parse.GetValue(outDir));
            var chosen = CertificateProfile.Get(parse.GetValue(profile)!);
            return Run(ctx, new CaSignSettings(inputs, outputs, parse.GetValue(caCert)!, parse.GetValue(caKey)!, parse.GetValue(password), parse.GetValue(db),
                chosen, chosen.ValidateDays(parse.GetValue(days)), CommonOptions.ParseSans(parse.GetValue(san)), parse.GetValue(force), parse.GetValue(json)));
        });
        return command;
    }

    /// <summary>Signs, records and writes through Pki's <see cref="IssuingCa.Sign"/>, then tells what was issued.</summary>
    public static int Run(CliContext ctx, CaSignSettings s)
    {
        foreach (var path in s.Outputs) SecureFile.EnsureWritable(path, s.Force);
        using var ca = IssuingCa.Open(s.CaCert, s.CaKey, CommonOptions.ReadPassword(s.CaKeyPasswordFile, ctx), s.Db);
        var now = ctx.Now;
        var issued = ca.Sign(new SignOrder(s.Csrs, s.Outputs, s.Profile, s.Days, s.Sans, s.Force), now);

        if (issued.Count > 1 && !s.Json)
        {
            foreach (var (c, path) in issued.Zip(s.Outputs))
                ctx.Out.WriteLine(Language.Format(Strings.Sign_BatchIssued, path, InventoryRecord.SerialOf(c.Certificate), Describe.Time(new DateTimeOffset(c.Certificate.NotAfter.ToUniversalTime()))));
            ctx.Out.WriteLine(Language.Format(Strings.Sign_BatchDone, issued.Count, s.Profile.Name, s.Days, ca.Inventory.Path));
            return 0;
        }
        var summaries = issued.Select((c, i) => new IssuedSummary(s.Outputs[i], s.Profile.Name, c.Notes, CertificateDescription.From(c.Certificate, now))).ToList();
        if (s.Json)
        {
            if (summaries.Count == 1) Json.Write(ctx.Out, summaries[0], MtlsJsonContext.Default.IssuedSummary);
            else Json.Write(ctx.Out, summaries, MtlsJsonContext.Default.ListIssuedSummary);
            return 0;
        }
        PrintOne(ctx, summaries[0], ca.Chain, ca.Inventory.Path);
        return 0;
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
