using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Mtls.Server.Proxy;

namespace Mtls.Server.Tests.Proxy;

/// <summary>mtls proxy in process (an <see cref="MtlsServer"/> with <see cref="ProxyOptions"/>) on a free loopback port, its log captured.</summary>
public sealed class RunningProxy : IAsyncDisposable
{
    private readonly ConcurrentQueue<ServerLogEntry> _log = new();

    private RunningProxy() { }

    public MtlsServer Server { get; private set; } = null!;
    public IReadOnlyList<ServerLogEntry> Log => _log.ToList();
    public string Url => $"https://localhost:{Server.Port}/";

    public static async Task<RunningProxy> StartAsync(WorkshopPki pki, ProxyOptions proxy, IReadOnlyList<string>? crls = null,
        string? certFile = null, string? keyFile = null, X509Certificate2? certificate = null)
    {
        var running = new RunningProxy();
        running.Server = await MtlsServer.StartAsync(new MtlsServerOptions
        {
            Certificate = certificate ?? pki.Server,
            ClientCas = [pki.ClientCa.Certificate],
            CrlFiles = crls ?? [],
            CertificateFile = certFile,
            KeyFile = keyFile,
            ReloadInterval = TimeSpan.FromMilliseconds(100),
            Port = 0,
            Bind = [System.Net.IPAddress.Loopback],
            Log = running._log.Enqueue,
            Proxy = proxy,
        });
        return running;
    }

    /// <summary>curl through the proxy, trusting the server CA; <paramref name="client"/> names the key pair's files in the PKI folder (null: no certificate).</summary>
    public ToolResult Curl(WorkshopPki pki, string? client, string path, params string[] args) =>
        Tool.Run("curl", ["-sS", "--max-time", "15", "--cacert", pki["server-ca.crt"],
            .. client is null ? Array.Empty<string>() : ["--cert", pki[client + ".crt"], "--key", pki[client + ".key"]],
            .. args, Url.TrimEnd('/') + path]);

    public async Task<ServerLogEntry> WaitForLogAsync(Func<ServerLogEntry, bool> match)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < until)
        {
            if (_log.FirstOrDefault(match) is { } entry) return entry;
            await Task.Delay(20);
        }
        throw new TimeoutException("the proxy did not log the expected event; log:\n" + string.Join("\n", _log.Select(e => $"{e.Event} {e.Message}")));
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
