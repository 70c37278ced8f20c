namespace Mtls.Cli.Tests;

/// <summary>Issue 6: the inventory seen through `mtls ca sign`, `ca list` and `cert renew`.</summary>
public class CaInventoryCliTests
{
    internal static void Ok(CliResult r) => Assert.True(r.ExitCode == 0, r.ToString());
    internal static void Ok(ToolResult r) => Assert.True(r.ExitCode == 0, r.ToString());

    /// <summary>A CA (ca.crt, ca.key) and CSRs named name.csr with keys name.key.</summary>
    internal static void MakeCa(TempDir d, params string[] csrs)
    {
        Ok(Cli.Run("ca", "create", "--subject", "/O=Kame/CN=Test CA", "--curve", "P-256", "--out", d["ca.crt"], "--key-out", d["ca.key"]));
        foreach (var name in csrs)
        {
            Ok(Cli.Run("key", "create", "--out", d[name + ".key"]));
            Ok(Cli.Run("csr", "create", "--key", d[name + ".key"], "--subject", $"/O=Kame/CN={name}", "--out", d[name + ".csr"]));
        }
    }

    internal static CliResult Sign(TempDir d, string name, string profile = "server", int days = 365, string? ca = "ca") =>
        Cli.Run("ca", "sign", d[name + ".csr"], "--ca-cert", d[ca + ".crt"], "--ca-key", d[ca + ".key"], "--profile", profile,
            "--days", days.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", d[name + ".crt"]);

    private static string Serial(TempDir d, string cert) =>
        Tool.Openssl("x509", "-in", d[cert], "-noout", "-serial").Stdout.Trim()["serial=".Length..];

    [Fact]
    public void Sign_records_and_list_sorts_by_expiry_with_status()
    {
        using var d = new TempDir();
        MakeCa(d, "web", "soon", "later");
        Ok(Sign(d, "web", days: 200));
        Ok(Sign(d, "soon", "client", days: 10));
        Ok(Sign(d, "later", days: 400));
        Assert.True(File.Exists(d["ca.db"]), "the inventory sits beside the CA certificate");

        var list = Cli.Run("ca", "list", "--ca-cert", d["ca.crt"]);
        Ok(list);
        var rows = list.Stdout.Split('\n').Where(l => l.Contains("CN=", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, rows.Count);
        Assert.StartsWith("expiring", rows[0]);
        Assert.Contains("CN=soon", rows[0]);
        Assert.Contains(Serial(d, "soon.crt"), rows[0]);
        Assert.StartsWith("valid", rows[1]);
        Assert.Contains("CN=web", rows[1]);
        Assert.Contains("CN=later", rows[2]);

        using var json = System.Text.Json.JsonDocument.Parse(Cli.Run("ca", "list", "--ca-cert", d["ca.crt"], "--json").Stdout);
        var first = json.RootElement[0];
        Assert.Equal("client", first.GetProperty("profile").GetString());
        Assert.Equal("DNS:web", json.RootElement[1].GetProperty("subjectAltNames")[0].GetString());
        var fingerprint = Tool.Openssl("x509", "-in", d["soon.crt"], "-noout", "-fingerprint", "-sha256").Stdout.Trim();
        Assert.EndsWith(fingerprint.Split('=')[1].Replace(":", "", StringComparison.Ordinal), first.GetProperty("sha256Fingerprint").GetString());
        foreach (var field in new[] { "serial", "subject", "notBefore", "notAfter", "status", "issuedAt", "expiresInDays" })
            Assert.True(first.TryGetProperty(field, out _), field);
    }

    [Fact]
    public void Expiring_exits_1_when_anything_is_listed_like_checkend()
    {
        using var d = new TempDir();
        MakeCa(d, "soon", "later");
        Ok(Sign(d, "soon", days: 10));
        Ok(Sign(d, "later", days: 300));
        var hit = Cli.Run("ca", "list", "--ca-cert", d["ca.crt"], "--expiring", "30d");
        Assert.Equal(1, hit.ExitCode);
        Assert.Contains("CN=soon", hit.Stdout);
        Assert.DoesNotContain("CN=later", hit.Stdout);
        var none = Cli.Run("ca", "list", "--ca-cert", d["ca.crt"], "--expiring", "12h");
        Assert.True(none.ExitCode == 0, none.ToString());
        Assert.Contains("Nothing expires", none.Stdout);
        // A year from now both have expired: still listed (something may still use them).
        var later = Cli.RunAt(DateTimeOffset.UtcNow.AddDays(365), "ca", "list", "--ca-cert", d["ca.crt"], "--expiring", "7d");
        Assert.Equal(1, later.ExitCode);
        Assert.Contains("expired", later.Stdout);
        var bad = Cli.Run("ca", "list", "--ca-cert", d["ca.crt"], "--expiring", "soon");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("not a duration", bad.Stderr);
    }

    [Fact]
    public void Renew_keeps_subject_sans_and_profile_and_supersedes_the_old_one()
    {
        using var d = new TempDir();
        MakeCa(d, "svc");
        Ok(Cli.Run("ca", "sign", d["svc.csr"], "--ca-cert", d["ca.crt"], "--ca-key", d["ca.key"], "--profile", "client",
            "--san", "DNS:svc.internal", "--san", "IP:10.0.0.7", "--days", "30", "--out", d["svc.crt"]));
        var renew = Cli.Run("cert", "renew", d["svc.crt"], "--ca-cert", d["ca.crt"], "--ca-key", d["ca.key"], "--out", d["svc-2.crt"]);
        Ok(renew);
        Assert.Contains("valid until:", renew.Stdout);
        Assert.Contains("expires in 30 days", renew.Stdout); // the old validity length by default

        string Text(string f) => Tool.Openssl("x509", "-in", d[f], "-noout", "-subject", "-ext", "subjectAltName,extendedKeyUsage", "-pubkey").Stdout;
        Assert.Equal(Text("svc.crt"), Text("svc-2.crt")); // same subject, SANs, EKU and key
        Assert.NotEqual(Serial(d, "svc.crt"), Serial(d, "svc-2.crt"));
        Ok(Tool.Openssl("verify", "-CAfile", d["ca.crt"], "-purpose", "sslclient", d["svc-2.crt"]));

        var list = Cli.Run("ca", "list", "--ca-cert", d["ca.crt"]).Stdout;
        Assert.Contains($"superseded", list);
        Assert.Contains($"[renewed as {Serial(d, "svc-2.crt")}]", list);

        // --rekey: a new key of the same kind, written encrypted when asked; openssl reads it.
        File.WriteAllText(d["k.pass"], "s3cret\n");
        Ok(Cli.Run("cert", "renew", d["svc-2.crt"], "--ca-cert", d["ca.crt"], "--ca-key", d["ca.key"], "--rekey", "--key-out", d["svc-3.key"],
            "--key-password-file", d["k.pass"], "--days", "90", "--out", d["svc-3.crt"]));
        Ok(Tool.Openssl("pkey", "-in", d["svc-3.key"], "-passin", "file:" + d["k.pass"], "-noout"));
        var newPub = Tool.Openssl("pkey", "-in", d["svc-3.key"], "-passin", "file:" + d["k.pass"], "-pubout").Stdout;
        Assert.Equal(newPub, Tool.Openssl("x509", "-in", d["svc-3.crt"], "-noout", "-pubkey").Stdout);
        Assert.NotEqual(newPub, Tool.Openssl("x509", "-in", d["svc.crt"], "-noout", "-pubkey").Stdout);
    }

    [Fact]
    public void A_ca_made_by_openssl_gets_its_inventory_on_first_use()
    {
        using var d = new TempDir();
        Ok(Tool.OpensslIn(d.Path, """
            openssl req -x509 -newkey ec:<(openssl ecparam -name secp384r1) -keyout server-ca.key -out server-ca.crt -days 365 -subj "/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=ca.server.example.com" -nodes 2>/dev/null &&
            openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp384r1 -out server.key &&
            openssl req -new -key server.key -out server.csr -subj "/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=localhost"
            """));
        Assert.False(File.Exists(d["server-ca.db"]));
        var sign = Cli.Run("ca", "sign", d["server.csr"], "--ca-cert", d["server-ca.crt"], "--ca-key", d["server-ca.key"], "--profile", "server", "--out", d["server.crt"]);
        Ok(sign);
        Assert.Contains("recorded in: " + d["server-ca.db"], sign.Stdout);
        Assert.Contains("CN=localhost", Cli.Run("ca", "list", "--ca-cert", d["server-ca.crt"]).Stdout);
        // The same CA can revoke and publish a CRL although openssl made it without keyUsage.
        Ok(Cli.Run("ca", "revoke", d["server.crt"], "--ca-cert", d["server-ca.crt"], "--ca-key", d["server-ca.key"]));
        Ok(Cli.Run("ca", "crl", "--ca-cert", d["server-ca.crt"], "--ca-key", d["server-ca.key"], "--out", d["server-ca.crl"]));
        Ok(Tool.Openssl("crl", "-in", d["server-ca.crl"], "-CAfile", d["server-ca.crt"], "-verify", "-noout"));
    }
}
