namespace Mtls.Cli.Tests;

/// <summary>Issue 6: `mtls ca revoke` and `mtls ca crl`, judged by openssl.</summary>
public class RevocationCliTests
{
    private static void Ok(CliResult r) => CaInventoryCliTests.Ok(r);
    private static void Ok(ToolResult r) => CaInventoryCliTests.Ok(r);

    [Fact]
    public void Revoked_certificate_is_reported_revoked_by_openssl_and_crl_numbers_increase()
    {
        using var d = new TempDir();
        CaInventoryCliTests.MakeCa(d, "alice", "bob");
        Ok(CaInventoryCliTests.Sign(d, "alice", "client"));
        Ok(CaInventoryCliTests.Sign(d, "bob", "client"));

        Ok(Cli.Run("ca", "crl", "--ca-cert", d["ca.crt"], "--ca-key", d["ca.key"], "--out", d["ca.crl"]));
        Ok(Tool.Openssl("verify", "-crl_check", "-CAfile", d["ca.crt"], "-CRLfile", d["ca.crl"], d["alice.crt"]));

        var serial = Tool.Openssl("x509", "-in", d["bob.crt"], "-noout", "-serial").Stdout.Trim()["serial=".Length..];
        var byFile = Cli.Run("ca", "revoke", d["alice.crt"], "--ca-cert", d["ca.crt"], "--ca-key", d["ca.key"], "--reason", "keyCompromise");
        Ok(byFile);
        Assert.Contains("Revoked CN=alice,O=Kame", byFile.Stdout);
        Ok(Cli.Run("ca", "revoke", serial.ToLowerInvariant(), "--ca-cert", d["ca.crt"], "--ca-key", d["ca.key"], "--reason", "cessationOfOperation"));
        var again = Cli.Run("ca", "revoke", d["alice.crt"], "--ca-cert", d["ca.crt"], "--ca-key", d["ca.key"]);
        Ok(again);
        Assert.Contains("Already revoked", again.Stdout);

        var crl = Cli.Run("ca", "crl", "--ca-cert", d["ca.crt"], "--ca-key", d["ca.key"], "--next-update", "2d", "--out", d["ca.crl"], "--force", "--json");
        Ok(crl);
        Assert.Contains("\"crlNumber\": \"2\"", crl.Stdout);
        Ok(Tool.Openssl("crl", "-in", d["ca.crl"], "-CAfile", d["ca.crt"], "-verify", "-noout"));
        var text = Tool.Openssl("crl", "-in", d["ca.crl"], "-noout", "-text").Stdout;
        Assert.Contains("Key Compromise", text);
        Assert.Contains("Cessation Of Operation", text);
        Assert.Contains(serial, text);

        foreach (var who in new[] { "alice.crt", "bob.crt" })
        {
            var v = Tool.Openssl("verify", "-crl_check", "-CAfile", d["ca.crt"], "-CRLfile", d["ca.crl"], d[who]);
            Assert.NotEqual(0, v.ExitCode);
            Assert.Contains("certificate revoked", v.Stdout + v.Stderr);
        }
        var show = Cli.Run("crl", "show", d["ca.crl"], "--ca-cert", d["ca.crt"]);
        Ok(show);
        Assert.Contains("keyCompromise", show.Stdout);
        Assert.Contains("CRL number:         2", show.Stdout);
        Assert.Contains("[revoked: keyCompromise]", Cli.Run("ca", "list", "--ca-cert", d["ca.crt"], "--revoked").Stdout);
    }

    /// <summary>
    /// An inventory holding an AACompromise revocation (older mtls offered it; .NET cannot write it in a CRL)
    /// still makes a CRL: the entry is listed without a reason, with one warning line; openssl reads it revoked.
    /// </summary>
    [Fact]
    public void An_aacompromise_revocation_in_the_inventory_still_makes_a_crl_with_a_warning()
    {
        using var d = new TempDir();
        CaInventoryCliTests.MakeCa(d, "carol", "dave");
        Ok(CaInventoryCliTests.Sign(d, "carol", "client"));
        Ok(CaInventoryCliTests.Sign(d, "dave", "client"));
        Ok(Cli.Run("ca", "revoke", d["dave.crt"], "--ca-cert", d["ca.crt"], "--ca-key", d["ca.key"], "--reason", "keyCompromise"));
        var serial = Tool.Openssl("x509", "-in", d["carol.crt"], "-noout", "-serial").Stdout.Trim()["serial=".Length..];
        using (var ca = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(d["ca.crt"]))
        using (var inventory = Mtls.Pki.Inventory.CaInventory.Open(d["ca.db"], ca))
            Assert.True(inventory.Revoke(serial, DateTimeOffset.UtcNow, System.Security.Cryptography.X509Certificates.X509RevocationReason.AACompromise));

        var crl = Cli.Run("ca", "crl", "--ca-cert", d["ca.crt"], "--ca-key", d["ca.key"], "--out", d["ca.crl"]);
        Ok(crl);
        Assert.Equal($"mtls: warning: serial {serial} was revoked with reason AACompromise, which .NET cannot write into a CRL: it is listed without a reason (still revoked).\n", crl.Stderr);
        Ok(Tool.Openssl("crl", "-in", d["ca.crl"], "-CAfile", d["ca.crt"], "-verify", "-noout"));
        var text = Tool.Openssl("crl", "-in", d["ca.crl"], "-noout", "-text").Stdout;
        Assert.Contains(serial, text);
        Assert.Contains("Key Compromise", text); // dave's reason is written as before
        Assert.DoesNotContain("AA Compromise", text);
        var carol = Tool.Openssl("verify", "-crl_check", "-CAfile", d["ca.crt"], "-CRLfile", d["ca.crl"], d["carol.crt"]);
        Assert.NotEqual(0, carol.ExitCode);
        Assert.Contains("certificate revoked", carol.Stdout + carol.Stderr);

        var ja = Cli.RunIn(LanguageTests.Japanese, "ca", "crl", "--ca-cert", d["ca.crt"], "--ca-key", d["ca.key"], "--out", d["ca.crl"], "--force");
        Ok(ja);
        Assert.StartsWith($"mtls: 警告: シリアル番号 {serial} の失効理由 AACompromise は", ja.Stderr);
    }
}
