namespace Mtls.Cli.Tests;

/// <summary>
/// TLS session resumption in the `mtls serve` process, proven with openssl s_client as the returning
/// client: sessions are resumed (TLS 1.2 session IDs, TLS 1.3 tickets), the AEAD-only suite policy still
/// holds (OpenSSL enforces it through the process's configuration), and a resumed session is still
/// judged by the server: a client revoked after its first visit is refused on resumption.
/// </summary>
[Trait("Category", "Interop")]
public sealed class ServeResumptionTests : IDisposable
{
    private readonly TempDir _dir = new();

    public ServeResumptionTests() => WorkshopPkiTests.MakeWorkshopPki(_dir);

    public void Dispose() => _dir.Dispose();

    // With a request, s_client waits for the server to close (-ign_eof: the response, and a TLS 1.3 ticket,
    // arrive after stdin ends); without one it leaves at the end of stdin, after the handshake.
    private ToolResult SClient(ServeProcess server, string request, params string[] args) =>
        Tool.Run("openssl", ["s_client", "-connect", $"127.0.0.1:{server.Port}", "-servername", "localhost", "-CAfile", "server-ca.crt",
            "-verify_return_error", .. (request.Length > 0 ? (string[])["-ign_eof"] : []), .. args], _dir.Path, stdin: request);

    private const string Get = "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

    [Fact]
    public async Task Returning_clients_resume_their_sessions_and_the_suites_stay_aead_only()
    {
        using var server = await ServeProcess.StartAsync(_dir.Path, "--cert", "server.crt", "--key", "server.key", "--client-ca", "client-ca.crt", "--port", "0");
        string[] client = ["-cert", "client.crt", "-key", "client.key"];

        // TLS 1.2: one full handshake, then five reconnections with the session ID.
        var tls12 = SClient(server, "", ["-tls1_2", "-reconnect", .. client]);
        Assert.Equal(1, Count(tls12.Stdout, "\nNew, TLSv1.2"));
        Assert.Equal(5, Count(tls12.Stdout, "\nReused, TLSv1.2"));

        // TLS 1.3: a ticket from the first connection resumes the second, which is served as the same client.
        var first = SClient(server, Get, ["-tls1_3", "-sess_out", "session.pem", .. client]);
        Assert.Contains("New, TLSv1.3", first.Stdout);
        Assert.Contains("Hello, CN=Super Client", first.Stdout);
        var resumed = SClient(server, Get, ["-tls1_3", "-sess_in", "session.pem"]);
        Assert.Contains("Reused, TLSv1.3", resumed.Stdout);
        Assert.Contains("HTTP/1.1 200 OK", resumed.Stdout);
        Assert.Contains("Hello, CN=Super Client", resumed.Stdout);

        // Resumption did not cost the suite policy: TLS 1.2 CBC suites are still refused, AEAD accepted.
        foreach (var cbc in (string[])["ECDHE-ECDSA-AES128-SHA256", "ECDHE-ECDSA-AES256-SHA384", "ECDHE-ECDSA-AES128-SHA"])
        {
            var refused = SClient(server, "", "-tls1_2", "-cipher", cbc, "-cert", "client.crt", "-key", "client.key");
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("Cipher is (NONE)", refused.Stdout);
        }
        Assert.Contains("Cipher is ECDHE-ECDSA-AES128-GCM-SHA256", SClient(server, "", "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256", "-cert", "client.crt", "-key", "client.key").Stdout);
    }

    [Fact]
    public async Task A_client_revoked_after_its_first_visit_is_refused_when_it_resumes()
    {
        Assert.Equal(0, Cli.Run("ca", "crl", "--ca-cert", _dir["client-ca.crt"], "--ca-key", _dir["client-ca.key"], "--out", _dir["client-ca.crl"]).ExitCode);
        using var server = await ServeProcess.StartAsync(_dir.Path, "--cert", "server.crt", "--key", "server.key", "--client-ca", "client-ca.crt", "--crl", "client-ca.crl", "--port", "0");

        var first = SClient(server, Get, "-tls1_3", "-sess_out", "session.pem", "-cert", "client.crt", "-key", "client.key");
        Assert.Contains("Hello, CN=Super Client", first.Stdout);
        await server.WaitForLineAsync("request GET / 200");

        Assert.Equal(0, Cli.Run("ca", "revoke", _dir["client.crt"], "--ca-cert", _dir["client-ca.crt"], "--ca-key", _dir["client-ca.key"], "--reason", "keyCompromise").ExitCode);
        Assert.Equal(0, Cli.Run("ca", "crl", "--ca-cert", _dir["client-ca.crt"], "--ca-key", _dir["client-ca.key"], "--out", _dir["client-ca.crl"], "--force").ExitCode);
        await server.WaitForLineAsync("CRLs reloaded");

        var resumed = SClient(server, Get, "-tls1_3", "-sess_in", "session.pem");
        Assert.Contains("Reused, TLSv1.3", resumed.Stdout);
        Assert.Contains("HTTP/1.1 403 Forbidden", resumed.Stdout);
        Assert.Contains("revoked", resumed.Stdout);
        Assert.DoesNotContain("Hello, CN=Super Client", resumed.Stdout);
        Assert.Contains("rejected [Revoked]", await server.WaitForLineAsync("rejected"));
    }

