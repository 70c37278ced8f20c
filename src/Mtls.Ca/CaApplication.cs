using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mtls.Ca;

/// <summary>
/// The online CA (`mtls ca serve`): an HTTPS application over the CA's signing and inventory. The core
/// endpoints (<see cref="CoreEndpoints"/>: /health, /roots.pem, /intermediates.pem, /crl, /v1/enroll,
/// /v1/renew) and every <see cref="CaServerOptions.Endpoints"/> set (ACME) share one Kestrel listener
/// whose certificate the CA issues to itself (<see cref="CaTls"/>). Slim builder and RequestDelegate
/// handlers: Native AOT. Start with <see cref="StartAsync"/>; it is listening when that returns.
/// </summary>
public sealed class CaApplication : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CaTls _tls;
    private int _stopped;

    private CaApplication(WebApplication app, CaTls tls, CaContext context, int port, Uri url)
    {
        _app = app;
        _tls = tls;
        Context = context;
        Port = port;
        Url = url;
    }

    public CaContext Context { get; }

    /// <summary>The port listened on (the chosen one when the options said 0).</summary>
    public int Port { get; }

    /// <summary>The URL clients use (https://localhost:PORT/ on loopback).</summary>
    public Uri Url { get; }

    /// <summary>The CA's own TLS certificate being served now.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2 TlsCertificate => _tls.Certificate;

    /// <summary>Renews the CA's own TLS certificate at once (what the timer does at 2/3 of its life).</summary>
    internal void RenewTlsCertificateNow() => _tls.RenewNow();

    public static async Task<CaApplication> StartAsync(CaServerOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var context = new CaContext(options);
        CaTls tls;
        try
        {
            tls = new CaTls(context);
        }
        catch (CaRefusal refusal)
        {
            // The CA cannot issue its own certificate (it has expired): said as the one error line.
            throw Pki.MtlsException.Refused(refusal.Detail);
        }
        var binds = options.Bind.Distinct().ToList();
        // Port 0 on several addresses: one free port chosen on the first, used for all.
        var port = options.Port == 0 && binds.Count > 1 ? FreePort(binds[0]) : options.Port;
        var app = Build(context, tls, binds, port);
        try
        {
            await app.StartAsync(ct);
        }
        catch
        {
            tls.Dispose();
            await app.DisposeAsync();
            throw;
        }
        var actual = port != 0 ? port : BoundPort(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>());
        var host = binds.All(b => IPAddress.IsLoopback(b) || b.Equals(IPAddress.Any) || b.Equals(IPAddress.IPv6Any)) ? "localhost"
            : binds[0].AddressFamily == AddressFamily.InterNetworkV6 ? $"[{binds[0]}]" : binds[0].ToString();
        return new CaApplication(app, tls, context, actual, new Uri($"https://{host}:{actual}/"));
    }

    private static WebApplication Build(CaContext context, CaTls tls, IReadOnlyList<IPAddress> binds, int port)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = "mtls-ca",
            ContentRootPath = AppContext.BaseDirectory, // an appsettings.json where the user stands cannot reconfigure the CA
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders(); // the CA's events go through CaServerOptions.Log
        builder.Services.AddSingleton<IHostLifetime, CallerOwnedLifetime>();
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 64 * 1024; // a CSR in JSON is a few KB
            foreach (var address in binds)
                kestrel.Listen(address, port, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1;
                    listen.UseHttps(new TlsHandshakeCallbackOptions
                    {
                        HandshakeTimeout = TimeSpan.FromSeconds(10),
                        OnConnection = _ => ValueTask.FromResult(tls.CreateOptions()),
                    });
                });
        });
        var app = builder.Build();
        CoreEndpoints.Map(app, context);
        foreach (var endpoints in context.Options.Endpoints)
            endpoints.Map(app, context);
        return app;
    }

    private static int FreePort(IPAddress address)
    {
        using var probe = new TcpListener(address, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static int BoundPort(IServerAddressesFeature? addresses)
    {
        foreach (var address in addresses?.Addresses ?? [])
            if (Uri.TryCreate(address.Replace("*", "localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri) && uri.Port > 0)
                return uri.Port;
        throw new InvalidOperationException("Kestrel did not report the port it chose");
    }

    /// <summary>Stops accepting connections and lets requests in flight finish (up to 5 s).</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        _tls.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Runs until <paramref name="ct"/> is cancelled (SIGTERM, Ctrl+C), then stops gracefully.</summary>
    public async Task WaitForShutdownAsync(CancellationToken ct)
    {
        try { await Task.Delay(Timeout.Infinite, ct); }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        await StopAsync();
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private sealed class CallerOwnedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
