using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Mtls.Pki.Names;
using Mtls.Server.Proxy;

namespace Mtls.Server.Tests.Proxy;

/// <summary>
/// Issue 16 item 5, TCP mode (<c>--target tcp://</c>): a real TLS client with the workshop's client
/// certificate through the proxy to <see cref="TcpTestBackend"/> (echo, then its last bytes after the
/// client's EOF); the PROXY v2 header it parses; refused clients that never reach it; 16 MiB intact.
/// </summary>
[Trait("Category", "Proxy")]
public class TcpModeTests(WorkshopPki pki) : IClassFixture<WorkshopPki>
{
    private Task<RunningProxy> StartAsync(string target, bool proxyProtocol = false, AllowList? allow = null) =>
        RunningProxy.StartAsync(pki, new ProxyOptions
        {
            Target = target,
            Allow = allow ?? new AllowList { CommonNames = ["Super Client"] },
            ProxyProtocol = proxyProtocol,
            BackendTimeout = TimeSpan.FromSeconds(5),
        });

    private static async Task<(Socket Socket, SslStream Tls)> ConnectAsync(RunningProxy proxy, X509Certificate2? client)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, proxy.Server.Port);
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = SslProtocols.Tls13,
            ClientCertificates = client is null ? null : [client],
            RemoteCertificateValidationCallback = (_, c, _, _) => c is not null,
        });
        return (socket, tls);
    }

    private static async Task<byte[]> ReadToEndAsync(Stream stream)
    {
        using var all = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await stream.CopyToAsync(all, timeout.Token);
        return all.ToArray();
    }

    [Fact]
    public async Task Bytes_are_echoed_and_the_clients_half_close_reaches_the_backend_whose_last_bytes_still_reach_the_client()
    {
        await using var backend = TcpTestBackend.Start();
        await using var proxy = await StartAsync(backend.Target);
        var (_, tls) = await ConnectAsync(proxy, pki.Client);
        await using (tls)
        {
            var hello = "hello over mTLS\n"u8.ToArray();
            await tls.WriteAsync(hello);
            var echo = new byte[hello.Length];
            await tls.ReadExactlyAsync(echo);
            Assert.Equal(hello, echo);
            Assert.False(backend.SawEof.Task.IsCompleted, "the backend saw EOF before the client closed its sending half");

            await tls.WriteAsync("more\n"u8.ToArray());
            await tls.ShutdownAsync(); // close_notify: the client's sending half ends, it keeps reading
            Assert.Equal(hello.Length + 5, await backend.SawEof.Task.WaitAsync(TimeSpan.FromSeconds(10)));
            var rest = await ReadToEndAsync(tls);
            Assert.Equal("more\n" + Encoding.ASCII.GetString(TcpTestBackend.Farewell), Encoding.ASCII.GetString(rest));
        }
        var line = await proxy.WaitForLogAsync(e => e.Event == ServerEvent.Request && e.Method == "TCP");
        Assert.Contains("CN=Super Client", line.ClientSubject);
        Assert.Contains($"{hello_length()} bytes to the backend", line.Message);
        Assert.Contains($"{hello_length() + TcpTestBackend.Farewell.Length} bytes back", line.Message);
        Assert.Null(line.Reason);
        Assert.Empty(backend.Errors);

        static int hello_length() => "hello over mTLS\n".Length + 5;
    }

    [Fact]
    public async Task Proxy_protocol_v2_header_carries_the_addresses_the_tls_facts_and_the_client_certificate()
    {
        await using var backend = TcpTestBackend.Start(proxyProtocol: true);
        await using var proxy = await StartAsync(backend.Target, proxyProtocol: true);
        var (socket, tls) = await ConnectAsync(proxy, pki.Client);
        var clientEnd = (IPEndPoint)socket.LocalEndPoint!;
        await using (tls)
        {
            await tls.WriteAsync("ping"u8.ToArray());
            await tls.ShutdownAsync();
            Assert.Equal("ping" + Encoding.ASCII.GetString(TcpTestBackend.Farewell), Encoding.ASCII.GetString(await ReadToEndAsync(tls)));
        }
        Assert.Empty(backend.Errors);
        var header = Assert.Single(backend.Headers);
        Assert.Equal(0x11, header.Family); // TCP over IPv4
        Assert.Equal(clientEnd, header.Source);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, proxy.Server.Port), header.Destination);

        var ssl = header.Tlvs[0x20];
        Assert.Equal(0x07, ssl[0]); // PP2_CLIENT_SSL | PP2_CLIENT_CERT_CONN | PP2_CLIENT_CERT_SESS
        Assert.Equal(new byte[4], ssl[1..5]); // verify: 0, verified
        var sub = TcpTestBackend.Tlvs(ssl.AsSpan(5));
        Assert.Equal("TLSv1.3", Encoding.ASCII.GetString(sub[0x21]));
        Assert.Equal("Super Client", Encoding.UTF8.GetString(sub[0x22]));
        Assert.Equal(DistinguishedName.Format(pki.Client.SubjectName), Encoding.UTF8.GetString(header.Tlvs[0xE0]));
        Assert.StartsWith("CN=Super Client,", Encoding.UTF8.GetString(header.Tlvs[0xE0]));
        Assert.Equal(pki.Client.RawData, header.Tlvs[0xE1]);
    }

    [Fact]
    public async Task Refused_clients_are_closed_after_the_handshake_and_the_backend_is_never_contacted()
    {
        await using var backend = TcpTestBackend.Start();
        await using var proxy = await StartAsync(backend.Target, allow: new AllowList { CommonNames = ["Somebody Else"] });
        foreach (var client in new[] { pki.Client, null, pki.ExpiredClient })
        {
            var (_, tls) = await ConnectAsync(proxy, client);
            await using (tls)
            {
                try { await tls.WriteAsync("secret"u8.ToArray()); }
                catch (IOException) { } // the proxy may have closed already
                Assert.Empty(await ReadToEndAsync(tls));
            }
        }
        var notAllowed = await proxy.WaitForLogAsync(e => e.Event == ServerEvent.NotAllowed);
        Assert.Contains("CN=Super Client", notAllowed.ClientSubject);
        Assert.Contains("no allow rule admits it", notAllowed.Message);
        await proxy.WaitForLogAsync(e => e.Event == ServerEvent.Rejected && e.Reason == "NoCertificate");
        await proxy.WaitForLogAsync(e => e.Event == ServerEvent.Rejected && e.Reason == "Expired");
        Assert.Equal(0, backend.Accepted);
    }

    [Fact]
    public async Task An_unreachable_backend_is_logged_and_the_client_closed()
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port; // bound, never listening: connections are refused
            await using var proxy = await StartAsync($"tcp://127.0.0.1:{port}");
            var (_, tls) = await ConnectAsync(proxy, pki.Client);
            await using (tls) Assert.Empty(await ReadToEndAsync(tls));
            var failed = await proxy.WaitForLogAsync(e => e.Event == ServerEvent.BackendFailed);
            Assert.Contains($"tcp://127.0.0.1:{port}", failed.Message);
            Assert.Contains("refused", failed.Message, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Sixteen_mebibytes_cross_both_ways_intact()
    {
        await using var backend = TcpTestBackend.Start();
        await using var proxy = await StartAsync(backend.Target);
        var data = RandomNumberGenerator.GetBytes(16 * 1024 * 1024);
        var (_, tls) = await ConnectAsync(proxy, pki.Client);
        await using (tls)
        {
            var reading = ReadToEndAsync(tls);
            for (var at = 0; at < data.Length; at += 256 * 1024) await tls.WriteAsync(data.AsMemory(at, 256 * 1024));
            await tls.ShutdownAsync();
            var back = await reading;
            Assert.Equal(data.Length + TcpTestBackend.Farewell.Length, back.Length);
            Assert.Equal(SHA256.HashData(data), SHA256.HashData(back.AsSpan(0, data.Length)));
        }
        var line = await proxy.WaitForLogAsync(e => e.Event == ServerEvent.Request && e.Method == "TCP");
        Assert.Contains($"{data.Length} bytes to the backend", line.Message);
    }
}
