using System.CommandLine;
using Mtls.Cli.Output;
using TrustText = Mtls.Cli.Resources.Trust;
using Mtls.Pki;
using Mtls.Pki.Text;
using Mtls.TrustStore;

namespace Mtls.Cli.Commands.Trust;

/// <summary>
/// `mtls trust install`: a CA into the system store, the browsers' NSS databases and Java's cacerts
/// (mkcert -install), or a client identity into the NSS databases (--client).
/// </summary>
internal static class TrustInstallCommand
{
    public static Command Build(CliContext ctx)
    {
        var caFile = TrustOptions.CaFile();
        var store = TrustOptions.Store();
        var create = new Option<bool>("--create") { Description = TrustText.Opt_Create };
        var client = TrustOptions.Client();
        var cert = TrustOptions.Cert();
        var key = TrustOptions.Key();
        var password = CommonOptions.PasswordFile(TrustText.Opt_ClientPassword);
        var command = new Command("install", CommandHelp.Of(TrustText.Help_TrustInstall,
                "sudo mtls trust install server-ca.crt --store system,java",
                "mtls trust install server-ca.crt --store nss --create",
                "mtls trust install --client client.p12 --password-file p12.pass",
                "mtls trust install --cert client.crt --key client.key --create")) { caFile, store, create, client, cert, key, password };
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
                var identity = TrustOptions.LoadIdentity(ctx, p12, certPath, parse.GetValue(key), parse.GetValue(password), needKey: true);
                var nss = TrustOptions.Find(ctx, StoreKinds.Nss, explicitKinds: true, parse.GetValue(create), report).Nss;
                TrustOptions.RequireChangeable(nss);
                foreach (var db in nss) db.Install(identity, report);
                ctx.Out.WriteLine(Language.Format(TrustText.Install_ClientDone, identity.Subject, nss.Count, Undo("--client", p12 ?? certPath!)));
                return 0;
            }
            var path = parse.GetValue(caFile) ?? throw new MtlsException(TrustText.Error_CaNeeded);
            var ca = TrustOptions.LoadCa(path);
            var stores = TrustOptions.Find(ctx, kinds, explicitKinds, parse.GetValue(create), report).All;
            TrustOptions.RequireChangeable(stores);
            foreach (var s in stores) s.Install(ca, report);
            ctx.Out.WriteLine(Language.Format(TrustText.Install_Done, ca.Subject, string.Join(", ", stores.Select(s => s.Name).Distinct()), Undo(null, path)));
            return 0;
        });
        return command;
    }

    private static string Undo(string? flag, string path) =>
        "mtls trust uninstall " + (flag is null ? "" : flag + " ") + (path.Any(char.IsWhiteSpace) ? $"'{path}'" : path);
}
