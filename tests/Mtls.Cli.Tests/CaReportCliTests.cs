using System.Globalization;
using System.Text.Json;

namespace Mtls.Cli.Tests;

/// <summary>Issue 17: `mtls ca report` over a CA made by mtls itself (the page's content is tested in Mtls.Ca.Tests).</summary>
public class CaReportCliTests
{
    private static void Ok(CliResult r) => Assert.True(r.ExitCode == 0, r.ToString());

    /// <summary>A CA with web (200 days), soon (10 days, client) and later (400 days, revoked).</summary>
    private static void MakeCa(TempDir d)
    {
        CaInventoryCliTests.MakeCa(d, "web", "soon", "later");
        Ok(CaInventoryCliTests.Sign(d, "web", days: 200));
        Ok(CaInventoryCliTests.Sign(d, "soon", "client", days: 10));
        Ok(CaInventoryCliTests.Sign(d, "later", days: 400));
        Ok(Cli.Run("ca", "revoke", d["later.crt"], "--ca-cert", d["ca.crt"], "--ca-key", d["ca.key"], "--reason", "keyCompromise"));
    }

    private static JsonElement Summary(CliResult r)
    {
        Ok(r);
        using var json = JsonDocument.Parse(r.Stdout);
        return json.RootElement.Clone();
    }

    [Fact]
    public void Html_is_written_once_and_json_counts_by_status()
    {
        using var d = new TempDir();
        MakeCa(d);

        var run = Cli.Run("ca", "report", "--ca-cert", d["ca.crt"], "--html", d["report.html"]);
        Ok(run);
        Assert.StartsWith($"Wrote {d["report.html"]}: issued 3, expiring soon 1, expired 0, revoked 1.", run.Stdout);
        Assert.Contains("file://", run.Stdout);
        var html = File.ReadAllText(d["report.html"]);
        Assert.StartsWith("<!DOCTYPE html>", html);
        foreach (var name in (string[])["CN=web,O=Kame", "CN=soon,O=Kame", "CN=later,O=Kame", "CN=Test CA,O=Kame"])
            Assert.Contains(name, html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);

        var again = Cli.Run("ca", "report", "--ca-cert", d["ca.crt"], "--html", d["report.html"]);
        Assert.Equal(2, again.ExitCode);
        Assert.StartsWith("mtls: error: ", again.Stderr);
        Assert.Contains("--force", again.Stderr);
        Ok(Cli.Run("ca", "report", "--ca-cert", d["ca.crt"], "--html", d["report.html"], "--force"));

        var summary = Summary(Cli.Run("ca", "report", "--ca-cert", d["ca.crt"], "--json"));
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("html").ValueKind);
        Assert.Equal(3, summary.GetProperty("issued").GetInt32());
        Assert.Equal(1, summary.GetProperty("valid").GetInt32());
        Assert.Equal(1, summary.GetProperty("expiring").GetInt32());
        Assert.Equal(1, summary.GetProperty("revoked").GetInt32());
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("crlNextUpdate").ValueKind);
    }

    [Fact]
    public void At_reports_as_of_another_time()
    {
        using var d = new TempDir();
        MakeCa(d);
        var at = DateTimeOffset.UtcNow.AddDays(300).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var summary = Summary(Cli.Run("ca", "report", "--ca-cert", d["ca.crt"], "--at", at, "--json"));
        Assert.Equal(2, summary.GetProperty("expired").GetInt32()); // soon (10 days) and web (200 days)
        Assert.Equal(0, summary.GetProperty("valid").GetInt32());
        Assert.Equal(1, summary.GetProperty("revoked").GetInt32());

        var bad = Cli.Run("ca", "report", "--ca-cert", d["ca.crt"], "--at", "someday", "--json");
        Assert.Equal(2, bad.ExitCode);
        Assert.Equal("mtls: error: --at someday is not a time: give ISO 8601, e.g. 2027-01-01T00:00:00Z\n", bad.Stderr.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void The_crl_beside_the_ca_is_read_and_another_cas_crl_is_refused()
    {
        using var d = new TempDir();
        MakeCa(d);
        Ok(Cli.Run("ca", "crl", "--ca-cert", d["ca.crt"], "--ca-key", d["ca.key"], "--next-update", "3d", "--out", d["ca.crl"]));
        var summary = Summary(Cli.Run("ca", "report", "--ca-cert", d["ca.crt"], "--json"));
        var next = summary.GetProperty("crlNextUpdate").GetDateTimeOffset();
        Assert.InRange(next - DateTimeOffset.UtcNow, TimeSpan.FromDays(2.9), TimeSpan.FromDays(3));
        Assert.Equal(0, summary.GetProperty("revokedNotInCrl").GetInt32());
        Assert.False(summary.GetProperty("crlStale").GetBoolean());

        Ok(Cli.Run("ca", "create", "--subject", "/CN=Other CA", "--curve", "P-256", "--out", d["other.crt"], "--key-out", d["other.key"]));
        Ok(Cli.Run("ca", "crl", "--ca-cert", d["other.crt"], "--ca-key", d["other.key"], "--out", d["other.crl"]));
        var refused = Cli.Run("ca", "report", "--ca-cert", d["ca.crt"], "--crl", d["other.crl"], "--json");
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal($"mtls: error: the CRL {d["other.crl"]} is not signed by the CA in {d["ca.crt"]}: give this CA's CRL with --crl (mtls ca crl makes one)\n",
            refused.Stderr.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Nothing_to_write_is_a_usage_error()
    {
        using var d = new TempDir();
        MakeCa(d);
        var r = Cli.Run("ca", "report", "--ca-cert", d["ca.crt"]);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("mtls: error: nothing to write: give --html OUT.html", r.Stderr);
        Assert.False(File.Exists(d["report.html"]));
    }

    [Fact]
    public void Lang_ja_writes_a_japanese_page_in_utf8()
    {
        using var d = new TempDir();
        MakeCa(d);
        var run = Cli.Run("ca", "report", "--ca-cert", d["ca.crt"], "--html", d["report.html"], "--lang", "ja");
        Ok(run);
        Assert.Contains("を書き出しました: 発行済み 3 件", run.Stdout);
        var html = File.ReadAllText(d["report.html"], System.Text.Encoding.UTF8);
        Assert.Contains("<html lang=\"ja\">", html);
        Assert.Contains("認証局レポート", html);
        Assert.Contains("まもなく期限切れ", html);
        Assert.DoesNotContain("What it issued", html);
    }
}
