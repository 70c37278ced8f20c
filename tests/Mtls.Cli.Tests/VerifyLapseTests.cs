namespace Mtls.Cli.Tests;

/// <summary>
/// Issue 13 item 2: a certificate without authorityKeyIdentifier, as Python's cryptography makes it, is a
/// CA's lapse that openssl accepts. `mtls verify` accepts it with a warning naming the lapse, `--strict`
/// refuses it, and `mtls serve` and `mtls get` accept it (a real handshake each way).
/// </summary>
public sealed class VerifyLapseTests : IClassFixture<VerifyLapseTests.Files>
{
    public sealed class Files : IDisposable
    {
        public TempDir Dir { get; } = new();

        /// <summary>False when python3 with the cryptography package is missing (then the tests return early).</summary>
        public bool Made { get; }

        public Files()
        {
            if (!Tool.Exists("python3") || !Tool.Exists("openssl")) return;
            if (Tool.Run("python3", ["-c", "import cryptography"]).ExitCode != 0) return;
            var script = Path.Combine(AppContext.BaseDirectory, "Scripts", "no-aki-pki.py");
            var made = Tool.Run("python3", [script, Dir.Path]);
            if (made.ExitCode != 0) throw new InvalidOperationException($"python3 could not make the files: {made}");
            Made = true;
        }

        public void Dispose() => Dir.Dispose();
    }

    private readonly Files _files;
    private TempDir D => _files.Dir;

    public VerifyLapseTests(Files files) => _files = files;

    [Theory]
    [InlineData("client.crt", "client")]
    [InlineData("server.crt", "server")]
    public void No_aki_is_accepted_with_a_warning_and_refused_with_strict(string cert, string purpose)
    {
        if (!_files.Made) return;
        // The premise, checked: the leaf really has no authorityKeyIdentifier, and openssl accepts it.
        Assert.DoesNotContain("Authority Key Identifier", Tool.Openssl("x509", "-in", D[cert], "-noout", "-text").Stdout);
        var openssl = Tool.Openssl("verify", "-CAfile", D["ca.crt"], "-purpose", purpose == "client" ? "sslclient" : "sslserver", D[cert]);
        Assert.True(openssl.ExitCode == 0, openssl.ToString());

        var lenient = Cli.Run("verify", D[cert], "--cacert", D["ca.crt"], "--purpose", purpose);
        Assert.True(lenient.ExitCode == 0, lenient.ToString());
        Assert.Contains(": OK for ", lenient.Stdout);
        var warning = Assert.Single(lenient.Stderr.TrimEnd().Split('\n'));
        Assert.StartsWith($"mtls: warning: {D[cert]}: depth 0: CN=", warning);
        Assert.Contains("has no authorityKeyIdentifier keyIdentifier (RFC 5280 4.2.1.1 requires it)", warning);
        Assert.Contains("(MissingAuthorityKeyId: a CA's lapse, accepted as openssl and Go accept it; --strict refuses it)", warning);

        var json = Cli.Run("verify", D[cert], "--cacert", D["ca.crt"], "--purpose", purpose, "--json");
        Assert.Equal(0, json.ExitCode);
        Assert.Contains("\"kind\": \"MissingAuthorityKeyId\"", json.Stdout);

        var strict = Cli.Run("verify", D[cert], "--cacert", D["ca.crt"], "--purpose", purpose, "--strict");
        Assert.True(strict.ExitCode == 1, strict.ToString());
        Assert.Single(strict.Stderr.TrimEnd().Split('\n'));
        Assert.Contains("verification failed at depth 0 (Malformed)", strict.Stderr);
        Assert.Contains("has no authorityKeyIdentifier keyIdentifier", strict.Stderr);
        Assert.Contains("Fix: this is a CA's lapse (MissingAuthorityKeyId) that openssl, Go and nginx accept", strict.Stderr);
    }

    [Fact]
    public async Task Serve_and_get_accept_certificates_without_aki()
    {
        if (!_files.Made) return;
        using var server = await ServeProcess.StartAsync(D.Path, "--cert", "server.crt", "--key", "server.key", "--client-ca", "ca.crt", "--port", "0");
        var get = Cli.Run("get", server.Url, "--cacert", D["ca.crt"], "--cert", D["client.crt"], "--key", D["client.key"]);
        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.Contains("Hello, CN=Home-grown Client,O=Home-grown", get.Stdout);
    }
}
