using System.CommandLine;
using Mtls.Cli.Resources;
using Mtls.Pki.Text;
using Mtls.Cli.Output;
using Mtls.Pki.Certificates;
using Mtls.Pki.Names;
using Mtls.Pki.Revocation;

namespace Mtls.Cli.Commands.Crl;

/// <summary>`mtls crl show`: openssl crl -text -noout [-CAfile -verify].</summary>
internal static class CrlShowCommand
{
    public static Command Build(CliContext ctx)
    {
        var file = new Argument<string>("crl") { Description = Strings.Opt_CrlFile };
        var caCert = new Option<string?>("--ca-cert", "-CAfile") { Description = Strings.Opt_CrlCaCert };
        var json = CommonOptions.Json();
        var command = new Command("show", CommandHelp.Of(Strings.Help_CrlShow,
                "mtls crl show client-ca.crl",
                "mtls crl show client-ca.crl --ca-cert client-ca.crt --json")) { file, caCert, json };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            var crl = CrlFile.Load(path);
            bool? valid = null;
            if (parse.GetValue(caCert) is { } caPath)
            {
                using var ca = CertificateFile.Load(caPath);
                crl.Validate(ca, ctx.Now);
                valid = true;
            }
            if (parse.GetValue(json))
            {
                Json.Write(ctx.Out, CrlSummary.From(path, crl, valid), MtlsJsonContext.Default.CrlSummary);
                return 0;
            }
            Describe.Line(ctx.Out, Strings.Show_Issuer, DistinguishedName.Format(crl.Issuer));
            Describe.Line(ctx.Out, Strings.Show_CrlNumber, crl.CrlNumber?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Describe.None);
            Describe.Line(ctx.Out, Strings.Show_ThisUpdate, Describe.Time(crl.ThisUpdate));
            Describe.Line(ctx.Out, Strings.Show_NextUpdate, crl.NextUpdate is { } next
                ? $"{Describe.Time(next)} ({(next < ctx.Now ? Strings.Show_CrlStale : Language.Format(Strings.Show_CrlNextIn, (next - ctx.Now).TotalDays.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)))})"
                : Describe.None);
            if (valid is true) Describe.Line(ctx.Out, Strings.Show_Signature, Strings.Show_CrlSignatureValid);
            Describe.Line(ctx.Out, Strings.Show_Revoked, crl.Entries.Count == 0 ? Describe.None : $"{crl.Entries.Count}");
            foreach (var e in crl.Entries)
                ctx.Out.WriteLine($"  {e.Serial}  {Describe.Time(e.RevokedAt)}  {(e.Reason is { } r ? RevocationReasons.Name(r) : "")}");
            return 0;
        });
        return command;
    }
}
