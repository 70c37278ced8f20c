using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Mtls.Cli.Output;
using Mtls.Cli.Resources;
using Mtls.Pki;
using Mtls.Pki.Certificates;
using Mtls.Pki.Names;
using Mtls.Pki.Revocation;
using Mtls.Pki.Text;
using Mtls.Pki.Trust;
using Mtls.Pki.Validation;

namespace Mtls.Cli.Commands.Verify;

/// <summary>`mtls verify`: openssl verify -CAfile -untrusted, with our own path validator and explained failures.</summary>
internal static class VerifyCommand
{
    public static Command Build(CliContext ctx)
    {
        var cert = new Argument<string>("cert") { Description = HelpText.Arg_VerifyCert };
        var cacert = new Option<string[]>("--cacert", "-CAfile") { Description = HelpText.Opt_VerifyCacert, Required = true };
        var untrusted = new Option<string[]>("--untrusted") { Description = HelpText.Opt_VerifyUntrusted };
        var purpose = new Option<string?>("--purpose") { Description = HelpText.Opt_VerifyPurpose };
        purpose.AcceptOnlyFromAmong("server", "client");
        var host = new Option<string?>("--host") { Description = HelpText.Opt_VerifyHost };
        var at = new Option<string?>("--at") { Description = HelpText.Opt_VerifyAt };
        var crl = new Option<string[]>("--crl") { Description = HelpText.Opt_VerifyCrl };
        var maxDepth = new Option<int?>("--max-depth") { Description = HelpText.Opt_VerifyMaxDepth };
        var strict = new Option<bool>("--strict") { Description = HelpText.Opt_VerifyStrict };
        var json = CommonOptions.Json();
        var command = new Command("verify", CommandHelp.Of(HelpText.Help_Verify,
                "mtls verify server.crt --cacert server-ca.crt --host localhost",
                "mtls verify client.crt --cacert client-ca.crt --purpose client",
                "mtls verify server.crt --cacert root.crt --untrusted intermediate.crt --crl root.crl",
                "mtls verify server.crt --cacert server-ca.crt --at 2027-01-01T00:00:00Z --json",
                "mtls verify server.crt --cacert root.crt --untrusted intermediate.crt --max-depth 1",
                "mtls verify issued.crt --cacert ca.crt --strict")) { cert, cacert, untrusted, purpose, host, at, crl, maxDepth, strict, json };
        command.SetAction(parse =>
        {
            var certPath = parse.GetValue(cert)!;
            var certs = CertificateFile.LoadAll(certPath);
            var anchors = parse.GetValue(cacert)!.SelectMany(CertificateFile.LoadAll).ToList();
            var extra = certs.Skip(1).Concat((parse.GetValue(untrusted) ?? []).SelectMany(CertificateFile.LoadAll)).ToList();
            var hostName = parse.GetValue(host);
            var options = new VerifyOptions
            {
                Purpose = parse.GetValue(purpose) switch { "server" => Purpose.Server, "client" => Purpose.Client, _ => hostName is null ? Purpose.Any : Purpose.Server },
                Host = hostName,
                At = Times.Parse(parse.GetValue(at), "--at") ?? ctx.Now,
                MaxDepth = parse.GetValue(maxDepth) is { } depth ? (depth >= 0 ? depth : throw new MtlsException(Language.Format(VerifyGet.Verify_MaxDepthNegative, depth))) : new VerifyOptions().MaxDepth,
                Crls = (parse.GetValue(crl) ?? []).Select(path => CrlFile.Load(path).RawData).ToList(),
                Strict = parse.GetValue(strict),
            };
            var result = new ChainVerifier(anchors).Verify(certs[0], extra, options);
            var report = Report(result);
            if (parse.GetValue(json))
            {
                Json.Write(ctx.Out, report, MtlsJsonContext.Default.VerifyReport);
                return result.IsValid ? 0 : (int)ExitCode.Failed;
            }
            if (result.Failure is { } f)
                throw MtlsException.Refused(Language.Format(VerifyGet.Verify_Failed, certPath, f.Depth, f.Reason, f.Message, report.Fix));
            foreach (var lapse in result.Lapses)
                CliApp.Warning(ctx, Language.Format(VerifyGet.Verify_LapseWarning, certPath, lapse.Depth, lapse.Message, lapse.Kind));
            var what = options.Purpose == Purpose.Server ? "serverAuth" : "clientAuth";
            var when = Describe.Time(options.At.Value);
            ctx.Out.WriteLine(options.Purpose == Purpose.Any ? Language.Format(VerifyGet.Verify_Ok, certPath, when)
                : hostName is null ? Language.Format(VerifyGet.Verify_OkFor, certPath, what, when)
                : Language.Format(VerifyGet.Verify_OkForHost, certPath, what, hostName, when));
            for (var i = 0; i < report.Chain.Count; i++)
            {
                var e = report.Chain[i];
                ctx.Out.WriteLine($"  {i} {e.Subject}{(i == report.Chain.Count - 1 ? "  " + VerifyGet.Verify_Trusted : "")}");
                ctx.Out.WriteLine("      " + Language.Format(VerifyGet.Verify_ChainIssuer, e.Issuer));
                ctx.Out.WriteLine("      " + Language.Format(VerifyGet.Verify_ChainValid, Describe.Time(e.NotBefore), Describe.Time(e.NotAfter)));
            }
            return 0;
        });
        return command;
    }

    private static VerifyReport Report(VerifyResult result)
    {
        var chain = result.Chain.Select(c => new ChainEntry(DistinguishedName.Format(c.SubjectName), DistinguishedName.Format(c.IssuerName),
            new DateTimeOffset(c.NotBefore.ToUniversalTime()), new DateTimeOffset(c.NotAfter.ToUniversalTime()))).ToList();
        var f = result.Failure;
        var lapses = result.Lapses.Select(l => new LapseEntry(l.Kind.ToString(), l.Depth, l.Subject, l.Message)).ToList();
        return new VerifyReport(result.IsValid, f?.Reason.ToString(), f?.Depth, f?.Subject, f?.Message, f is null ? null : Fix(f), chain, lapses);
    }

    private static string Fix(VerifyFailure f) => f.Lapse is { } lapse ? Language.Format(VerifyGet.Fix_Lapse, lapse) : Fix(f.Reason);

    /// <summary>What to do, with the flags of this command: the library gives the reason, the command the advice.</summary>
    private static string Fix(FailureReason reason) => reason switch
    {
        FailureReason.UnknownIssuer => VerifyGet.Fix_UnknownIssuer,
        FailureReason.Expired => VerifyGet.Fix_Expired,
        FailureReason.NotYetValid => VerifyGet.Fix_NotYetValid,
        FailureReason.WrongUsage => VerifyGet.Fix_WrongUsage,
        FailureReason.BadSignature => VerifyGet.Fix_BadSignature,
        FailureReason.NotACa => VerifyGet.Fix_NotACa,
        FailureReason.PathLengthExceeded => VerifyGet.Fix_PathLengthExceeded,
        FailureReason.HostMismatch => VerifyGet.Fix_HostMismatch,
        FailureReason.NameConstraintsViolated => VerifyGet.Fix_NameConstraintsViolated,
        FailureReason.Revoked => VerifyGet.Fix_Revoked,
        FailureReason.CrlProblem => VerifyGet.Fix_CrlProblem,
        FailureReason.ChainTooDeep => VerifyGet.Fix_ChainTooDeep,
        FailureReason.UnsupportedAlgorithm => VerifyGet.Fix_UnsupportedAlgorithm,
        _ => VerifyGet.Fix_Other,
    };
}
