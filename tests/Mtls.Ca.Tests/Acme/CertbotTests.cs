namespace Mtls.Ca.Tests.Acme;

/// <summary>Debian's certbot (2.1), unmodified, gets a server certificate over http-01 and renews it.</summary>
[Trait("Category", "Acme")]
public sealed class CertbotTests
{
    [Fact]
    public async Task Http01_IssuesAVerifiableCertificate_AndASecondRunRenews()
    {
        IssuedFiles.RequireTool("certbot");
        using var dir = new TempDir();
        var httpPort = FreePort.Next();
        await using var server = await AcmeTestServer.StartAsync(dir.Path, httpPort, tlsPort: 1);
        string[] common = ["--config-dir", dir["config"], "--work-dir", dir["work"], "--logs-dir", dir["logs"], "--non-interactive"];
        var env = new Dictionary<string, string> { ["REQUESTS_CA_BUNDLE"] = server.RootPath };

        var first = Tool.Run("certbot", ["certonly", "--standalone", "--http-01-port", httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--server", server.DirectoryUrl, "--agree-tos", "--register-unsafely-without-email", "-d", AcmeTestServer.Name, .. common],
            environment: env, timeout: TimeSpan.FromSeconds(90));
        Assert.True(first.ExitCode == 0, first + Log(dir));
        var live = Path.Combine(dir["config"], "live", AcmeTestServer.Name);
        var firstSerial = IssuedFiles.Check(server, Path.Combine(live, "cert.pem"), Path.Combine(live, "chain.pem"));

        var second = Tool.Run("certbot", ["renew", "--force-renewal", "--no-random-sleep-on-renew", .. common],
            environment: env, timeout: TimeSpan.FromSeconds(90));
        Assert.True(second.ExitCode == 0, second + Log(dir));
        var secondSerial = IssuedFiles.Check(server, Path.Combine(live, "cert.pem"), Path.Combine(live, "chain.pem"));
        Assert.NotEqual(firstSerial, secondSerial);
    }

    private static string Log(TempDir dir)
    {
        var log = Path.Combine(dir["logs"], "letsencrypt.log");
        return File.Exists(log) ? "\nlog tail:\n" + string.Join('\n', File.ReadAllLines(log).TakeLast(40)) : "";
    }
}
