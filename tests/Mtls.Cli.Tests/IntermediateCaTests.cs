namespace Mtls.Cli.Tests;

/// <summary>Issue 6: intermediate CAs made with `mtls ca create --parent-cert`, judged by openssl.</summary>
public class IntermediateCaTests
{
    private static void Ok(CliResult r) => CaInventoryCliTests.Ok(r);
    private static void Ok(ToolResult r) => CaInventoryCliTests.Ok(r);

    [Fact]
    public void Leaves_of_an_intermediate_carry_their_chain_and_openssl_verifies_them()
    {
        using var d = new TempDir();
        Ok(Cli.Run("ca", "create", "--subject", "/O=Kame/CN=Root", "--days", "100", "--path-len", "1", "--out", d["root.crt"], "--key-out", d["root.key"]));
        var create = Cli.Run("ca", "create", "--subject", "/O=Kame/CN=Issuing", "--parent-cert", d["root.crt"], "--parent-key", d["root.key"],
            "--days", "365", "--out", d["int.crt"], "--key-out", d["int.key"]);
        Ok(create);
        Assert.Contains("validity shortened to end with the parent CA's", create.Stdout);
        Assert.Contains("valid until:", create.Stdout);
        var intText = Tool.Openssl("x509", "-in", d["int.crt"], "-noout", "-text", "-enddate").Stdout;
        Assert.Contains("CA:TRUE, pathlen:0", intText);
        Assert.Equal(Tool.Openssl("x509", "-in", d["root.crt"], "-noout", "-enddate").Stdout, intText[intText.IndexOf("notAfter=", StringComparison.Ordinal)..]);
        Assert.Contains("CN=Issuing", Cli.Run("ca", "list", "--ca-cert", d["root.crt"]).Stdout); // recorded by the parent

        Ok(Cli.Run("key", "create", "--out", d["s.key"]));
        Ok(Cli.Run("csr", "create", "--key", d["s.key"], "--subject", "/CN=localhost", "--out", d["s.csr"]));
        Ok(Cli.Run("ca", "sign", d["s.csr"], "--ca-cert", d["int.crt"], "--ca-key", d["int.key"], "--profile", "server", "--out", d["s.crt"]));
        Assert.Equal(2, File.ReadAllText(d["s.crt"]).Split("BEGIN CERTIFICATE").Length - 1); // leaf, then the intermediate
        Ok(Tool.Openssl("verify", "-CAfile", d["root.crt"], "-untrusted", d["s.crt"], "-purpose", "sslserver", d["s.crt"]));
        Assert.NotEqual(0, Tool.Openssl("verify", "-CAfile", d["root.crt"], d["s.crt"]).ExitCode); // the chain is needed

        // pathLen 0 is honoured: the intermediate may not make another CA.
        var deeper = Cli.Run("ca", "create", "--subject", "/CN=Too Deep", "--parent-cert", d["int.crt"], "--parent-key", d["int.key"], "--out", d["deep.crt"], "--key-out", d["deep.key"]);
        Assert.Equal(1, deeper.ExitCode);
        Assert.StartsWith("mtls: error: the parent CA has pathLen 0", deeper.Stderr);
        Assert.False(File.Exists(d["deep.crt"]) || File.Exists(d["deep.key"]));
        var tooLong = Cli.Run("ca", "create", "--subject", "/CN=Two", "--parent-cert", d["root.crt"], "--parent-key", d["root.key"], "--path-len", "1", "--out", d["two.crt"], "--key-out", d["two.key"]);
        Assert.Equal(1, tooLong.ExitCode);
        Assert.Contains("--path-len 1: the parent CA allows at most 0", tooLong.Stderr);
    }

    [Fact]
    public void Two_intermediates_deep_the_chain_grows_and_still_verifies()
    {
        using var d = new TempDir();
        File.WriteAllText(d["p"], "pw\n");
        Ok(Cli.Run("ca", "create", "--subject", "/CN=Root", "--out", d["root.crt"], "--key-out", d["root.key"], "--password-file", d["p"]));
        Ok(Cli.Run("ca", "create", "--subject", "/CN=Policy", "--parent-cert", d["root.crt"], "--parent-key", d["root.key"], "--parent-password-file", d["p"],
            "--out", d["policy.crt"], "--key-out", d["policy.key"]));
        Ok(Cli.Run("ca", "create", "--subject", "/CN=Issuing", "--parent-cert", d["policy.crt"], "--parent-key", d["policy.key"], "--out", d["int.crt"], "--key-out", d["int.key"]));
        Ok(Cli.Run("key", "create", "--out", d["c.key"]));
        Ok(Cli.Run("csr", "create", "--key", d["c.key"], "--subject", "/CN=Super Client", "--out", d["c.csr"]));
        Ok(Cli.Run("ca", "sign", d["c.csr"], "--ca-cert", d["int.crt"], "--ca-key", d["int.key"], "--profile", "client", "--out", d["c.crt"]));
        Assert.Equal(3, File.ReadAllText(d["c.crt"]).Split("BEGIN CERTIFICATE").Length - 1);
        Ok(Tool.Openssl("verify", "-CAfile", d["root.crt"], "-untrusted", d["c.crt"], "-purpose", "sslclient", d["c.crt"]));
    }
}
