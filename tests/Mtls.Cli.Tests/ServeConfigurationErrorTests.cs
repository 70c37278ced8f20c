using System.Net;
using System.Net.Sockets;

namespace Mtls.Cli.Tests;

/// <summary>
/// Settings the server refuses at start, through the real `mtls serve`: one `mtls: error:` line in the
/// server's words and the documented exit code (2 bad settings, 1 a refused CRL or a port it cannot
/// listen on), never "unexpected failure".
/// </summary>
public sealed class ServeConfigurationErrorTests : IClassFixture<ServeConfigurationErrorTests.Pki>
{
    /// <summary>The workshop's PKI, and a CRL from an impostor CA with the client CA's name.</summary>
    public sealed class Pki : IDisposable
    {
        public TempDir Dir { get; } = new();

        public Pki()
        {
            WorkshopPkiTests.MakeWorkshopPki(Dir);
            Directory.CreateDirectory(Dir["impostor"]);
            Ok(Cli.Run("ca", "create", "--subject", WorkshopPkiTests.Dn + "ca.client.example.com", "--days", "365",
                "--out", Dir["impostor/ca.crt"], "--key-out", Dir["impostor/ca.key"]));
            Ok(Cli.Run("ca", "crl", "--ca-cert", Dir["impostor/ca.crt"], "--ca-key", Dir["impostor/ca.key"], "--out", Dir["impostor.crl"]));
        }

        private static void Ok(CliResult r) => Assert.True(r.ExitCode == 0, r.ToString());

        public void Dispose() => Dir.Dispose();
    }

    private static readonly string[] Serve = ["serve", "--cert", "server.crt", "--key", "server.key"];
    private readonly Pki _pki;

    public ServeConfigurationErrorTests(Pki pki) => _pki = pki;

    private CliResult Run(string lang, IDictionary<string, string>? env, params string[] args)
    {
        var environment = new Dictionary<string, string>(env ?? new Dictionary<string, string>()) { ["LC_ALL"] = lang };
        var r = Tool.Run("dotnet", [Cli.Dll, .. Serve, .. args], _pki.Dir.Path, timeout: TimeSpan.FromSeconds(30), environment: environment);
        return new CliResult(r.ExitCode, r.Stdout, r.Stderr);
    }

    private static void OneErrorLine(CliResult result, int exitCode, string prefix, string expected)
    {
        Assert.True(result.ExitCode == exitCode, result.ToString());
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, result.ToString());
        Assert.StartsWith(prefix, lines[0]);
        Assert.Contains(expected, lines[0]);
        Assert.DoesNotContain("unexpected", lines[0]);
        Assert.Equal("", result.Stdout);
    }

    [Theory]
    [InlineData(new[] { "--port", "70000" }, 2, "port 70000 is out of range: give one from 0 to 65535")]
    [InlineData(new[] { "--max-connections", "0" }, 2, "at most 0 connections at once: must be at least 1 (mtls serve --max-connections)")]
    [InlineData(new[] { "--crl", "impostor.crl" }, 2, "CRLs apply to client certificates, and no client CA was given")]
    // Positive, yet zero once a TimeSpan: it reached the user as "unexpected failure".
    [InlineData(new[] { "--handshake-timeout", "0.0000000001s", "--port", "0" }, 2, "the handshake timeout 00:00:00 is not longer than zero")]
    [InlineData(new[] { "--client-ca", "client-ca.crt", "--crl", "impostor.crl", "--port", "0" }, 1,
        "impostor.crl: is not signed by the client CA CN=ca.client.example.com,")]
    // 192.0.2.0/24 is TEST-NET-1: never an address of this machine.
    [InlineData(new[] { "--bind", "192.0.2.1", "--port", "0" }, 1, "cannot listen on 192.0.2.1:0: Cannot assign requested address; check that the address is one of this machine's")]
    public void A_setting_the_server_refuses_is_one_error_line(string[] args, int exitCode, string expected) =>
        OneErrorLine(Run("C.UTF-8", null, args), exitCode, "mtls: error: ", expected);

    [Fact]
    public void No_usable_address_is_one_error_line_without_the_ipv4_only_warning()
    {
        var result = Run("C.UTF-8", new Dictionary<string, string> { ["DOTNET_SYSTEM_NET_DISABLEIPV6"] = "1" }, "--bind", "::1", "--port", "0");
        OneErrorLine(result, 2, "mtls: error: ", "none of the addresses to listen on (::1) is usable: IPv6 is not available on this machine");
    }

    [Fact]
    public void A_port_in_use_is_one_error_line_exit_1()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        OneErrorLine(Run("C.UTF-8", null, "--bind", "127.0.0.1", "--port", $"{port}"), 1, "mtls: error: ",
            $"cannot listen on 127.0.0.1:{port}: the port is already in use; is another server running there?");
    }

    [Theory]
    [InlineData(new[] { "--max-connections", "0" }, 2, "同時接続数の上限 0: 1 以上にしてください")]
    [InlineData(new[] { "--client-ca", "client-ca.crt", "--crl", "impostor.crl", "--port", "0" }, 1, "の署名がありません。その CA が発行した CRL を指定してください")]
    public void In_japanese_the_line_is_japanese(string[] args, int exitCode, string expected) =>
        OneErrorLine(Run("ja_JP.UTF-8", null, args), exitCode, "mtls: エラー: ", expected);
}
