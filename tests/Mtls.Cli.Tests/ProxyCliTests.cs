using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mtls.Cli.Tests;

/// <summary>
/// `mtls proxy` run as a user runs it (issue 16): the workshop's files, a small echo backend on
/// 127.0.0.1 made mTLS-only in one line, curl with the client certificate; and the start-up errors.
/// </summary>
[Trait("Category", "Proxy")]
public class ProxyCliTests
{
    private static void Ok(CliResult r) => Assert.True(r.ExitCode == 0, r.ToString());

    [Fact]
    public async Task A_backend_on_127_0_0_1_is_made_mtls_only_in_one_line()
    {
        using var d = new TempDir();
        WorkshopPkiTests.MakeWorkshopPki(d);
        using var backend = new TcpListener(IPAddress.Loopback, 0);
        backend.Start();
        var heads = new List<string>();
        var serving = Task.Run(async () =>
        {
            // A minimal HTTP/1.1 backend: answers each request with the request's head, then closes.
            while (true)
            {
                using var socket = await backend.AcceptSocketAsync();
                var buffer = new byte[16384];
                var head = "";
                while (!head.Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var n = await socket.ReceiveAsync(buffer);
                    if (n == 0) break;
                    head += Encoding.ASCII.GetString(buffer, 0, n);
                }
                lock (heads) heads.Add(head);
                var body = Encoding.ASCII.GetBytes(head);
                await socket.SendAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n").Concat(body).ToArray());
                socket.Shutdown(SocketShutdown.Both);
            }
        });
        var target = $"http://127.0.0.1:{((IPEndPoint)backend.LocalEndpoint).Port}";
        using var proxy = await ServeProcess.StartProxyAsync(d.Path, "--cert", "server.crt", "--key", "server.key", "--client-ca", "client-ca.crt",
            "--allow-cn", "Super Client", "--target", target, "--port", "0", "--bind", "127.0.0.1");
        Assert.Matches("^https://localhost:[0-9]+/$", proxy.Url);

        var r = Tool.Run("curl", ["-sS", "--max-time", "10", "--cacert", "server-ca.crt", "--cert", "client.crt", "--key", "client.key",
            "-H", "X-Client-Subject: forged", "-H", "x_forwarded_for: forged", proxy.Url + "hello"], d.Path);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.StartsWith("GET /hello HTTP/1.1", r.Stdout);
        Assert.Contains("X-Client-Subject: CN%3DSuper%20Client%2CO%3DKame%2CL%3DChuo%2CST%3DTokyo%2CC%3DJP\r\n", r.Stdout);
        Assert.Contains("Client-Cert: :", r.Stdout);
        Assert.Contains("X-Forwarded-For: 127.0.0.1\r\n", r.Stdout);
        Assert.DoesNotContain("forged", r.Stdout);
        Assert.Matches(@"request GET /hello 200 from 127\.0\.0\.1:\d+ client CN=Super Client", await proxy.ReadLineAsync()); // remote is ADDR:PORT in logs

        var none = Tool.Run("curl", ["-sS", "--max-time", "10", "--cacert", "server-ca.crt", proxy.Url + "secret"], d.Path);
        Assert.Contains("403 Forbidden", none.Stdout);
        Assert.Contains("rejected [NoCertificate]", await proxy.ReadLineAsync());
        lock (heads) Assert.Single(heads); // the refused request never reached the backend
    }

    [Theory]
    [InlineData("--target http://127.0.0.1:8080", "no allow rule: say who may pass with --allow-cn")]
    [InlineData("--allow-all --target http://192.0.2.1:8080", "is not on this machine")]
    [InlineData("--allow-all --target http://127.0.0.1:8080 --identity-headers rfc9440,nonsense", "--identity-headers nonsense: unknown set")]
    [InlineData("--allow-all --target http://127.0.0.1:8080 --status nowhere", "--status nowhere: not an address")]
    [InlineData("--allow-all --target http://127.0.0.1:8080 --backend-timeout 0s", "--backend-timeout")]
    [InlineData("--allow-all --target http://127.0.0.1:8080 --proxy-protocol", "--proxy-protocol is for TCP mode only")]
    [InlineData("--allow-all --target tcp://192.0.2.1:5432", "is not on this machine")]
    [InlineData("--allow-all --target tcp://127.0.0.1", "--target tcp://127.0.0.1")]
    public void Settings_that_cannot_work_are_one_error_line_and_exit_2(string flags, string expected)
    {
        using var d = new TempDir();
        WorkshopPkiTests.MakeWorkshopPki(d);
        var r = Cli.Run(["proxy", "--cert", d["server.crt"], "--key", d["server.key"], "--client-ca", d["client-ca.crt"], "--port", "0", .. flags.Split(' ')]);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("mtls: error: ", r.Stderr);
        Assert.Contains(expected, r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Client_cas_are_required()
    {
        var r = Cli.Run("proxy", "--cert", "s.crt", "--key", "s.key", "--allow-all", "--target", "http://127.0.0.1:8080");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--client-ca", r.Stderr);
    }
}
