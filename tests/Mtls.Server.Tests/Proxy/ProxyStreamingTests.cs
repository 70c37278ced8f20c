using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Mtls.Server.Proxy;

namespace Mtls.Server.Tests.Proxy;

/// <summary>
/// Issue 16, acceptance 4: a WebSocket echo through the proxy (ClientWebSocket with the client
/// certificate), an HTTP/2 gRPC-style streaming request whose answer streams back while the request is
/// still being sent, and a backend on a Unix socket.
/// </summary>
[Trait("Category", "Proxy")]
public class ProxyStreamingTests(WorkshopPki pki) : IClassFixture<WorkshopPki>
{
    /// <summary>Kestrel's inline scheduling, as mtls proxy runs (<see cref="ProxyStreamingInlineTests"/> runs every test with it).</summary>
    protected virtual bool Inline => false;

    private ProxyOptions AllowAll(string target) =>
        new() { Target = target, Allow = new AllowList { CommonNames = ["Super Client"] }, InlineScheduling = Inline };

    private bool TrustServer(object _, X509Certificate? certificate, X509Chain? __, System.Net.Security.SslPolicyErrors ___) =>
        certificate is X509Certificate2 c && c.Issuer == pki.ServerCa.Certificate.Subject;

    [Fact]
    public async Task A_websocket_echo_passes_through_with_the_identity_headers()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var proxy = await RunningProxy.StartAsync(pki, AllowAll(backend.Url));
        using var socket = new ClientWebSocket();
        socket.Options.ClientCertificates = [pki.Client];
        socket.Options.RemoteCertificateValidationCallback = TrustServer;
        socket.Options.SetRequestHeader("X-Client-Subject", "forged");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await socket.ConnectAsync(new Uri($"wss://localhost:{proxy.Server.Port}/ws"), timeout.Token);
        foreach (var message in new[] { "hello", "こんにちは", new string('x', 20000) })
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, timeout.Token);
            var received = new MemoryStream();
            var buffer = new byte[4096];
            WebSocketReceiveResult r;
            do
            {
                r = await socket.ReceiveAsync(buffer, timeout.Token);
                received.Write(buffer, 0, r.Count);
            } while (!r.EndOfMessage);
            Assert.Equal(message, Encoding.UTF8.GetString(received.ToArray()));
        }
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
        var seen = Assert.Single(backend.Seen);
        Assert.Contains(seen.Headers, h => h.Key == "Client-Cert" && h.Value == ":" + Convert.ToBase64String(pki.Client.RawData) + ":");
        Assert.DoesNotContain(seen.Headers, h => h.Value == "forged");
    }

    [Fact]
    public async Task An_http2_grpc_style_stream_flows_both_ways_before_the_request_ends()
    {
        await using var backend = await EchoBackend.StartAsync(http2Only: true);
        await using var proxy = await RunningProxy.StartAsync(pki, AllowAll(backend.Url));
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.ClientCertificates = [pki.Client];
        handler.SslOptions.RemoteCertificateValidationCallback = TrustServer;
        using var http = new HttpClient(handler);
        var content = new DuplexContent();
        content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"https://localhost:{proxy.Server.Port}/stream")
        {
            Content = content,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var sending = http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        // gRPC length-prefixed messages: each is echoed back before the next is written.
        var body = await content.Stream.WaitAsync(timeout.Token);
        await WriteAsync(body, Frame("ping 1"), timeout.Token);
        using var response = await sending;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new Version(2, 0), response.Version);
        await using var answer = await response.Content.ReadAsStreamAsync(timeout.Token);
        for (var i = 1; i <= 3; i++)
        {
            if (i > 1) await WriteAsync(body, Frame($"ping {i}"), timeout.Token);
            var expected = Frame($"ping {i}");
            var got = new byte[expected.Length];
            await answer.ReadExactlyAsync(got, timeout.Token);
            Assert.Equal(expected, got);
        }
        content.Complete();
        Assert.Equal(0, await answer.ReadAsync(new byte[1], timeout.Token));
        var seen = Assert.Single(backend.Seen);
        Assert.Equal("HTTP/2", seen.Protocol); // gRPC needs HTTP/2 to the backend too: h2c
    }

    [Fact]
    public async Task A_backend_on_a_unix_socket_is_reached_and_is_local_without_unsafe_target()
    {
        using var dir = new TempDir();
        await using var backend = await EchoBackend.StartAsync(unixSocket: dir["app.sock"]);
        await using var proxy = await RunningProxy.StartAsync(pki, AllowAll(backend.Url));
        var r = proxy.Curl(pki, "client", "/over-unix", "-f");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("X-Client-Subject: CN%3DSuper%20Client", r.Stdout);
        Assert.Equal("/over-unix", Assert.Single(backend.Seen).Path);
    }

    /// <summary>One message, flushed: what a gRPC client does, so it leaves at once rather than when a buffer fills.</summary>
    private static async Task WriteAsync(Stream body, byte[] frame, CancellationToken ct)
    {
        await body.WriteAsync(frame, ct);
        await body.FlushAsync(ct);
    }

    /// <summary>A request body the test writes while the answer is being read (gRPC-dotnet's push content, in small).</summary>
    private sealed class DuplexContent : HttpContent
    {
        private readonly TaskCompletionSource<Stream> _stream = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<Stream> Stream => _stream.Task;

        public void Complete() => _done.TrySetResult();

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            _stream.TrySetResult(stream);
            return _done.Task.WaitAsync(cancellationToken);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    private static byte[] Frame(string message)
    {
        var payload = Encoding.UTF8.GetBytes(message);
        var frame = new byte[5 + payload.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }
}
