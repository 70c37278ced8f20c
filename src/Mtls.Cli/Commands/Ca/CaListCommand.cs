using System.CommandLine;
using Mtls.Cli.Resources;
using Mtls.Pki.Text;
using Mtls.Cli.Output;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inventory;

namespace Mtls.Cli.Commands.Ca;

/// <summary>`mtls ca list`: what a CA issued, soonest expiry first (openssl's index.txt, readable).</summary>
internal static class CaListCommand
{
    private static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(30);

    public static Command Build(CliContext ctx)
    {
        var caCert = CaOptions.CaCert();
        var db = CaOptions.Db();
        var expiring = new Option<string?>("--expiring") { Description = Strings.Opt_Expiring };
        var revoked = new Option<bool>("--revoked") { Description = Strings.Opt_RevokedOnly };
        var json = CommonOptions.Json();
        var command = new Command("list", CommandHelp.Of(Strings.Help_CaList,
                "mtls ca list --ca-cert server-ca.crt",
                "mtls ca list --ca-cert server-ca.crt --expiring 30d",
                "mtls ca list --ca-cert client-ca.crt --revoked --json")) { caCert, db, expiring, revoked, json };
        command.SetAction(parse =>
        {
            var caCertPath = parse.GetValue(caCert)!;
            var window = parse.GetValue(expiring) is { } text ? CaOptions.ParseDuration(text, "--expiring") : (TimeSpan?)null;
            var now = ctx.Now;
            using var ca = CertificateFile.Load(caCertPath);
            using var inventory = CaOptions.OpenInventory(caCertPath, parse.GetValue(db), ca);
            IEnumerable<InventoryRecord> records = inventory.List();
            if (parse.GetValue(revoked))
                records = records.Where(r => r.RevokedAt is not null);
            if (window is { } w)
                records = records.Where(r => r.StatusAt(now, w) is CertificateStatus.Expiring or CertificateStatus.Expired);
            var entries = records.Select(r => InventoryEntry.From(r, now, window ?? DefaultWindow)).ToList();

            if (parse.GetValue(json))
                Json.Write(ctx.Out, entries, MtlsJsonContext.Default.ListInventoryEntry);
            else
                Print(ctx, entries, inventory.Path, window);
            return window is not null && entries.Count > 0 ? 1 : 0;
        });
        return command;
    }

    private static void Print(CliContext ctx, List<InventoryEntry> entries, string path, TimeSpan? window)
    {
        if (entries.Count == 0)
        {
            ctx.Out.WriteLine(window is null ? Language.Format(Strings.List_Empty, path) : Language.Format(Strings.List_NothingExpiring, window.Value.TotalDays.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture), path));
            return;
        }
        ctx.Out.WriteLine($"{"STATUS",-11} {"NOT AFTER (UTC)",-17} {"DAYS",5} {"PROFILE",-15} {"SERIAL",-32} SUBJECT");
        foreach (var e in entries)
        {
            ctx.Out.WriteLine($"{e.Status,-11} {e.NotAfter.UtcDateTime:yyyy-MM-dd HH:mm} {e.ExpiresInDays,5} {e.Profile,-15} {e.Serial,-32} {e.Subject}"
                + (e.RevocationReason is null ? "" : Language.Format(Strings.List_Revoked, e.RevocationReason))
                + (e.SupersededBy is null ? "" : Language.Format(Strings.List_Renewed, e.SupersededBy)));
        }
        ctx.Out.WriteLine(Language.Format(Strings.List_Count, entries.Count, path));
    }
}
