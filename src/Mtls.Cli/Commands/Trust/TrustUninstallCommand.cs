using System.CommandLine;
using Mtls.Cli.Output;
using TrustText = Mtls.Cli.Resources.Trust;
using Mtls.Pki.Text;

namespace Mtls.Cli.Commands.Trust;

/// <summary>
/// `mtls trust uninstall`: removes exactly what install added (found by the names derived from the
/// certificate): the system file, rebuilt with --fresh so no link dangles; the NSS entries; Java's alias,
/// and the alias Debian's hook copied from the system store.
/// </summary>
internal static class TrustUninstallCommand
{
    public static Command Build(CliContext ctx)
    {
        var options = new TrustChangeOptions(install: false);
        var command = options.Command("uninstall", CommandHelp.Of(TrustText.Help_TrustUninstall,
                "sudo mtls trust uninstall server-ca.crt --store system,java",
                "mtls trust uninstall server-ca.crt --store nss",
                "mtls trust uninstall --cert client.crt",
                "mtls trust uninstall --client client.p12 --password-file p12.pass"));
        command.SetAction(parse =>
        {
            var report = TrustOptions.Reporter(ctx);
            var target = options.Resolve(parse, ctx, report);
            if (target.Identity is { } identity)
            {
                foreach (var db in target.Nss) db.Uninstall(identity, report);
                ctx.Out.WriteLine(Language.Format(TrustText.Uninstall_ClientDone, identity.Subject, target.Nss.Count));
                return 0;
            }
            foreach (var s in target.Stores) s.Uninstall(target.Ca!, report);
            ctx.Out.WriteLine(Language.Format(TrustText.Uninstall_Done, target.Ca!.Subject, target.Stores.Count));
            return 0;
        });
        return command;
    }
}
