using System.CommandLine;
using Mtls.Cli.Resources;
using Mtls.Pki.Text;
using Mtls.Cli.Output;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inspection;

namespace Mtls.Cli.Commands.Cert;

/// <summary>`mtls cert show`: openssl x509 -text -noout (every certificate of a bundle).</summary>
internal static class CertShowCommand
{
    public static Command Build(CliContext ctx)
    {
        var file = new Argument<string>("cert") { Description = Strings.Opt_CertFile };
        var json = CommonOptions.Json();
        var command = new Command("show", CommandHelp.Of(Strings.Help_CertShow,
                "mtls cert show server.crt",
                "mtls cert show server-ca.crt --json")) { file, json };
        command.SetAction(parse =>
        {
            var now = ctx.Now;
            var descriptions = CertificateFile.LoadAll(parse.GetValue(file)!).Select(c => CertificateDescription.From(c, now)).ToList();
            if (parse.GetValue(json))
            {
                if (descriptions.Count == 1) Json.Write(ctx.Out, descriptions[0], MtlsJsonContext.Default.CertificateDescription);
                else Json.Write(ctx.Out, descriptions, MtlsJsonContext.Default.ListCertificateDescription);
                return 0;
            }
            for (var i = 0; i < descriptions.Count; i++)
            {
                if (descriptions.Count > 1) ctx.Out.WriteLine((i == 0 ? "" : "\n") + Language.Format(Strings.Show_CertificateOf, i + 1, descriptions.Count));
                Describe.Certificate(ctx.Out, descriptions[i]);
            }
            return 0;
        });
        return command;
    }
}
