using Mtls.Pki.Certificates;
using Xunit.Abstractions;

namespace Mtls.Cli.Tests;

/// <summary>
/// Issue 17's acceptance with real browsers: `mtls trust install` (NSS only, temporary HOME) makes headless
/// Chromium and Firefox accept `mtls serve`, `uninstall` makes them refuse it again; a client identity put in
/// with `install --client` is presented (Chromium through the AutoSelectCertificateForUrls policy, Firefox
/// through security.default_personal_cert) and named on the 200 page; without it the 403 page says why.
/// Chromium is judged by its DOM; Firefox (which cannot dump one) by the server's log of what it was sent.
/// </summary>
[Trait("Category", "Browser")]
public sealed class TrustBrowserTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Home()
    {
        var home = _dir["home"];
        Directory.CreateDirectory(home);
        return home;
    }

    private void MakePki()
    {
        var serverCa = TestPki.Root("/O=Kame/CN=Browser Test Server CA");
        var clientCa = TestPki.Root("/O=Kame/CN=Browser Test Client CA");
        TestPki.Save(TestPki.Issue(serverCa, "/O=Kame/CN=localhost", CertificateProfile.Server, ["DNS:localhost", "IP:127.0.0.1", "IP:::1"]), _dir.Path, "server");
        TestPki.Save(TestPki.Issue(clientCa, "/O=Kame/CN=Browser Client", CertificateProfile.Client), _dir.Path, "client");
        TestPki.SaveCa(serverCa, _dir.Path, "server-ca");
        TestPki.SaveCa(clientCa, _dir.Path, "client-ca");
        File.WriteAllText(_dir["p12.pass"], "browser p12\n");
        Ok(Cli.Run("cert", "p12", "--cert", _dir["client.crt"], "--key", _dir["client.key"], "--out", _dir["client.p12"], "--password-file", _dir["p12.pass"]));
    }

    private static CliResult Trust(string home, params string[] args) =>
        Cli.RunIn(new Dictionary<string, string?> { ["HOME"] = home }, ["trust", .. args]);

    private static void Ok(CliResult r) => Assert.True(r.ExitCode == 0, r.ToString());

    [Fact]
    public async Task Chromium_trusts_the_server_after_install_and_not_after_uninstall()
    {
        MakePki();
        var home = Home();
        using var server = await ServeProcess.StartAsync(_dir.Path, "--cert", "server.crt", "--key", "server.key", "--port", "0");

        var before = Browser.ChromiumDumpDom(home, server.Url);
        Assert.DoesNotContain("Hello!", before.Dom);

        var install = Trust(home, "install", _dir["server-ca.crt"], "--store", "nss", "--create");
        Ok(install);
        Assert.Contains("created an empty NSS database", install.Stdout);
        Assert.Contains("added mtls Browser Test Server CA ", install.Stdout);
        var trusted = Browser.ChromiumDumpDom(home, server.Url);
        output.WriteLine($"chromium, trusted: {trusted.Elapsed.TotalSeconds:0.0} s");
        Assert.Contains("<h1>Hello! (no client certificate)</h1>", trusted.Dom);

        Ok(Trust(home, "uninstall", _dir["server-ca.crt"], "--store", "nss"));
        var after = Browser.ChromiumDumpDom(home, server.Url);
        output.WriteLine($"chromium, not trusted: {after.Elapsed.TotalSeconds:0.0} s");
        Assert.DoesNotContain("Hello!", after.Dom);
        Assert.Equal(1, Trust(home, "check", _dir["server-ca.crt"], "--store", "nss").ExitCode);
    }

    [Fact]
    public async Task Chromium_presents_the_installed_client_identity_and_shows_the_403_reason_without_it()
    {
        MakePki();
        var home = Home();
        Ok(Trust(home, "install", _dir["server-ca.crt"], "--store", "nss", "--create"));
        using var server = await ServeProcess.StartAsync(_dir.Path, "--cert", "server.crt", "--key", "server.key", "--client-ca", "client-ca.crt", "--port", "0");
        using var policy = new ChromiumPolicy(server.Url);

        var install = Trust(home, "install", "--client", _dir["client.p12"], "--password-file", _dir["p12.pass"]);
        Ok(install);
        Assert.Contains("added mtls client Browser Client ", install.Stdout);
        var with = Browser.ChromiumDumpDom(home, server.Url);
        output.WriteLine($"chromium, client certificate: {with.Elapsed.TotalSeconds:0.0} s");
        Assert.Contains("<h1>Hello, CN=Browser Client,O=Kame!</h1>", with.Dom);
        await server.WaitForLineAsync("client CN=Browser Client");

        var uninstall = Trust(home, "uninstall", "--cert", _dir["client.crt"]);
        Ok(uninstall);
        Assert.Contains("removed mtls client Browser Client ", uninstall.Stdout);
        var without = Browser.ChromiumDumpDom(home, server.Url);
        output.WriteLine($"chromium, no client certificate: {without.Elapsed.TotalSeconds:0.0} s");
        Assert.Contains("403 Forbidden", without.Dom);
        Assert.Contains("requires a client certificate issued by CN=Browser Test Client CA,O=Kame, and none was sent", without.Dom);
        // certutil -F took the private key with the certificate.
        var keys = Tool.Run("certutil", ["-K", "-d", "sql:" + Path.Combine(home, ".pki", "nssdb")], timeout: TimeSpan.FromSeconds(30));
        Assert.DoesNotContain("Browser Client", keys.Stdout + keys.Stderr);
    }

    [Fact]
    public async Task Firefox_trusts_the_server_after_install_and_refuses_it_after_uninstall()
    {
        MakePki();
        var home = Home();
        var profile = Browser.FirefoxProfile(home);
        using var server = await ServeProcess.StartAsync(_dir.Path, "--cert", "server.crt", "--key", "server.key", "--port", "0");

        var install = Trust(home, "install", _dir["server-ca.crt"], "--store", "nss");
        Ok(install);
        Assert.Contains($"nss {profile}: added mtls Browser Test Server CA ", install.Stdout);
        var elapsed = Browser.FirefoxScreenshot(home, profile, server.Url, _dir["trusted.png"]);
        output.WriteLine($"firefox, trusted: {elapsed.TotalSeconds:0.0} s");
        Assert.Contains(await LinesUntilSentinel(server), l => l.Contains(" request GET / 200 ", StringComparison.Ordinal));
        Assert.True(new FileInfo(_dir["trusted.png"]).Length > 1000, "no screenshot");

        Ok(Trust(home, "uninstall", _dir["server-ca.crt"], "--store", "nss"));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Firefox's own verdict, as the server heard it: the unknown_ca alert.
        var refused = await Browser.FirefoxUntilServerLogs(home, profile, server.Url, server, "alert unknown ca");
        output.WriteLine($"firefox, not trusted: {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Contains("handshake", refused);
    }

    [Fact]
    public async Task Firefox_presents_the_client_identity_selected_automatically_and_gets_the_403_without_it()
    {
        MakePki();
        var home = Home();
        var profile = Browser.FirefoxProfile(home);
        Ok(Trust(home, "install", _dir["server-ca.crt"], "--store", "nss"));
        using var server = await ServeProcess.StartAsync(_dir.Path, "--cert", "server.crt", "--key", "server.key", "--client-ca", "client-ca.crt", "--port", "0");

        var install = Trust(home, "install", "--client", _dir["client.p12"], "--password-file", _dir["p12.pass"]);
        Ok(install);
        Assert.Contains($"nss {profile}: added mtls client Browser Client ", install.Stdout);
        var elapsed = Browser.FirefoxScreenshot(home, profile, server.Url, _dir["client.png"]);
        output.WriteLine($"firefox, client certificate: {elapsed.TotalSeconds:0.0} s");
        Assert.Contains(await LinesUntilSentinel(server), l => l.Contains(" request GET / 200 ", StringComparison.Ordinal) && l.Contains("client CN=Browser Client", StringComparison.Ordinal));

        Ok(Trust(home, "uninstall", "--client", _dir["client.p12"], "--password-file", _dir["p12.pass"]));
        elapsed = Browser.FirefoxScreenshot(home, profile, server.Url, _dir["no-client.png"]);
        output.WriteLine($"firefox, no client certificate: {elapsed.TotalSeconds:0.0} s");
        Assert.Contains(await LinesUntilSentinel(server), l => l.Contains("rejected [NoCertificate] GET / ", StringComparison.Ordinal));
    }

    /// <summary>
    /// The server's log lines up to a request of our own (curl, trusting the CA explicitly, to /sentinel-N):
    /// everything the browser caused is logged before it, so "no request" is a fact, not a wait.
    /// </summary>
    private async Task<List<string>> LinesUntilSentinel(ServeProcess server)
    {
        var path = $"/sentinel-{Guid.NewGuid():N}";
        Tool.Run("curl", ["-sS", "--cacert", _dir["server-ca.crt"], "--cert", _dir["client.crt"], "--key", _dir["client.key"], server.Url.TrimEnd('/') + path],
            timeout: TimeSpan.FromSeconds(30));
        var lines = new List<string>();
        while (await server.ReadLineAsync() is { } line)
        {
            if (line.Contains(path, StringComparison.Ordinal)) return lines;
            lines.Add(line);
        }
        throw new InvalidOperationException("mtls serve exited before the sentinel request: " + string.Join('\n', lines));
    }
}
