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
        // The table is for people, in their language; --json keeps the English field names and values (an API).
        string[] header = [Layout.List_Column_Status, Layout.List_Column_NotAfter, Layout.List_Column_Days, Layout.List_Column_Profile, Layout.List_Column_Serial, Layout.List_Column_Subject];
        var rows = entries.Select(e => new[]
        {
            StatusWord(e.Status), e.NotAfter.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture),
            e.ExpiresInDays.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Profile, e.Serial,
            e.Subject + (e.RevocationReason is null ? "" : Language.Format(Strings.List_Revoked, e.RevocationReason))
                + (e.SupersededBy is null ? "" : Language.Format(Strings.List_Renewed, e.SupersededBy)),
        }).ToList();
        var widths = header.Select((h, i) => rows.Select(r => DisplayWidth.Of(r[i])).Append(DisplayWidth.Of(h)).Max()).ToArray();
        foreach (var row in rows.Prepend(header))
            ctx.Out.WriteLine(string.Join(' ', row.Select((cell, i) => i == row.Length - 1 ? cell
                : i == 2 ? new string(' ', widths[i] - DisplayWidth.Of(cell)) + cell // days: right-aligned
                : DisplayWidth.Pad(cell, widths[i]))));
        ctx.Out.WriteLine(Language.Format(Strings.List_Count, entries.Count, path));
    }

    /// <summary>The status word of a row, in the reader's language (the JSON value is <paramref name="status"/> itself).</summary>
    private static string StatusWord(string status) => status switch
    {
        "valid" => Layout.Status_Valid,
        "expiring" => Layout.Status_Expiring,
        "expired" => Layout.Status_Expired,
        "revoked" => Layout.Status_Revoked,
        "superseded" => Layout.Status_Superseded,
        _ => status,
    };
}
