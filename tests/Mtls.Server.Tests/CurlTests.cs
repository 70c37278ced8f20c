using Mtls.Pki.Trust;

namespace Mtls.Server.Tests;

/// <summary>The seed's curl commands, run for real against <see cref="MtlsServer"/>.</summary>
[Trait("Category", "Interop")]
public class CurlTests(WorkshopPki pki, SeedPki seed) : IClassFixture<WorkshopPki>, IClassFixture<SeedPki>
{
    private static ToolResult Curl(params string[] args) => Tool.Run("curl", ["-sS", "--max-time", "10", .. args]);

    public static TheoryData<string> Makers => new() { "mtls", "openssl" };

    private (System.Security.Cryptography.X509Certificates.X509Certificate2 Cert, string ServerCa, string ServerCrt) ServerFiles(string maker) =>
        maker == "mtls" ? (pki.Server, pki["server-ca.crt"], pki["server.crt"]) : (seed.Server, seed["server-ca/server-ca.crt"], seed["server/server.crt"]);

    [Theory, MemberData(nameof(Makers))]
    public async Task Seed_step4_curl_commands_behave_as_the_workshop_says(string maker)
    {
        var (cert, serverCa, serverCrt) = ServerFiles(maker);
        await using var server = await RunningServer.StartAsync(cert);

        // curl http://localhost:8443  -> fails: the port speaks TLS, and we say so
        var plain = Curl($"http://localhost:{server.Port}");
        Assert.Contains("400 Bad Request", plain.Stdout);
        Assert.Contains($"use https://localhost:{server.Port}/", plain.Stdout);
        Assert.Equal(ServerLogKind.PlainHttp, server.Single(ServerLogKind.PlainHttp).Kind);

        // curl https://localhost:8443 -> fails: our private CA is not trusted (curl exit 60)
        var untrusted = Curl($"https://localhost:{server.Port}");
        Assert.Equal(60, untrusted.ExitCode);

        // curl -k -> works
        var insecure = Curl("-k", $"https://localhost:{server.Port}");
        Assert.Equal(0, insecure.ExitCode);
        Assert.StartsWith("Hello! (no client certificate) TLS 1.3", insecure.Stdout);

        // curl --cacert server-ca.crt and --cacert server.crt -> work
        foreach (var trust in new[] { serverCa, serverCrt })
        {
            var trusted = Curl("--cacert", trust, $"https://localhost:{server.Port}");
            Assert.True(trusted.ExitCode == 0, $"--cacert {trust}: {trusted}");
            Assert.StartsWith("Hello!", trusted.Stdout);
        }
        Assert.Equal(3, server.Log.Count(e => e.Kind == ServerLogKind.Request)); // -k and the two --cacert
    }

    [Fact]
    public async Task The_seed_server_certificate_without_SAN_is_served_with_a_warning()
    {
        await using var server = await RunningServer.StartAsync(seed.Server);
        var warning = server.Single(ServerLogKind.Warning);
        Assert.Contains("no subjectAltName", warning.Message);
        Assert.Contains("mtls ca sign", warning.Message);
        Assert.Contains("--profile server", warning.Message);
    }

    [Theory, MemberData(nameof(Makers))]
    public async Task Seed_mtls_curl_gets_200_and_the_log_names_Super_Client(string maker)
    {
        var (cert, serverCa, _) = ServerFiles(maker);
        var clientCa = maker == "mtls" ? pki.ClientCa.Certificate : seed.ClientCa;
        var (clientCrt, clientKey) = maker == "mtls" ? (pki["client.crt"], pki["client.key"]) : (seed["client/client.crt"], seed["client/client.key"]);
        await using var server = await RunningServer.StartAsync(cert, clientCa);

        var result = Curl("-w", "\n%{http_code}", "--cert", clientCrt, "--key", clientKey, $"https://localhost:{server.Port}", "--cacert", serverCa);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.EndsWith("\n200", result.Stdout);
        Assert.StartsWith("Hello, CN=Super Client,O=Kame,L=Chuo,ST=Tokyo,C=JP!", result.Stdout);
        var entry = server.Single(ServerLogKind.Request);
        Assert.Equal("CN=Super Client,O=Kame,L=Chuo,ST=Tokyo,C=JP", entry.ClientSubject);
        Assert.Equal("CN=ca.client.example.com,O=Kame,L=Chuo,ST=Tokyo,C=JP", entry.ClientIssuer);
        Assert.Contains("Super Client", entry.Message);
        Assert.NotNull(entry.ClientSerial);
    }

    public static TheoryData<string?, FailureReason, string> Refusals => new()
    {
        { null, FailureReason.NoCertificate, "requires a client certificate issued by CN=ca.client.example.com" },
        { "impostor", FailureReason.UnknownIssuer, "the trusted CA of that name has key id" },
        { "expired", FailureReason.Expired, "CN=Expired Client,O=Kame: expired on" },
        { "future", FailureReason.NotYetValid, "CN=Future Client,O=Kame: not valid until" },
        { "serverauth", FailureReason.WrongUsage, "does not allow clientAuth" },
        // The server's own certificate (curl sends its chain too): its root is not a CA this server trusts.
        { "server", FailureReason.UnknownIssuer, "CN=ca.server.example.com,O=Kame,L=Chuo,ST=Tokyo,C=JP: is a self-signed root CA that is not trusted here" },
    };

    [Theory, MemberData(nameof(Refusals))]
    public async Task A_refused_client_gets_403_with_the_reason_and_the_log_says_why(string? client, FailureReason reason, string expected)
    {
        await using var server = await RunningServer.StartAsync(pki.Server, pki.ClientCa.Certificate);
        string[] cert = client is null ? [] : ["--cert", pki[client + ".crt"], "--key", pki[client + ".key"]];

        var result = Curl(["-w", "\n%{http_code}", "--cacert", pki["server-ca.crt"], .. cert, server.Url]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.EndsWith("\n403", result.Stdout);
        Assert.StartsWith("403 Forbidden: ", result.Stdout);
        Assert.True(result.Stdout.Contains(expected), result.Stdout);
        Assert.Contains("CN=ca.client.example.com", result.Stdout); // names the CA the server accepts
        var entry = server.Single(ServerLogKind.Rejected);
        Assert.Equal(reason.ToString(), entry.Reason);
        Assert.Contains(reason == FailureReason.NoCertificate ? "no client certificate was sent" : expected, entry.Message);
        Assert.DoesNotContain(server.Log, e => e.Kind == ServerLogKind.Request); // the application never ran
    }
}
