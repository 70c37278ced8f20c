namespace Mtls.Cli.Tests;

/// <summary>The CA's revocation, end to end with the built program: revoke, publish a CRL, serve --crl, curl.</summary>
public class ServeCrlTests
{
    private static void Ok(CliResult r) => Assert.True(r.ExitCode == 0, r.ToString());

    [Fact]
    public async Task A_client_revoked_with_mtls_ca_revoke_is_refused_by_mtls_serve_crl()
    {
        using var d = new TempDir();
        WorkshopPkiTests.MakeWorkshopPki(d);
        Ok(Cli.Run("key", "create", "--out", d["other.key"]));
        Ok(Cli.Run("csr", "create", "--key", d["other.key"], "--subject", "/CN=Other Client", "--out", d["other.csr"]));
        Ok(Cli.Run("ca", "sign", d["other.csr"], "--ca-cert", d["client-ca.crt"], "--ca-key", d["client-ca.key"], "--profile", "client", "--out", d["other.crt"]));
        Ok(Cli.Run("ca", "revoke", d["client.crt"], "--ca-cert", d["client-ca.crt"], "--ca-key", d["client-ca.key"], "--reason", "keyCompromise"));
        Ok(Cli.Run("ca", "crl", "--ca-cert", d["client-ca.crt"], "--ca-key", d["client-ca.key"], "--out", d["client-ca.crl"]));

        using var server = await ServeProcess.StartAsync(d.Path, "--cert", "server.crt", "--key", "server.key", "--client-ca", "client-ca.crt", "--crl", "client-ca.crl", "--port", "0");
        Assert.Matches("^https://localhost:[0-9]+/$", server.Url);

        var revoked = Tool.Run("curl", ["-sS", "--cacert", "server-ca.crt", "--cert", "client.crt", "--key", "client.key", server.Url], d.Path);
        Assert.Contains("403 Forbidden", revoked.Stdout);
        Assert.Contains("revoked", revoked.Stdout);
        Assert.Contains("keyCompromise", revoked.Stdout);
        var line = await server.ReadLineAsync();
        Assert.Contains("rejected [Revoked]", line);

        var other = Tool.Run("curl", ["-sS", "--cacert", "server-ca.crt", "--cert", "other.crt", "--key", "other.key", server.Url], d.Path);
        Assert.StartsWith("Hello, CN=Other Client", other.Stdout);
    }
}
