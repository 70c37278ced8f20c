using System.Diagnostics;
using Mtls.Pki.Certificates;
using Mtls.Server;

namespace Mtls.Cli.Tests;

/// <summary>`mtls serve` run as a user runs it, and `mtls get` (in-process) against a real server.</summary>
[Trait("Category", "Interop")]
public sealed class ServeGetTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly CertificateAuthority _serverCa = TestPki.Root("/O=Kame/CN=ca.server.example.com");
    private readonly CertificateAuthority _clientCa = TestPki.Root("/O=Kame/CN=ca.client.example.com");
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _server;

    public ServeGetTests()
    {
        _server = TestPki.Issue(_serverCa, "/O=Kame/CN=localhost", CertificateProfile.Server, ["DNS:localhost"]);
        TestPki.Save(_server, _dir.Path, "server");
        TestPki.Save(TestPki.Issue(_clientCa, "/O=Kame/CN=Super Client", CertificateProfile.Client), _dir.Path, "client");
        TestPki.SaveCa(_serverCa, _dir.Path, "server-ca");
        TestPki.SaveCa(_clientCa, _dir.Path, "client-ca");
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Serve_prints_the_url_first_logs_the_client_and_stops_on_SIGTERM()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir.Path };
        foreach (var a in (string[])[Cli.Dll, "serve", "--cert", "server.crt", "--key", "server.key", "--client-ca", "client-ca.crt", "--port", "0"])
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var url = await process.StandardOutput.ReadLineAsync(timeout.Token); // printed once it listens
            Assert.Matches("^https://localhost:[0-9]+/$", url);

            var curl = Tool.Run("curl", ["-sS", "--cacert", "server-ca.crt", "--cert", "client.crt", "--key", "client.key", url!], _dir.Path);
            Assert.StartsWith("Hello, CN=Super Client,O=Kame!", curl.Stdout);
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            Assert.True(line is not null, "no log line");
            Assert.Matches("^[0-9TZ:-]+ request GET / 200 from 127.0.0.1:[0-9]+ client CN=Super Client,O=Kame \\(issuer CN=ca.client.example.com,O=Kame; serial [0-9A-F:]+\\)$", line);

            Tool.Run("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await process.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, process.ExitCode);
            Assert.Contains("stopped.", await stderr);
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }
    }

    [Fact]
    public async Task Get_prints_the_body_and_with_verbose_the_handshake()
    {
        await using var server = await MtlsServer.StartAsync(new MtlsServerOptions { Certificate = _server, ClientCas = [_clientCa.Certificate], Port = 0 });
        var result = Cli.Run("get", server.Urls[0].ToString(), "--cacert", _dir["server-ca.crt"], "--cert", _dir["client.crt"], "--key", _dir["client.key"], "--verbose");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("Hello, CN=Super Client,O=Kame!", result.Stdout);
        Assert.Contains("* TLS: TLS 1.3, cipher TLS_", result.Stderr);
        Assert.Contains("*  0 subject: CN=localhost,O=Kame", result.Stderr);
        Assert.Contains("* the server asked for a client certificate issued by: CN=ca.client.example.com,O=Kame", result.Stderr);
        Assert.Contains("* sent client certificate: CN=Super Client,O=Kame", result.Stderr);
    }

    [Fact]
    public async Task Get_failures_are_one_error_line_and_exit_1()
    {
        await using var server = await MtlsServer.StartAsync(new MtlsServerOptions { Certificate = _server, ClientCas = [_clientCa.Certificate], Port = 0 });
        var url = server.Urls[0].ToString();

        var noCert = Cli.Run("get", url, "--cacert", _dir["server-ca.crt"]);
        Assert.Equal(1, noCert.ExitCode);
        Assert.Equal("mtls: error: the server requires a client certificate and none was sent; it accepts certificates issued by CN=ca.client.example.com,O=Kame: pass --cert client.crt --key client.key\n",
            noCert.Stderr);
        Assert.StartsWith("403 Forbidden:", noCert.Stdout); // the body, as curl prints it

        var untrusted = Cli.Run("get", url);
        Assert.Equal(1, untrusted.ExitCode);
        Assert.StartsWith("mtls: error: untrusted server certificate: CN=localhost,O=Kame is issued by CN=ca.server.example.com,O=Kame", untrusted.Stderr);
        Assert.Single(untrusted.Stderr.TrimEnd('\n').Split('\n'));

        var plain = Cli.Run("get", url.Replace("https://", "http://", StringComparison.Ordinal));
        Assert.Equal(1, plain.ExitCode);
        Assert.Contains($"speaks HTTPS, not plain HTTP (it answered 400 to http://); use {url}", plain.Stderr);
    }

    [Fact]
    public async Task Get_json_has_stable_fields()
    {
        await using var server = await MtlsServer.StartAsync(new MtlsServerOptions { Certificate = _server, Port = 0 });
        var result = Cli.Run("get", server.Urls[0].ToString(), "-k", "--json");
        Assert.Equal(0, result.ExitCode);
        using var json = System.Text.Json.JsonDocument.Parse(result.Stdout);
        Assert.Equal(200, json.RootElement.GetProperty("statusCode").GetInt32());
        Assert.True(json.RootElement.GetProperty("success").GetBoolean());
        Assert.Equal("TLS 1.3", json.RootElement.GetProperty("tls").GetProperty("protocol").GetString());
        Assert.Equal("CN=localhost,O=Kame", json.RootElement.GetProperty("tls").GetProperty("serverChain")[0].GetProperty("subject").GetString());
    }

    [Theory]
    [InlineData(new[] { "get", "localhost:8443" }, "is not an https:// URL")]
    [InlineData(new[] { "get", "https://localhost:8443/", "--cert", "client.crt" }, "--cert needs --key")]
    [InlineData(new[] { "serve", "--cert", "server.crt", "--key", "client.key" }, "this key does not belong to the certificate")]
    [InlineData(new[] { "serve", "--cert", "server.crt", "--key", "server.key", "--bind", "nowhere" }, "--bind nowhere: not an IP address")]
    [InlineData(new[] { "serve", "--cert", "server.crt", "--key", "server.key", "--handshake-timeout", "soon" }, "--handshake-timeout soon: not a duration")]
    public void Bad_usage_exits_2_with_one_line(string[] args, string expected)
    {
        var result = Cli.Process(_dir.Path, args);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("mtls: error: ", result.Stderr);
        Assert.Contains(expected, result.Stderr);
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("get")]
    public void Help_examples_parse(string command)
    {
        var help = Cli.Run(command, "--help");
        var examples = help.Stdout.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("mtls " + command + " ", StringComparison.Ordinal)).ToList();
        Assert.True(examples.Count >= 3, help.Stdout);
        foreach (var example in examples)
        {
            var args = example.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(a => a.Trim('\'')).ToArray();
            var parse = CliApp.BuildRoot(new CliContext { Out = TextWriter.Null, Err = TextWriter.Null }).Parse(args);
            Assert.True(parse.Errors.Count == 0, $"{example}: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
        }
    }
}
