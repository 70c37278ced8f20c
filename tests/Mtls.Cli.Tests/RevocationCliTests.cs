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
}
