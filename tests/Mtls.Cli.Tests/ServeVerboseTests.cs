using Mtls.Pki.Certificates;

namespace Mtls.Cli.Tests;

/// <summary>
/// `mtls serve` visited as a browser visits an mTLS server: its first connection is dropped after the
/// certificate request (no alert), then a good request. At the default level only the request is
/// logged; with --verbose the dropped handshake is logged too. A real failure is logged at both.
/// </summary>
[Trait("Category", "Interop")]
public sealed class ServeVerboseTests : IDisposable
{
    private readonly TempDir _dir = new();

    public ServeVerboseTests()
    {
        using var serverCa = TestPki.Root("/O=Kame/CN=ca.server.example.com");
        using var clientCa = TestPki.Root("/O=Kame/CN=ca.client.example.com");
        TestPki.Save(TestPki.Issue(serverCa, "/O=Kame/CN=localhost", CertificateProfile.Server, ["DNS:localhost"]), _dir.Path, "server");
        TestPki.Save(TestPki.Issue(clientCa, "/O=Kame/CN=Super Client", CertificateProfile.Client), _dir.Path, "client");
        TestPki.SaveCa(serverCa, _dir.Path, "server-ca");
        TestPki.SaveCa(clientCa, _dir.Path, "client-ca");
    }

    public void Dispose() => _dir.Dispose();

    private async Task<List<string>> VisitAsync(params string[] extra)
    {
        using var serve = await ServeProcess.StartAsync(_dir.Path, ["--cert", "server.crt", "--key", "server.key", "--client-ca", "client-ca.crt", "--port", "0", "--bind", "127.0.0.1", .. extra]);
        await BrowserLikeClient.DropAfterCertificateRequestAsync("127.0.0.1", serve.Port);
        Assert.Equal(60, Tool.Run("curl", ["-sS", "-o", "/dev/null", $"https://localhost:{serve.Port}/"], _dir.Path).ExitCode); // a real failure: curl does not trust the CA
        Assert.Equal(0, Tool.Run("curl", ["-sS", "-o", "/dev/null", "--cacert", "server-ca.crt", "--cert", "client.crt", "--key", "client.key", $"https://localhost:{serve.Port}/done"], _dir.Path).ExitCode);
        var lines = new List<string>();
        while (await serve.ReadLineAsync() is { } line)
        {
            lines.Add(line);
            if (line.Contains("request GET /done", StringComparison.Ordinal)) break;
        }
        return lines;
    }

    [Fact]
    public async Task A_dropped_first_connection_is_logged_only_with_verbose()
    {
        var quiet = await VisitAsync();
        Assert.DoesNotContain(quiet, l => l.Contains("unexpected EOF", StringComparison.Ordinal));
        Assert.Single(quiet, l => l.Contains(" handshake_failed ", StringComparison.Ordinal)); // curl's (its alert, or a reset that overtook it)
        Assert.Matches(" request GET /done 200 ", quiet[^1]);

        var verbose = await VisitAsync("--verbose");
        Assert.Contains(verbose, l => l.Contains(" handshake_failed TLS handshake failed with 127.0.0.1:", StringComparison.Ordinal)
            && l.Contains("unexpected EOF", StringComparison.Ordinal) && l.Contains("browsers do this", StringComparison.Ordinal));
        Assert.Equal(2, verbose.Count(l => l.Contains(" handshake_failed ", StringComparison.Ordinal)));
        Assert.Matches(" request GET /done 200 ", verbose[^1]);
    }
}
