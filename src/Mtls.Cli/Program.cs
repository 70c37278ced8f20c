using Mtls.Cli;

return await CliApp.RunAsync(args, CliContext.FromConsole());
