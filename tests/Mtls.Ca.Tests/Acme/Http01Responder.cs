using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mtls.Ca.Tests.Acme;

/// <summary>A plain-HTTP server on a loopback port answering /.well-known/acme-challenge/TOKEN with what a test put there.</summary>
public sealed class Http01Responder : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Http01Responder(WebApplication app, int port, ConcurrentDictionary<string, string> answers)
    {
        _app = app;
        Port = port;
        Answers = answers;
    }

    public int Port { get; }
    public ConcurrentDictionary<string, string> Answers { get; }

    public static async Task<Http01Responder> StartAsync()
    {
        var answers = new ConcurrentDictionary<string, string>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapGet("/.well-known/acme-challenge/{token}", new RequestDelegate(async http =>
        {
            if (answers.TryGetValue(http.Request.RouteValues["token"] as string ?? "", out var answer))
                await http.Response.WriteAsync(answer);
            else
                http.Response.StatusCode = 404;
        }));
        await app.StartAsync();
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        return new Http01Responder(app, port, answers);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
