using System.CommandLine;
using Mtls.Cli.Output;
using TrustText = Mtls.Cli.Resources.Trust;
using Mtls.Pki.Text;

namespace Mtls.Cli.Commands.Trust;

/// <summary>
/// `mtls trust install`: a CA into the system store, the browsers' NSS databases and Java's cacerts
/// (mkcert -install), or a client identity into the NSS databases (--client).
/// </summary>
internal static class TrustInstallCommand
{
    public static Command Build(CliContext ctx)
    {
        var options = new TrustChangeOptions(install: true);
        var command = options.Command("install", CommandHelp.Of(TrustText.Help_TrustInstall,
                "sudo mtls trust install server-ca.crt --store system,java",
                "mtls trust install server-ca.crt --store nss --create",
                "mtls trust install --client client.p12 --password-file p12.pass",
                "mtls trust install --cert client.crt --key client.key --create"));
        command.SetAction(parse =>
        {
            var report = TrustOptions.Reporter(ctx);
            var target = options.Resolve(parse, ctx, report);
            if (target.Identity is { } identity)
            {
                foreach (var db in target.Nss) db.Install(identity, report);
                ctx.Out.WriteLine(Language.Format(TrustText.Install_ClientDone, identity.Subject, target.Nss.Count, target.Undo));
                return 0;
            }
            foreach (var s in target.Stores) s.Install(target.Ca!, report);
            ctx.Out.WriteLine(Language.Format(TrustText.Install_Done, target.Ca!.Subject, string.Join(", ", target.Stores.Select(s => s.Name).Distinct()), target.Undo));
            return 0;
        });
        return command;
    }
}
