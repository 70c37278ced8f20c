using System.CommandLine;
using Mtls.Cli.Resources;
using Mtls.Cli.Output;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inspection;

namespace Mtls.Cli.Commands.Csr;

/// <summary>`mtls csr show`: openssl req -text -noout -verify.</summary>
internal static class CsrShowCommand
{
    public static Command Build(CliContext ctx)
    {
        var file = new Argument<string>("csr") { Description = Strings.Opt_CsrFile };
        var json = CommonOptions.Json();
        var command = new Command("show", CommandHelp.Of(Strings.Help_CsrShow,
                "mtls csr show server.csr",
                "mtls csr show client.csr --json")) { file, json };
        command.SetAction(parse =>
        {
            var description = CsrDescription.From(CsrFile.Load(parse.GetValue(file)!));
            if (parse.GetValue(json))
                Json.Write(ctx.Out, description, MtlsJsonContext.Default.CsrDescription);
            else
                Describe.Csr(ctx.Out, description);
            return 0;
        });
        return command;
    }
}
