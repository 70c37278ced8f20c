using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;

namespace Mtls.Server.Tests;

/// <summary>An <see cref="MtlsServer"/> on a free loopback port with its log captured.</summary>
public sealed class RunningServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<ServerLogEntry> _log = new();

    private RunningServer() { }

    public MtlsServer Server { get; private set; } = null!;
    public IReadOnlyList<ServerLogEntry> Log => _log.ToList();
    public string Url => $"https://localhost:{Server.Port}/";
    public int Port => Server.Port;

    public static Task<RunningServer> StartAsync(X509Certificate2 certificate, params X509Certificate2[] clientCas) =>
        StartInAsync(Pki.Text.Language.English, certificate, clientCas);

    /// <summary>A server whose log and default answers are in <paramref name="language"/>.</summary>
    public static async Task<RunningServer> StartInAsync(System.Globalization.CultureInfo language, X509Certificate2 certificate, params X509Certificate2[] clientCas)
    {
        var running = new RunningServer();
        running.Server = await MtlsServer.StartAsync(new MtlsServerOptions
        {
            Certificate = certificate,
            ClientCas = clientCas,
            Port = 0,
            Language = language,
            Log = running._log.Enqueue,
        });
        return running;
    }

    public ServerLogEntry Single(ServerLogKind kind) => Assert.Single(Log, e => e.Kind == kind);

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
