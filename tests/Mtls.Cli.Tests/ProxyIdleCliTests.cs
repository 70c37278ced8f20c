using System.Net;
using System.Net.Sockets;

namespace Mtls.Cli.Tests;

/// <summary>
/// `mtls proxy --target tcp:// --idle-timeout` run as a user runs it: openssl s_client with the workshop's
/// client certificate through the proxy to an echo backend; the proxy ends the quiet session (s_client exits
/// on its own) and logs an idle_timeout line; and the flag's start-up errors.
/// </summary>
[Trait("Category", "Proxy")]
public class ProxyIdleCliTests
{
    [Fact]
    public async Task A_quiet_tcp_session_is_ended_by_the_proxy_after_the_idle_timeout()
    {
        using var d = new TempDir();
        WorkshopPkiTests.MakeWorkshopPki(d);
        using var backend = new TcpListener(IPAddress.Loopback, 0);
        backend.Start();
        var echo = Task.Run(async () =>
        {
            using var socket = await backend.AcceptSocketAsync();
            var buffer = new byte[4096];
            int n;
            while ((n = await socket.ReceiveAsync(buffer)) > 0) await socket.SendAsync(buffer.AsMemory(0, n));
        });
        using var proxy = await ServeProcess.StartProxyAsync(d.Path, "--cert", "server.crt", "--key", "server.key", "--client-ca", "client-ca.crt",
            "--allow-cn", "Super Client", "--target", $"tcp://127.0.0.1:{((IPEndPoint)backend.LocalEndpoint).Port}", "--port", "0", "--bind", "127.0.0.1",
            "--idle-timeout", "1s");

        // -quiet implies -ign_eof: only the server can end this session.
        var (elapsed, output) = await Tool.RunWithOpenStdinAsync("openssl", ["s_client", "-connect", $"127.0.0.1:{proxy.Port}", "-servername", "localhost",
            "-CAfile", "server-ca.crt", "-cert", "client.crt", "-key", "client.key", "-quiet"], "ping through the tunnel\n", d.Path);
        Assert.Contains("ping through the tunnel", output);
        Assert.True(elapsed >= TimeSpan.FromSeconds(1) && elapsed < TimeSpan.FromSeconds(30), $"s_client ran {elapsed}: {output}");
        var line = await proxy.WaitForLineAsync(" idle_timeout ");
        var m = System.Text.RegularExpressions.Regex.Match(line,
            @"idle_timeout TCP connection from 127\.0\.0\.1:\d+ \(CN=Super Client,.*\) closed: no bytes either way for 1s \(--idle-timeout\); (\d+) bytes to the backend, (\d+) bytes back");
        Assert.True(m.Success, line);
        Assert.Equal("ping through the tunnel\n".Length.ToString(System.Globalization.CultureInfo.InvariantCulture), m.Groups[1].Value);
        Assert.Equal(m.Groups[1].Value, m.Groups[2].Value);
        await echo.WaitAsync(TimeSpan.FromSeconds(10)); // the backend got its FIN
    }

    [Theory]
    [InlineData("--target http://127.0.0.1:8080 --idle-timeout 5s", "--idle-timeout is for TCP mode only")]
    [InlineData("--target tcp://127.0.0.1:5432 --idle-timeout soon", "--idle-timeout")]
    [InlineData("--target tcp://127.0.0.1:5432 --idle-timeout 30d", "--idle-timeout")]
    public void Idle_timeouts_that_cannot_work_are_one_error_line_and_exit_2(string flags, string expected)
    {
        using var d = new TempDir();
        WorkshopPkiTests.MakeWorkshopPki(d);
        var r = Cli.Run(["proxy", "--cert", d["server.crt"], "--key", d["server.key"], "--client-ca", d["client-ca.crt"], "--port", "0", "--allow-all",
            .. flags.Split(' ')]);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("mtls: error: ", r.Stderr);
        Assert.Contains(expected, r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
    }
}
