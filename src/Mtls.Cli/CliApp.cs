using System.CommandLine;
using Mtls.Cli.Output;
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
using System.Globalization;
using Mtls.Cli.Resources;
using Mtls.Pki;
using Mtls.Pki.Text;

namespace Mtls.Cli;

/// <summary>Builds the command tree and runs it with mtls's conventions for errors and exit codes.</summary>
public static class CliApp
{
    public static RootCommand BuildRoot(CliContext ctx)
    {
        var root = new RootCommand(CommandHelp.Of(Strings.Help_Root));
        root.Options.Add(CommonOptions.Verbose());
        // System.CommandLine 2.0.0's ja satellite leaves the help option's own line in English.
        foreach (var help in root.Options.OfType<HelpOption>()) help.Description = Strings.Opt_Help;
        root.Subcommands.Add(Group("key", Strings.Help_GroupKey, KeyCreateCommand.Build(ctx)));
        root.Subcommands.Add(Group("csr", Strings.Help_GroupCsr, CsrCreateCommand.Build(ctx), CsrShowCommand.Build(ctx)));
        root.Subcommands.Add(Group("ca", Strings.Help_GroupCa, CaCreateCommand.Build(ctx), CaSignCommand.Build(ctx),
            CaListCommand.Build(ctx), CaRevokeCommand.Build(ctx), CaCrlCommand.Build(ctx), CaReportCommand.Build(ctx),
            Commands.OnlineCa.CaServeCommand.Build(ctx), Commands.OnlineCa.CaTokenCommand.Build(ctx)));
        root.Subcommands.Add(Group("cert", Strings.Help_GroupCert, CertShowCommand.Build(ctx), CertRenewCommand.Build(ctx), CertP12Command.Build(ctx)));
        root.Subcommands.Add(Group("crl", Strings.Help_GroupCrl, CrlShowCommand.Build(ctx)));
        root.Subcommands.Add(ServeCommand.Build(ctx));
        root.Subcommands.Add(Commands.Proxy.ProxyCommand.Build(ctx));
        root.Subcommands.Add(GetCommand.Build(ctx));
        root.Subcommands.Add(Commands.OnlineCa.EnrollCommand.Build(ctx));
        root.Subcommands.Add(WorkshopCommand.Build(ctx));
        root.Subcommands.Add(Commands.Verify.VerifyCommand.Build(ctx));
        root.Subcommands.Add(Commands.Trust.TrustCommand.Build(ctx));
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
        // The language of every message, System.CommandLine's parse errors included. CurrentUICulture is
        // AsyncLocal-backed: set inside this async method it ends with it, so one command's language never
        // leaks to the caller or to another command run in the same process (the in-process tests).
        CultureInfo.CurrentUICulture = Language.FromEnvironment(ctx.Env);
        var root = BuildRoot(ctx);
        var result = root.Parse(args);
        if (result.Action is ParseErrorAction && result.Errors.Count > 0)
        {
            if (PasswordOnCommandLine.Find(args) is { } option)
            {
                // Parse errors echo the unrecognised tokens; one of them is the password. Say why, never what.
                Error(ctx, Language.Format(Strings.Error_PasswordOnCommandLine, option));
                return (int)ExitCode.BadInput;
            }
            foreach (var error in result.Errors)
                Error(ctx, ParseErrors.Message(error));
            var command = CommandPath(result.CommandResult.Command);
            ctx.Err.WriteLine(Language.Format(Strings.Usage_TryHelp, $"mtls {(command.Length > 0 ? command + " " : "")}--help"));
            return (int)ExitCode.BadInput;
        }
        // A command with --lang (the workshop) speaks the language asked for, its errors included.
        if (result.CommandResult.Command.Options.Any(o => o.Name == "--lang"))
            CultureInfo.CurrentUICulture = Language.Choose(result.GetValue<string?>("--lang"), ctx.Env);
        // Help goes through HelpWords, for the words System.CommandLine's satellite leaves in English.
        using var help = result.Action is HelpAction ? new StringWriter() : null;
        var config = new InvocationConfiguration { Output = help ?? ctx.Out, Error = ctx.Err, EnableDefaultExceptionHandler = false };
        try
        {
            var exit = await result.InvokeAsync(config, cancellationToken);
            if (help is not null) ctx.Out.Write(HelpWords.Translate(help.ToString()));
            return exit;
        }
        catch (MtlsException e)
        {
            Error(ctx, e.Message);
            if (CommonOptions.IsVerbose(result) && e.InnerException is not null)
                ctx.Err.WriteLine(e.InnerException.ToString());
            return (int)e.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 130;
        }
        catch (Exception e)
        {
            Error(ctx, Language.Format(Strings.Error_Unexpected, e.Message));
            if (CommonOptions.IsVerbose(result))
                ctx.Err.WriteLine(e.ToString());
            return (int)ExitCode.Failed;
        }
    }

    /// <summary>The one error line (`mtls: error: ...`, `mtls: エラー: ...` in Japanese).</summary>
    public static void Error(CliContext ctx, string message) => ctx.Err.WriteLine(Language.Format(Strings.Error_Line, message));

    /// <summary>The one warning line (`mtls: warning: ...`, `mtls: 警告: ...` in Japanese).</summary>
    public static void Warning(CliContext ctx, string message) => ctx.Err.WriteLine(Language.Format(Strings.Warning_Line, message));
}
