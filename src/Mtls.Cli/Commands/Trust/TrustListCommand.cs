using System.CommandLine;
using Mtls.Cli.Output;
using TrustText = Mtls.Cli.Resources.Trust;
using Mtls.Pki.Text;

namespace Mtls.Cli.Commands.Trust;

/// <summary>`mtls trust list`: what mtls installed, store by store (only the names it derived: nothing else).</summary>
internal static class TrustListCommand
{
    public static Command Build(CliContext ctx)
    {
        var store = TrustOptions.Store();
        var json = CommonOptions.Json();
        var command = new Command("list", CommandHelp.Of(TrustText.Help_TrustList,
                "mtls trust list",
                "mtls trust list --store nss --json")) { store, json };
        command.SetAction(parse =>
        {
            var (kinds, explicitKinds) = TrustOptions.ParseStores(parse.GetValue(store));
            var stores = TrustOptions.Find(ctx, kinds, explicitKinds, create: false, report: null).All;
            var entries = stores.SelectMany(s => s.List()).ToList();
            if (parse.GetValue(json))
            {
                Json.Write(ctx.Out, entries, TrustJsonContext.Default.ListTrustEntry);
                return 0;
            }
            foreach (var s in stores)
                ctx.Out.WriteLine(Language.Format(TrustText.List_Store, s.Name, s.Location));
            foreach (var e in entries)
                ctx.Out.WriteLine(Language.Format(e.IsClientIdentity ? TrustText.List_ClientEntry : TrustText.List_Entry, e.Store, e.Location, e.Name));
            if (entries.Count == 0)
                ctx.Out.WriteLine(Language.Format(TrustText.List_Nothing, stores.Count));
            return 0;
        });
        return command;
    }
}
