using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Mtls.Cli.Commands.Ca;
using Mtls.Cli.Commands.Cert;
using Mtls.Cli.Commands.Crl;
using Mtls.Cli.Commands.Csr;
using Mtls.Cli.Commands.Get;
using Mtls.Cli.Commands.Key;
using Mtls.Cli.Commands.Serve;
using Mtls.Cli.Workshop;
using Mtls.Pki;

namespace Mtls.Cli;

/// <summary>Builds the command tree and runs it with mtls's conventions for errors and exit codes.</summary>
public static class CliApp
{
    public static RootCommand BuildRoot(CliContext ctx)
    {
        var root = new RootCommand("""
            mtls: mutual TLS and private PKI in one command.

            Keys, CSRs, certificate authorities, signing and inspection (instead of openssl); an HTTPS and
            mTLS server (instead of the workshop's Go servers); a curl-like client; the whole mTLS workshop
            as a guided demo.

            Exit codes: 0 success, 1 the operation failed or was refused, 2 bad usage or unreadable input.
            """);
        root.Options.Add(CommonOptions.Verbose);
        root.Subcommands.Add(Group("key", "Private keys.", KeyCreateCommand.Build(ctx)));
        root.Subcommands.Add(Group("csr", "Certificate signing requests.", CsrCreateCommand.Build(ctx), CsrShowCommand.Build(ctx)));
        root.Subcommands.Add(Group("ca", "Certificate authorities: create one, sign CSRs, list, revoke, publish CRLs.", CaCreateCommand.Build(ctx), CaSignCommand.Build(ctx),
            CaListCommand.Build(ctx), CaRevokeCommand.Build(ctx), CaCrlCommand.Build(ctx)));
        root.Subcommands.Add(Group("cert", "Certificates.", CertShowCommand.Build(ctx), CertRenewCommand.Build(ctx), CertP12Command.Build(ctx)));
        root.Subcommands.Add(Group("crl", "Certificate revocation lists.", CrlShowCommand.Build(ctx)));
        root.Subcommands.Add(ServeCommand.Build(ctx));
        root.Subcommands.Add(GetCommand.Build(ctx));
        root.Subcommands.Add(WorkshopCommand.Build(ctx));
        root.Subcommands.Add(Commands.Verify.VerifyCommand.Build(ctx));
        return root;
    }

    private static Command Group(string name, string description, params Command[] children)
    {
        var group = new Command(name, description);
        foreach (var child in children) group.Subcommands.Add(child);
        return group;
    }

    /// <summary>"ca sign" for the sign command under ca; "" for the root.</summary>
    public static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (var c = command; c is not null and not RootCommand; c = c.Parents.OfType<Command>().FirstOrDefault())
            names.Insert(0, c.Name);
        return string.Join(' ', names);
    }

    public static async Task<int> RunAsync(string[] args, CliContext ctx, CancellationToken cancellationToken = default)
    {
        var root = BuildRoot(ctx);
        var result = root.Parse(args);
        if (result.Action is ParseErrorAction && result.Errors.Count > 0)
        {
            if (PasswordOnCommandLine.Find(args) is { } option)
            {
                // Parse errors echo the unrecognised tokens; one of them is the password. Say why, never what.
                ctx.Err.WriteLine($"mtls: error: {option}: a password is never taken on the command line (other users see it in ps, and it stays in shell history); put it on the first line of a file and pass --password-file FILE, or set MTLS_PASSWORD.");
                return (int)ExitCode.BadInput;
            }
            foreach (var error in result.Errors)
                ctx.Err.WriteLine($"mtls: error: {error.Message}");
            var command = CommandPath(result.CommandResult.Command);
            ctx.Err.WriteLine($"Try 'mtls {(command.Length > 0 ? command + " " : "")}--help'.");
            return (int)ExitCode.BadInput;
        }
        var config = new InvocationConfiguration { Output = ctx.Out, Error = ctx.Err, EnableDefaultExceptionHandler = false };
        try
        {
            return await result.InvokeAsync(config, cancellationToken);
        }
        catch (MtlsException e)
        {
            ctx.Err.WriteLine($"mtls: error: {e.Message}");
            if (result.GetValue(CommonOptions.Verbose) && e.InnerException is not null)
                ctx.Err.WriteLine(e.InnerException.ToString());
            return (int)e.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 130;
        }
        catch (Exception e)
        {
            ctx.Err.WriteLine($"mtls: error: unexpected failure: {e.Message} (run with --verbose for details, and please report it)");
            if (result.GetValue(CommonOptions.Verbose))
                ctx.Err.WriteLine(e.ToString());
            return (int)ExitCode.Failed;
        }
    }
}
