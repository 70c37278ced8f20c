using System.CommandLine;
using Mtls.Cli.Output;
using Mtls.Cli.Resources;
using Mtls.Pki.Text;

namespace Mtls.Cli.Workshop;

/// <summary>`mtls workshop`: the whole seed workshop, guided, in one command.</summary>
internal static class WorkshopCommand
{
    public static Command Build(CliContext ctx)
    {
        var dir = new Option<string>("--dir") { Description = Strings.Opt_WorkshopDir, DefaultValueFactory = _ => "mtls-workshop" };
        var lang = new Option<string?>("--lang") { Description = Strings.Opt_Lang };
        lang.AcceptOnlyFromAmong("en", "ja");
        var keepRunning = new Option<bool>("--keep-running") { Description = Strings.Opt_KeepRunning };
        var fresh = new Option<bool>("--fresh") { Description = Strings.Opt_Fresh };
        var json = CommonOptions.Json();
        json.Description = Strings.Opt_WorkshopJson;
        var command = new Command("workshop", CommandHelp.Of(Strings.Help_Workshop,
                "mtls workshop",
                "mtls workshop --lang ja",
                "mtls workshop --dir /tmp/ws --fresh",
                "mtls workshop --keep-running")) { dir, lang, keepRunning, fresh, json };
        command.SetAction((parse, ct) =>
        {
            // --lang wins over the locale. CliApp.RunAsync has made the same choice the ambient CurrentUICulture,
            // so the library's messages (failure explanations, notes) and any error follow it too.
            var language = Language.Choose(parse.GetValue(lang), ctx.Env);
            var options = new WorkshopOptions(
                parse.GetValue(dir)!,
                language,
                parse.GetValue(keepRunning),
                parse.GetValue(fresh),
                parse.GetValue(json));
            return new WorkshopRunner(ctx, options).RunAsync(ct);
        });
        return command;
    }
}
