using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mtls.Server.Tests.Proxy;

/// <summary>
/// The backend behind mtls proxy in tests: a Kestrel app on a free loopback port (or a Unix socket) that
/// records every request it receives (its "log": <see cref="Seen"/>) and answers by path:
/// /ws echoes WebSocket messages, /stall never answers, /stream echoes the request body as it arrives, anything else lists the headers (and trailers) it got.
/// </summary>
public sealed class EchoBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<SeenRequest> _seen = new();

    public sealed record SeenRequest(string Method, string Path, string Protocol, IReadOnlyList<KeyValuePair<string, string>> Headers,
        IReadOnlyList<KeyValuePair<string, string>> Trailers, string Body);

    private EchoBackend(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>http://127.0.0.1:PORT, or unix:/path for a Unix socket backend.</summary>
    public string Url { get; }

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<SeenRequest> Seen => _seen.ToList();

    /// <param name="unixSocket">Listen on this Unix socket instead of a loopback port.</param>
    /// <param name="http2Only">Cleartext HTTP/2 only (prior knowledge, h2c), as gRPC servers listen without TLS; else HTTP/1.1.</param>
    public static async Task<EchoBackend> StartAsync(string? unixSocket = null, bool http2Only = false)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(1));
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MinRequestBodyDataRate = null;
            // Kestrel answers HTTP/2 prior knowledge (h2c) only on an HTTP/2-only cleartext endpoint.
            var protocols = http2Only ? HttpProtocols.Http2 : HttpProtocols.Http1;
            if (unixSocket is not null) k.ListenUnixSocket(unixSocket, l => l.Protocols = protocols);
            else k.Listen(IPAddress.Loopback, 0, l => l.Protocols = protocols);
        });
        var app = builder.Build();
        app.UseWebSockets();
        EchoBackend? backend = null;
        app.Run(context => backend!.AnswerAsync(context));
        await app.StartAsync();
        var url = unixSocket is not null ? "unix:" + unixSocket : app.Urls.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal);
        backend = new EchoBackend(app, url);
        return backend;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        var headers = request.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? ""))).ToList();
        switch (request.Path.Value)
        {
            case "/ws" when context.WebSockets.IsWebSocketRequest:
                _seen.Enqueue(new SeenRequest(request.Method, request.Path.Value, request.Protocol, headers, [], ""));
                using (var socket = await context.WebSockets.AcceptWebSocketAsync())
                {
                    var buffer = new byte[4096];
                    while (true)
                    {
                        var r = await socket.ReceiveAsync(buffer, context.RequestAborted);
                        if (r.MessageType == WebSocketMessageType.Close)
                        {
                            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", context.RequestAborted);
                            return;
                        }
                        await socket.SendAsync(buffer.AsMemory(0, r.Count), r.MessageType, r.EndOfMessage, context.RequestAborted);
                    }
                }
            case "/stall":
                _seen.Enqueue(new SeenRequest(request.Method, request.Path.Value, request.Protocol, headers, [], ""));
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { });
                return;
            case "/stream":
                _seen.Enqueue(new SeenRequest(request.Method, request.Path.Value, request.Protocol, headers, [], ""));
                context.Response.ContentType = request.ContentType;
                await context.Response.StartAsync();
                await context.Response.Body.FlushAsync(); // the headers leave now, before any of the body
                var chunk = new byte[4096];
                int n;
                while ((n = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
                {
                    await context.Response.Body.WriteAsync(chunk.AsMemory(0, n), context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                }
                return;
        }
        var body = await new StreamReader(request.Body, Encoding.UTF8).ReadToEndAsync();
        var trailers = new List<KeyValuePair<string, string>>();
        if (request.SupportsTrailers() && request.CheckTrailersAvailable())
            foreach (var name in new[] { "X-Client-Subject", "Client-Cert", "X-Forwarded-For", "x_client_subject", "Forwarded" })
                foreach (var value in request.GetTrailer(name))
                    trailers.Add(new(name, value ?? ""));
        _seen.Enqueue(new SeenRequest(request.Method, request.Path.Value ?? "", request.Protocol, headers, trailers, body));
        context.Response.ContentType = "text/plain; charset=utf-8";
        var text = new StringBuilder();
        foreach (var (name, value) in headers) text.Append(name).Append(": ").Append(value).Append('\n');
        foreach (var (name, value) in trailers) text.Append("trailer ").Append(name).Append(": ").Append(value).Append('\n');
        if (body.Length > 0) text.Append("body: ").Append(body).Append('\n');
        await context.Response.WriteAsync(text.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
