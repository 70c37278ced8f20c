using System.Globalization;

namespace Mtls.Ca.Tests.Acme;

/// <summary>Debian's lego (4.9), unmodified, gets a server certificate over http-01 (renews and revokes it) and over tls-alpn-01.</summary>
[Trait("Category", "Acme")]
public sealed class LegoTests
{
    [Fact]
    public async Task Http01_IssuesAVerifiableCertificate_AndRenewRenews()
    {
        IssuedFiles.RequireTool("lego");
        using var dir = new TempDir();
        var httpPort = FreePort.Next();
        await using var server = await AcmeTestServer.StartAsync(dir.Path, httpPort, tlsPort: 1);
        string[] challenge = ["--http", "--http.port", ":" + httpPort.ToString(CultureInfo.InvariantCulture)];

        var first = Lego(server, dir, challenge, ["run"]);
        Assert.True(first.ExitCode == 0, first.ToString());
        var firstSerial = Check(server, dir);

        var renewed = Lego(server, dir, challenge, ["renew", "--days", "9999", "--no-random-sleep"]);
        Assert.True(renewed.ExitCode == 0, renewed.ToString());
        var secondSerial = Check(server, dir);
        Assert.NotEqual(firstSerial, secondSerial);

        var revoked = Lego(server, dir, challenge, ["revoke"]);
        Assert.True(revoked.ExitCode == 0, revoked.ToString());
        Assert.NotNull(server.Inventory.Find(secondSerial)!.RevokedAt);
        Assert.Null(server.Inventory.Find(firstSerial)!.RevokedAt);
        Assert.Contains(server.Log, l => l.StartsWith($"acme: issued {secondSerial} for {AcmeTestServer.Name}, valid until ", StringComparison.Ordinal));
        Assert.Contains($"acme: revoked {secondSerial} (unspecified)", server.Log);
    }

    [Fact]
    public async Task TlsAlpn01_IssuesAVerifiableCertificate()
    {
        IssuedFiles.RequireTool("lego");
        using var dir = new TempDir();
        var tlsPort = FreePort.Next();
        await using var server = await AcmeTestServer.StartAsync(dir.Path, httpPort: 1, tlsPort);

        var result = Lego(server, dir, ["--tls", "--tls.port", ":" + tlsPort.ToString(CultureInfo.InvariantCulture)], ["run"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Check(server, dir);
    }

    private static ToolResult Lego(AcmeTestServer server, TempDir dir, string[] challenge, string[] command) =>
        Tool.Run("lego", ["--server", server.DirectoryUrl, "--accept-tos", "--email", "ops@example.test", .. challenge,
            "--path", dir["lego"], "-d", AcmeTestServer.Name, .. command],
            environment: new Dictionary<string, string> { ["LEGO_CA_CERTIFICATES"] = server.RootPath }, timeout: TimeSpan.FromSeconds(90));

    private static string Check(AcmeTestServer server, TempDir dir)
    {
        var certificates = Path.Combine(dir["lego"], "certificates");
        return IssuedFiles.Check(server, Path.Combine(certificates, AcmeTestServer.Name + ".crt"), Path.Combine(certificates, AcmeTestServer.Name + ".issuer.crt"));
    }
}
