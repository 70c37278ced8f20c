using System.Net;
using System.Net.Sockets;
using Mtls.Server.Proxy;

namespace Mtls.Server.Tests.Proxy;

/// <summary>
/// Issue 16, acceptance 3 and item 6: a backend that is down gets the client a 502 naming the target and
/// the error; one that stalls a 504 after --backend-timeout; one that resets mid-answer cuts the client's
/// answer short and is logged. /_status says 200 or 503, /_metrics counts it all.
/// </summary>
[Trait("Category", "Proxy")]
public class ProxyBackendFailureTests(WorkshopPki pki) : IClassFixture<WorkshopPki>
{
    private static ProxyOptions Options(string target) => new()
    {
        Target = target,
        Allow = new AllowList { AllowAll = true },
        BackendTimeout = TimeSpan.FromSeconds(1),
        Status = new IPEndPoint(IPAddress.Loopback, 0),
    };

    [Fact]
    public async Task A_backend_that_is_down_gives_a_502_naming_it_and_status_says_503()
    {
        var port = FreePort(); // nothing listens there
        var target = $"http://127.0.0.1:{port}";
        await using var proxy = await RunningProxy.StartAsync(pki, Options(target));
        var r = proxy.Curl(pki, "client", "/x", "-i");
        Assert.Contains("HTTP/2 502", r.Stdout);
        Assert.Contains($"502 Bad Gateway: the backend {target} did not answer: Connection refused", r.Stdout);
        var logged = Assert.Single(proxy.Log, e => e.Event == ServerEvent.BackendFailed);
        Assert.Equal(502, logged.Status);
        Assert.Equal("Request", logged.Reason);

        using var http = new HttpClient();
        var status = await http.GetAsync(proxy.Server.StatusUrl);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status.StatusCode);
        Assert.Contains($"the backend {target} does not answer", await status.Content.ReadAsStringAsync());
        var metrics = await http.GetStringAsync(new Uri(proxy.Server.StatusUrl!, "/_metrics"));
        Assert.Contains("mtls_backend_errors_total{error=\"Request\"} 1\n", metrics);
        Assert.Contains("mtls_requests_total 1\n", metrics);
        Assert.Contains("mtls_handshakes_total 1\n", metrics);
    }

    [Fact]
    public async Task A_stalled_backend_gives_a_504_and_a_reset_one_cuts_the_answer_short()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var proxy = await RunningProxy.StartAsync(pki, Options(backend.Url));
        var stalled = proxy.Curl(pki, "client", "/stall", "-i");
        Assert.Contains("HTTP/2 504", stalled.Stdout);
        Assert.Contains($"the backend {backend.Url} sent no answer within 1s (--backend-timeout)", stalled.Stdout);
        Assert.Contains(proxy.Log, e => e.Event == ServerEvent.BackendFailed && e.Status == 504 && e.Reason == "RequestTimedOut");

        // A backend that sends its headers and part of the body, then resets the connection (RST, not FIN).
        using var resetting = new TcpListener(IPAddress.Loopback, 0);
        resetting.Start();
        await using var resetProxy = await RunningProxy.StartAsync(pki, Options($"http://127.0.0.1:{((IPEndPoint)resetting.LocalEndpoint).Port}"));
        var serving = Task.Run(async () =>
        {
            using var socket = await resetting.AcceptSocketAsync();
            var buffer = new byte[8192];
            var head = "";
            while (!head.Contains("\r\n\r\n", StringComparison.Ordinal))
                head += System.Text.Encoding.ASCII.GetString(buffer, 0, await socket.ReceiveAsync(buffer));
            await socket.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial answer"u8.ToArray());
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        });
        var reset = resetProxy.Curl(pki, "client", "/reset", "--http1.1");
        await serving;
        Assert.True(reset.ExitCode != 0, reset.ToString()); // curl: the answer ended before its Content-Length
        // Whether "partial answer" itself reaches curl is a race: a TCP reset makes the kernel drop bytes the
        // proxy has not read yet (it failed 1 run in 3 here). What must hold either way: the answer is cut
        // short, never completed or padded, and the proxy says why (below).
        Assert.DoesNotContain("HTTP/1.1 502", reset.Stdout);
        Assert.True(reset.Stdout.Length <= "partial answer".Length, reset.ToString());
        var broke = await resetProxy.WaitForLogAsync(e => e.Event == ServerEvent.BackendFailed && e.Path == "/reset");
        Assert.Contains("broke off its answer", broke.Message);
        Assert.Equal("ResponseBodyDestination", broke.Reason);

        // The proxy is unharmed: the next request is answered.
        Assert.Equal(0, proxy.Curl(pki, "client", "/after", "-f").ExitCode);
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(proxy.Server.StatusUrl)).StatusCode);
        var metrics = await http.GetStringAsync(new Uri(proxy.Server.StatusUrl!, "/_metrics"));
        Assert.Contains("mtls_backend_errors_total{error=\"RequestTimedOut\"} 1\n", metrics);
        Assert.Contains("mtls_requests_total 2\n", metrics);
    }

    [Fact]
    public async Task Refusals_and_plain_http_are_counted_by_reason()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var proxy = await RunningProxy.StartAsync(pki, Options(backend.Url));
        proxy.Curl(pki, null, "/");
        var plain = Tool.Run("curl", ["-sS", "--max-time", "10", $"http://localhost:{proxy.Server.Port}/"]);
        Assert.Contains("400 Bad Request", plain.Stdout);
        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(new Uri(proxy.Server.StatusUrl!, "/_metrics"));
        Assert.Contains("mtls_refusals_total{reason=\"NoCertificate\"} 1\n", metrics);
        Assert.Contains("mtls_refusals_total{reason=\"PlainHttp\"} 1\n", metrics);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(proxy.Server.StatusUrl!, "/other"))).StatusCode);
        Assert.Empty(backend.Seen);
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
