using Mtls.Cli.Output;
using Mtls.Cli.Resources;
using System.CommandLine;

namespace Mtls.Cli.Commands.Serve;

/// <summary>`mtls serve`: the workshop's Go servers (with and without client authentication) in one command.</summary>
internal static class ServeCommand
{
    public static Command Build(CliContext ctx)
    {
        var shared = new ServerOptionSet(HelpText.Opt_ServeClientCa, HelpText.Opt_ServePort);
        var command = new Command("serve", CommandHelp.Of(HelpText.Help_Serve,
                "mtls serve --cert server.crt --key server.key",
                "mtls serve --cert server.crt --key server.key --client-ca client-ca.crt",
                "mtls serve --cert server.crt --key server.key --client-ca client-ca.crt --port 0 --bind 127.0.0.1",
                "mtls serve --cert server.crt --key server.key --client-ca client-ca.crt --crl client-ca.crl",
                "mtls serve --cert server.crt --key server.key --chain intermediate.crt --bind '*' --port 443",
                "mtls serve --cert server.crt --key server.key --client-ca client-ca.crt --log-format json"));
        foreach (var option in shared.All) command.Options.Add(option);
        command.SetAction(async (parse, ct) =>
        {
            var (options, output) = shared.Read(parse, ctx, withClientCa => withClientCa ? 9443 : 8443);
            return await ServerOptionSet.RunAsync(options, output, ctx, ct);
        });
        return command;
    }
}
