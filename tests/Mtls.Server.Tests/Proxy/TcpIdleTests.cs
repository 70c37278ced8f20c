using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Mtls.Pki;
using Mtls.Server.Proxy;

namespace Mtls.Server.Tests.Proxy;

/// <summary>
/// TCP mode's idle timeout (<see cref="ProxyOptions.IdleTimeout"/>): a real TLS client with the workshop's
/// client certificate through the proxy to <see cref="TcpTestBackend"/>; a tunnel that moves nothing is
/// closed (close_notify to the client, FIN to the backend) and logged as idle_timeout; one that keeps
/// moving bytes is not; the setting is refused where it means nothing.
/// </summary>
[Trait("Category", "Proxy")]
public class TcpIdleTests(WorkshopPki pki) : IClassFixture<WorkshopPki>
{
    private Task<RunningProxy> StartAsync(string target, TimeSpan? idle) =>
        RunningProxy.StartAsync(pki, new ProxyOptions
        {
            Target = target,
            Allow = new AllowList { CommonNames = ["Super Client"] },
            BackendTimeout = TimeSpan.FromSeconds(5),
            IdleTimeout = idle,
        });

    private async Task<SslStream> ConnectAsync(RunningProxy proxy)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, proxy.Server.Port);
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = SslProtocols.Tls13,
            ClientCertificates = [pki.Client],
            RemoteCertificateValidationCallback = (_, c, _, _) => c is not null,
        });
        return tls;
    }

    private static async Task EchoAsync(SslStream tls, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        await tls.WriteAsync(bytes);
        var back = new byte[bytes.Length];
        await tls.ReadExactlyAsync(back).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(text, Encoding.ASCII.GetString(back));
    }

    [Fact]
    public async Task A_tunnel_that_moves_nothing_is_closed_after_the_idle_timeout_and_logged_as_its_own_event()
    {
        var timeout = TimeSpan.FromMilliseconds(400);
        await using var backend = TcpTestBackend.Start();
        await using var proxy = await StartAsync(backend.Target, timeout);
        await using var tls = await ConnectAsync(proxy);
        await EchoAsync(tls, "hello");
        var quiet = Stopwatch.StartNew();

        // The client only waits: the proxy's close_notify ends its read (0 bytes), the backend gets a FIN.
        var n = await tls.ReadAsync(new byte[16]).AsTask().WaitAsync(TimeSpan.FromSeconds(15));
        var waited = quiet.Elapsed;
        Assert.Equal(0, n);
        // Quiet is counted here from the echo's arrival, a little after the proxy's last byte: half the timeout is the bound
        // that a scheduling delay on a loaded machine cannot break, and an immediate close would.
        Assert.True(waited >= timeout / 2, $"closed after {waited.TotalMilliseconds} ms of quiet, before the {timeout.TotalMilliseconds} ms timeout");
        Assert.Equal(5, await backend.SawEof.Task.WaitAsync(TimeSpan.FromSeconds(10)));

        var line = await proxy.WaitForLogAsync(e => e.Event == ServerEvent.IdleTimeout);
        Assert.Equal("IdleTimeout", line.Reason);
        Assert.Equal(ServerLogKind.IdleTimeout, line.Kind);
        Assert.Contains("CN=Super Client", line.ClientSubject);
        Assert.Contains("no bytes either way for 0.4s", line.Message);
        Assert.Contains("5 bytes to the backend, 5 bytes back", line.Message);
        Assert.DoesNotContain(proxy.Log, e => e.Event is ServerEvent.Request or ServerEvent.BackendFailed);
    }

    [Fact]
    public async Task A_tunnel_that_keeps_moving_bytes_outlives_the_idle_timeout_and_ends_as_usual()
    {
        var timeout = TimeSpan.FromSeconds(1);
        await using var backend = TcpTestBackend.Start();
        await using var proxy = await StartAsync(backend.Target, timeout);
        var alive = Stopwatch.StartNew();
        await using (var tls = await ConnectAsync(proxy))
        {
            // A round trip every 100 ms for two and a half timeouts' worth: never near a second without a byte.
            for (var i = 0; alive.Elapsed < 2.5 * timeout; i++)
            {
                await EchoAsync(tls, $"ping {i}\n");
                await Task.Delay(100);
            }
            await tls.ShutdownAsync();
            var rest = new MemoryStream();
            await tls.CopyToAsync(rest).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(TcpTestBackend.Farewell, rest.ToArray());
        }
        await proxy.WaitForLogAsync(e => e.Event == ServerEvent.Request && e.Method == "TCP" && e.Reason is null);
        Assert.DoesNotContain(proxy.Log, e => e.Event == ServerEvent.IdleTimeout);
    }

    [Fact]
    public async Task Zero_turns_the_idle_timeout_off()
    {
        await using var backend = TcpTestBackend.Start();
        await using var proxy = await StartAsync(backend.Target, TimeSpan.Zero);
        await using var tls = await ConnectAsync(proxy);
        await EchoAsync(tls, "hello");
        // Nothing closes it: a read stays pending until the client gives up, then the tunnel still echoes.
        var read = tls.ReadAsync(new byte[16]).AsTask();
        await Assert.ThrowsAsync<TimeoutException>(() => read.WaitAsync(TimeSpan.FromSeconds(1)));
        await tls.WriteAsync("again"u8.ToArray());
        Assert.Equal(5, await read.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(TimeSpan.FromMinutes(5), ProxyOptions.DefaultIdleTimeout);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080", 5000, "--idle-timeout is for TCP mode only")]
    [InlineData("tcp://127.0.0.1:5432", -1000, "--idle-timeout must be 0 (no limit) or a positive duration")]
    public async Task The_setting_is_refused_where_it_means_nothing(string target, int milliseconds, string expected)
    {
        var e = await Assert.ThrowsAsync<MtlsException>(() => StartAsync(target, TimeSpan.FromMilliseconds(milliseconds)));
        Assert.Contains(expected, e.Message);
        Assert.Equal(ExitCode.BadInput, e.ExitCode);
    }
}
