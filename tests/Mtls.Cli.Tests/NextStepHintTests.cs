namespace Mtls.Cli.Tests;

/// <summary>
/// The "Next:" line after each step follows what was just made: a client's key, CSR and certificate
/// lead to --profile client and `mtls get --cert`, a server's to --profile server and `mtls serve`.
/// </summary>
public sealed class NextStepHintTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Next(params string[] args)
    {
        var result = Cli.Run(args);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Stdout.Split('\n').Single(l => l.StartsWith("Next:", StringComparison.Ordinal));
    }

    [Fact]
    public void A_client_is_led_to_the_client_profile_and_mtls_get()
    {
        string ca = _dir["client-ca.crt"], caKey = _dir["client-ca.key"], key = _dir["client.key"], csr = _dir["client.csr"], crt = _dir["client.crt"];
        Assert.Equal($"Next: sign a CSR with: mtls ca sign client.csr --ca-cert {ca} --ca-key {caKey} --profile client --out client.crt",
            Next("ca", "create", "--subject", "/O=Kame/CN=ca.client.example.com", "--out", ca, "--key-out", caKey));
        Assert.Equal($"Next: mtls csr create --key {key} --subject \"/CN=Super Client\" --out {csr}",
            Next("key", "create", "--out", key));
        Assert.Equal($"Next: hand {csr} to the client CA, who runs: mtls ca sign {csr} --ca-cert client-ca.crt --ca-key client-ca.key --profile client --out {crt}",
            Next("csr", "create", "--key", key, "--subject", "/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=Super Client", "--out", csr));
        Assert.Equal($"Next: hand {crt} back to the client administrator, who runs: mtls get https://localhost:9443/ --cert {crt} --key {key} --cacert server-ca.crt",
            Next("ca", "sign", csr, "--ca-cert", ca, "--ca-key", caKey, "--profile", "client", "--out", crt));
    }

    [Fact]
    public void A_server_is_led_to_the_server_profile_and_mtls_serve()
    {
        string ca = _dir["server-ca.crt"], caKey = _dir["server-ca.key"], key = _dir["server.key"], csr = _dir["server.csr"], crt = _dir["server.crt"];
        Assert.Equal($"Next: sign a CSR with: mtls ca sign server.csr --ca-cert {ca} --ca-key {caKey} --profile server --out server.crt",
            Next("ca", "create", "--subject", "/O=Kame/CN=ca.server.example.com", "--out", ca, "--key-out", caKey));
        Assert.Equal($"Next: mtls csr create --key {key} --subject \"/CN=localhost\" --out {csr}",
            Next("key", "create", "--out", key));
        Assert.Equal($"Next: hand {csr} to the server CA, who runs: mtls ca sign {csr} --ca-cert server-ca.crt --ca-key server-ca.key --profile server --out {crt}",
            Next("csr", "create", "--key", key, "--subject", "/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=localhost", "--out", csr));
        Assert.Equal($"Next: hand {crt} back to the server administrator, who runs: mtls serve --cert {crt} --key {key}",
            Next("ca", "sign", csr, "--ca-cert", ca, "--ca-key", caKey, "--profile", "server", "--out", crt));
    }

    [Theory]
    [InlineData("/CN=Super Client", new string[0], "client")]
    [InlineData("/CN=alice", new string[0], "client")]
    [InlineData("/CN=alice", new[] { "EMAIL:alice@example.com" }, "client")]
    [InlineData("/CN=localhost", new string[0], "server")]
    [InlineData("/CN=api.internal", new string[0], "server")]
    [InlineData("/CN=10.0.0.5", new string[0], "server")]
    [InlineData("/CN=api", new[] { "DNS:api" }, "server")]
    public void A_csr_is_a_clients_unless_it_names_a_host(string subject, string[] sans, string profile)
    {
        Cli.Run("key", "create", "--out", _dir["any.key"]);
        var args = new List<string> { "csr", "create", "--key", _dir["any.key"], "--subject", subject, "--out", _dir["any.csr"], "--force" };
        foreach (var s in sans) args.AddRange(["--san", s]);
        Assert.Contains($" --profile {profile} ", Next([.. args]), StringComparison.Ordinal);
    }
}
