using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mtls.Server.Proxy;
using Yarp.ReverseProxy.Forwarder;

namespace Mtls.Server;

/// <summary>
/// An HTTPS server, with client-certificate authentication when <see cref="MtlsServerOptions.ClientCas"/>
/// is given, that answers every request with who the client is (Kestrel underneath). Start it with
/// <see cref="StartAsync"/>; it is listening when that returns.
/// </summary>
public sealed class MtlsServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ServerLog _log;
    private readonly FileWatch? _watch;
    private readonly ClientCertificateGate? _gate;
    private readonly IdleMemoryTrim? _trim;
    private readonly BackendTarget? _target;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _stopping;

    private MtlsServer(WebApplication app, ServerLog log, ClientCertificateGate? gate, IdleMemoryTrim? trim, int port, IReadOnlyList<Uri> urls, FileWatch? watch,
        BackendTarget? target, Uri? statusUrl)
    {
        _target = target;
        StatusUrl = statusUrl;
        _app = app;
        _trim = trim;
        _log = log;
        _gate = gate;
        _watch = watch;
        Port = port;
        Urls = urls;
    }

    /// <summary>URLs clients can use (loopback addresses are shown as localhost).</summary>
    public IReadOnlyList<Uri> Urls { get; }

    /// <summary>The port listened on (the chosen one when the options said 0).</summary>
    public int Port { get; }

    /// <summary>mtls proxy's status listener (/_status, /_metrics), when <see cref="ProxyOptions.Status"/> was given.</summary>
    public Uri? StatusUrl { get; }

    public static async Task<MtlsServer> StartAsync(MtlsServerOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var log = new ServerLog(options.Log, TimeProvider.System, options.Language);
        var binds = Listening.Usable(options.Bind, log);
        var revocation = options.CrlFiles.Count > 0 ? RevocationState.Load(options, log, DateTimeOffset.UtcNow) : null;
        var gate = options.RequiresClientCertificate
            ? new ClientCertificateGate(options.ClientCas, log, revocation, options.AcceptStaleCrls, options.ClientCertificateCacheSize, options.Time)
            : null;
        var tls = new ServerTls(options, gate); // the certificate context, built once
        var target = options.Proxy is { } proxy ? BackendTarget.Parse(proxy.Target)! : null; // valid: options.Validate()
        target?.Open(options.Proxy!.BackendTimeout);
        var status = options.Proxy?.Status is { } wanted && wanted.Port == 0 ? new IPEndPoint(wanted.Address, Listening.FreePort(wanted.Address)) : options.Proxy?.Status;
        var trim = options.IdleMemoryTrim > TimeSpan.Zero ? new IdleMemoryTrim(options.IdleMemoryTrim, TimeProvider.System) : null;
        foreach (var warning in ServerTls.Warnings(options.Certificate, DateTimeOffset.UtcNow, log.Culture))
            log.Write(ServerEvent.Warning, warning);
        foreach (var warning in ServerTls.ExpiryWarnings(options.Certificate, options.ClientCas, DateTimeOffset.UtcNow, log.Culture))
            log.Write(ServerEvent.ExpiryWarning, warning);

        // Port 0 with several addresses: pick a free port on the first and bind all to it; another
        // process may take it in between, so try again a few times.
        for (var attempt = 1; ; attempt++)
        {
            var port = options.Port != 0 || binds.Count == 1 ? options.Port : Listening.FreePort(binds[0]);
            var app = Build(options, binds, port, tls, gate, trim, log, target, status);
            try
            {
                await app.StartAsync(ct);
            }
            catch (IOException e) when (options.Port == 0 && binds.Count > 1 && attempt < 5 && e.InnerException is AddressInUseException)
            {
                await app.DisposeAsync();
                continue;
            }
            catch (Exception e)
            {
                await app.DisposeAsync();
                trim?.Dispose();
                target?.Dispose();
                if (Listening.Failure(e, binds, port, log) is { } failure) throw failure;
                throw;
            }
            var actual = Listening.BoundPort(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>(), port);
            var urls = Listening.Urls(binds, actual);
            var endpoints = string.Join(", ", binds.Select(b => new IPEndPoint(b, actual)));
            log.Write(ServerEvent.Started, gate is null
                ? log.Say(nameof(Resources.Strings.Started_NotRequested), endpoints)
                : options.Proxy is { } forwarding
                ? ProxyText.Format(nameof(Resources.Proxy.Started_Proxy), log.Culture, endpoints, gate.AcceptedIssuers, forwarding.Target,
                    AllowSummary.Describe(forwarding.Allow, log.Culture))
                : log.Say(nameof(Resources.Strings.Started_Required), endpoints, gate.AcceptedIssuers));
            var statusUrl = status is null ? null : new Uri($"http://{new IPEndPoint(status.Address, status.Port)}/_status");
            return new MtlsServer(app, log, gate, trim, actual, urls, Watch(options, tls, gate, revocation, log), target, statusUrl);
        }
    }

    private static WebApplication Build(MtlsServerOptions options, IReadOnlyList<IPAddress> binds, int port, ServerTls tls,
        ClientCertificateGate? gate, IdleMemoryTrim? trim, ServerLog log, BackendTarget? target, IPEndPoint? status)
    {
        // Slim builder: Native AOT friendly. Content root is our own folder so that an appsettings.json
        // in the user's current directory cannot reconfigure the server.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = "mtls",
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders(); // events reach the caller through MtlsServerOptions.Log
        builder.Logging.AddProvider(new HandshakeFailures(log)); // Kestrel's handshake failures, and nothing else
        builder.Logging.AddFilter(HandshakeFailures.Category, LogLevel.Debug);
        // The caller owns Ctrl+C/SIGTERM (the CLI stops us; the workshop embeds us).
        builder.Services.AddSingleton<IHostLifetime, CallerOwnedLifetime>();
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(1));
        if (target is not null && !target.IsTcp) builder.Services.AddHttpForwarder();
        var tunnel = target is { IsTcp: true } ? new TcpTunnel(options.Proxy!, new AllowRules(options.Proxy!.Allow), target, gate!, log) : null;
        if (options.Proxy is { InlineScheduling: true }) builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            ConnectionLimits.Apply(kestrel.Limits, options);
            foreach (var address in binds)
                kestrel.Listen(address, port, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    if (trim is not null) listen.Use(trim.Middleware());
                    listen.Use(PlainHttpDetector.Create(options.HandshakeTimeout, log));
                    listen.Use(RenegotiationGuard.Create(log, TlsCipherSuites.EnforcedByOpenSslConfiguration));
                    listen.Use(HandshakeFailures.Track());
                    listen.UseHttps(new TlsHandshakeCallbackOptions
                    {
                        HandshakeTimeout = options.HandshakeTimeout,
                        OnConnection = _ => ValueTask.FromResult(tls.CreateOptions()),
                    });
                    listen.Use(HandshakeFailures.Untrack());
                    listen.Use(RenegotiationGuard.AfterHandshake());
                    listen.Use(TlsClose.Middleware());
                    listen.Use(ConnectionFacts.Middleware(gate, log.Counters));
                    if (tunnel is not null) listen.Run(tunnel.RunAsync); // TCP mode: bytes both ways, Kestrel's HTTP never runs
                });
            // mtls proxy's status listener: plain HTTP, no facts middleware (RequestPipeline tells it by that).
            if (status is not null) kestrel.Listen(status, listen => listen.Protocols = HttpProtocols.Http1);
        });
        var app = builder.Build();
        var application = target is null || target.IsTcp ? null
            : new ProxyApplication(options.Proxy!, new AllowRules(options.Proxy!.Allow), target, app.Services.GetRequiredService<IHttpForwarder>(), log);
        var statusEndpoint = target is not null && status is not null ? new StatusEndpoint(target, options.Proxy!, log) : null;
        app.Run(new RequestPipeline(gate, trim, log, application, statusEndpoint).InvokeAsync);
        return app;
    }

    /// <summary>Reloads changed CRLs and the server's own certificate and key; repeats expiry warnings daily.</summary>
    private static FileWatch Watch(MtlsServerOptions options, ServerTls tls, ClientCertificateGate? gate, RevocationState? revocation, ServerLog log)
    {
        var watches = new List<(IReadOnlyList<string>, Action)>();
        if (revocation is not null)
            watches.Add((revocation.Files, () =>
            {
                revocation.Reload(DateTimeOffset.UtcNow);
                gate?.Cache.Clear(); // after the swap: a verdict made under the old CRLs is never kept (see ValidationCache)
            }));
        if (options.CertificateFile is { } certFile && options.KeyFile is { } keyFile)
            watches.Add(([certFile, keyFile], () =>
            {
                try
                {
                    var (leaf, chain) = Pki.Certificates.CertificateFile.LoadWithKey(certFile, keyFile, options.KeyPassword);
                    tls.Reload(leaf, chain.Count > 0 ? chain : options.Chain);
                    log.Write(ServerEvent.Reloaded, log.Say(nameof(Resources.Strings.Reload_Certificate), certFile, Pki.Trust.ChainVerifier.Subject(leaf),
                        ServerLog.Serial(leaf), ServerLog.Minute(leaf.NotAfter)));
                    foreach (var warning in ServerTls.Warnings(leaf, DateTimeOffset.UtcNow, log.Culture))
                        log.Write(ServerEvent.Warning, warning);
                }
                catch (Exception e) when (e is Pki.MtlsException or IOException or System.Security.Cryptography.CryptographicException)
                {
                    // Half-replaced files (the certificate written, the key not yet) land here: keep serving the old pair.
                    log.Write(ServerEvent.ReloadFailed, log.Say(nameof(Resources.Strings.Reload_CertificateFailed), e.Message));
                }
            }));
        return new FileWatch(options.ReloadInterval, watches, () =>
        {
            foreach (var warning in ServerTls.ExpiryWarnings(tls.Certificate, options.ClientCas, DateTimeOffset.UtcNow, log.Culture))
                log.Write(ServerEvent.ExpiryWarning, warning);
        }, TimeProvider.System);
    }

    /// <summary>Client certificates remembered as valid (0 without client authentication).</summary>
    public int CachedClientCertificates => _gate?.Cache.Count ?? 0;

    /// <summary>
    /// Forgets every remembered client certificate verdict, so the next handshake of each client is
    /// validated in full. Call it when the trust inputs change (a CRL reload, new CAs).
    /// </summary>
    public void ClearClientCertificateCache() => _gate?.Cache.Clear();

    /// <summary>Stops accepting connections and lets requests in flight finish (up to 1 s).</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopping, 1) == 1)
        {
            await _stopped.Task;
            return;
        }
        try
        {
            if (_watch is not null) await _watch.DisposeAsync();
            _trim?.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
            _target?.Dispose();
        }
        finally
        {
            _log.Write(ServerEvent.Stopped, _log.Say(nameof(Resources.Strings.Stopped)));
            _stopped.TrySetResult();
        }
    }

    /// <summary>
    /// Waits until <paramref name="ct"/> is cancelled (Ctrl+C, SIGTERM) or <see cref="StopAsync"/> is
    /// called, then stops gracefully. Returns normally in both cases.
    /// </summary>
    public async Task WaitForShutdownAsync(CancellationToken ct)
    {
        try { await _stopped.Task.WaitAsync(ct); }
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
