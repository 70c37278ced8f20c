using System.CommandLine;
using Mtls.Cli.Output;
using TrustText = Mtls.Cli.Resources.Trust;
using Mtls.Pki;
using Mtls.Pki.Text;

namespace Mtls.Cli.Commands.Trust;

/// <summary>`mtls trust check CA.crt`: is the CA trusted by each store? Exit 0 when by all, 1 otherwise.</summary>
internal static class TrustCheckCommand
{
    public static Command Build(CliContext ctx)
    {
        var caFile = TrustOptions.CaFile();
        var store = TrustOptions.Store();
        var json = CommonOptions.Json();
        var command = new Command("check", CommandHelp.Of(TrustText.Help_TrustCheck,
                "mtls trust check server-ca.crt",
                "mtls trust check server-ca.crt --store nss --json")) { caFile, store, json };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(caFile) ?? throw new MtlsException(TrustText.Error_CaNeeded);
            var ca = TrustOptions.LoadCa(path);
            var (kinds, explicitKinds) = TrustOptions.ParseStores(parse.GetValue(store));
            var stores = TrustOptions.Find(ctx, kinds, explicitKinds, create: false, report: null).All;
            var answers = stores.Select(s => new TrustCheckStore(s.Name, s.Location, s.Contains(ca))).ToList();
            var missing = answers.Count(a => !a.Trusted);
            if (parse.GetValue(json))
            {
                Json.Write(ctx.Out, new TrustCheckJson(ca.Subject, ca.Nickname, ca.FileStem, ca.JavaAlias, missing == 0, answers), TrustJsonContext.Default.TrustCheckJson);
                return missing == 0 ? 0 : 1;
            }
            foreach (var a in answers)
                ctx.Out.WriteLine(Language.Format(a.Trusted ? TrustText.Check_Trusted : TrustText.Check_NotTrusted, a.Store, a.Location));
            ctx.Out.WriteLine(missing == 0
                ? Language.Format(TrustText.Check_All, ca.Subject, answers.Count)
                : Language.Format(TrustText.Check_Missing, ca.Subject, missing, answers.Count, path));
            return missing == 0 ? 0 : 1;
        });
        return command;
    }
}
