using System.CommandLine;
using TrustText = Mtls.Cli.Resources.Trust;

namespace Mtls.Cli.Commands.Trust;

/// <summary>`mtls trust`: the group (install, uninstall, list, check).</summary>
internal static class TrustCommand
{
    public static Command Build(CliContext ctx)
    {
        var group = new Command("trust", TrustText.Help_GroupTrust);
        group.Subcommands.Add(TrustInstallCommand.Build(ctx));
        group.Subcommands.Add(TrustUninstallCommand.Build(ctx));
        group.Subcommands.Add(TrustListCommand.Build(ctx));
        group.Subcommands.Add(TrustCheckCommand.Build(ctx));
        return group;
    }
}
