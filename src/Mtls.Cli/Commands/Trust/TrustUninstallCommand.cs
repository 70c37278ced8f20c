using System.CommandLine;
using Mtls.Cli.Output;
using TrustText = Mtls.Cli.Resources.Trust;
using Mtls.Pki;
using Mtls.Pki.Text;
using Mtls.TrustStore;

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
        var caFile = TrustOptions.CaFile();
        var store = TrustOptions.Store();
        var client = TrustOptions.Client();
        var cert = TrustOptions.Cert();
        var password = CommonOptions.PasswordFile(TrustText.Opt_ClientPassword);
        var command = new Command("uninstall", CommandHelp.Of(TrustText.Help_TrustUninstall,
                "sudo mtls trust uninstall server-ca.crt --store system,java",
                "mtls trust uninstall server-ca.crt --store nss",
                "mtls trust uninstall --cert client.crt",
                "mtls trust uninstall --client client.p12 --password-file p12.pass")) { caFile, store, client, cert, password };
        command.SetAction(parse =>
        {
            var report = TrustOptions.Reporter(ctx);
            var (kinds, explicitKinds) = TrustOptions.ParseStores(parse.GetValue(store));
            var p12 = parse.GetValue(client);
            var certPath = parse.GetValue(cert);
            if (p12 is not null || certPath is not null)
            {
                if (parse.GetValue(caFile) is not null) throw new MtlsException(TrustText.Error_CaAndClient);
                if (explicitKinds && kinds != StoreKinds.Nss) throw new MtlsException(TrustText.Error_ClientNssOnly);
                var identity = TrustOptions.LoadIdentity(ctx, p12, certPath, key: null, parse.GetValue(password), needKey: false);
                var nss = TrustOptions.Find(ctx, StoreKinds.Nss, explicitKinds: true, create: false, report: null).Nss;
                TrustOptions.RequireChangeable(nss);
                foreach (var db in nss) db.Uninstall(identity, report);
                ctx.Out.WriteLine(Language.Format(TrustText.Uninstall_ClientDone, identity.Subject, nss.Count));
                return 0;
            }
            var path = parse.GetValue(caFile) ?? throw new MtlsException(TrustText.Error_CaNeeded);
            var ca = TrustOptions.LoadCa(path);
            var stores = TrustOptions.Find(ctx, kinds, explicitKinds, create: false, report: null).All;
            TrustOptions.RequireChangeable(stores);
            foreach (var s in stores) s.Uninstall(ca, report);
            ctx.Out.WriteLine(Language.Format(TrustText.Uninstall_Done, ca.Subject, stores.Count));
            return 0;
        });
        return command;
    }
}