    /// <summary>Root -> issuing CA (mtls ca create --parent-cert) -> client "CN=Issued Client"; chain.crt is leaf + issuing CA.</summary>
    private void MakeTwoLevelClientPki()
    {
        Ok(Cli.Run("ca", "create", "--subject", "/CN=Client Root", "--out", _dir["root.crt"], "--key-out", _dir["root.key"]));
        Ok(Cli.Run("ca", "create", "--subject", "/CN=Issuing CA", "--parent-cert", _dir["root.crt"], "--parent-key", _dir["root.key"],
            "--path-len", "0", "--out", _dir["issuing.crt"], "--key-out", _dir["issuing.key"]));
        Ok(Cli.Run("key", "create", "--out", _dir["issued.key"]));
        Ok(Cli.Run("csr", "create", "--key", _dir["issued.key"], "--subject", "/CN=Issued Client", "--out", _dir["issued.csr"]));
        Ok(Cli.Run("ca", "sign", _dir["issued.csr"], "--ca-cert", _dir["issuing.crt"], "--ca-key", _dir["issuing.key"], "--profile", "client", "--out", _dir["issued.crt"]));
        File.WriteAllText(_dir["chain.crt"], File.ReadAllText(_dir["issued.crt"]) + File.ReadAllText(_dir["issuing.crt"]));
    }

    private static void Ok(CliResult r) => Assert.True(r.ExitCode == 0, r.Stderr);

    [Theory]
    [InlineData("-tls1_2", "TLSv1.2")]
    [InlineData("-tls1_3", "TLSv1.3")]
    public async Task A_client_issued_by_an_intermediate_is_served_when_it_resumes(string version, string name)
    {
        MakeTwoLevelClientPki();
        using var server = await ServeProcess.StartAsync(_dir.Path, "--cert", "server.crt", "--key", "server.key", "--client-ca", "root.crt", "--port", "0");
        string[] client = ["-cert", "chain.crt", "-cert_chain", "chain.crt", "-key", "issued.key"];

        var first = SClient(server, Get, [version, "-sess_out", "session.pem", .. client]);
        Assert.Contains($"New, {name}", first.Stdout);
        Assert.Contains("Hello, CN=Issued Client", first.Stdout);
        var resumed = SClient(server, Get, [version, "-sess_in", "session.pem", .. client]);
        Assert.Contains($"Reused, {name}", resumed.Stdout);
        Assert.Contains("HTTP/1.1 200 OK", resumed.Stdout);
        Assert.Contains("Hello, CN=Issued Client", resumed.Stdout);
        for (var i = 0; i < 2; i++) // the server's log: two requests served, no rejection
            Assert.Contains("request GET / 200", await server.WaitForLineAsync("GET /"));
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("1.3")]
    public async Task Curl_resumes_the_session_of_a_client_issued_by_an_intermediate(string version)
    {
        MakeTwoLevelClientPki();
        using var server = await ServeProcess.StartAsync(_dir.Path, "--cert", "server.crt", "--key", "server.key", "--client-ca", "root.crt", "--port", "0");
        // Connection: close makes curl open a second connection for the second URL, resuming the first one's session.
        var url = $"https://localhost:{server.Port}";
        var r = Tool.Run("curl", ["-sv", "--http1.1", $"--tlsv{version}", "--tls-max", version, "--cacert", "server-ca.crt",
            "--cert", "chain.crt", "--key", "issued.key", "-H", "Connection: close", $"{url}/a", $"{url}/b"], _dir.Path);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("SSL re-using session ID", r.Stderr);
        Assert.Equal(2, Count(r.Stdout, "Hello, CN=Issued Client"));
        Assert.Equal(2, Count(r.Stderr, "< HTTP/1.1 200 OK"));
    }

    private static int Count(string text, string what)
    {
        var n = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }
}
