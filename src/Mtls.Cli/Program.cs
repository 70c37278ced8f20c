using Mtls.Cli;
using Mtls.Cli.Commands.Serve;

OpenSslProcessConfiguration.InstallFor(args); // before anything starts OpenSSL
return await CliApp.RunAsync(args, CliContext.FromConsole());
