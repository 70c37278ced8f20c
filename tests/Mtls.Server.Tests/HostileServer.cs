using System.Collections.Concurrent;
using System.Net.Sockets;
using Mtls.Client;

namespace Mtls.Server.Tests;

/// <summary>
/// An mTLS server for hostile-client tests: short handshake timeout, a connection limit, its log
/// captured, and a good client (<see cref="AssertGoodClientServedAsync"/>) to prove it still serves.
/// </summary>
public sealed class HostileServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<ServerLogEntry> _log = new();
    private readonly SemaphoreSlim _logged = new(0);
    private readonly WorkshopPki _pki;

    private HostileServer(WorkshopPki pki) => _pki = pki;

    public MtlsServer Server { get; private set; } = null!;
    public int Port => Server.Port;
    public IReadOnlyList<ServerLogEntry> Log => _log.ToList();

    public static async Task<HostileServer> StartAsync(WorkshopPki pki, TimeSpan? handshakeTimeout = null, int? maxConnections = 1000)
    {
        var running = new HostileServer(pki);
        running.Server = await MtlsServer.StartAsync(new MtlsServerOptions
        {
            Certificate = pki.Server,
            ClientCas = [pki.ClientCa.Certificate],
            Port = 0,
            Bind = [System.Net.IPAddress.Loopback],
            HandshakeTimeout = handshakeTimeout ?? TimeSpan.FromSeconds(5), // short enough for tests, long enough for a loaded CI machine
            MaxConnections = maxConnections,
            Log = entry => { running._log.Enqueue(entry); running._logged.Release(); },
        });
        return running;
    }

    /// <summary>A good mTLS client gets 200 (retried briefly: a slot may still be held by a hostile socket).</summary>
    public async Task AssertGoodClientServedAsync(string? accept = null)
    {
        GetResult? result = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            result = await GetAsync(_pki.Client, accept);
            if (result.Success) return;
            await Task.Delay(TimeSpan.FromMilliseconds(200 * (attempt + 1)));
        }
        Assert.Fail($"a good client was not served: {result?.Failure?.Message} (status {result?.StatusCode})");
    }

    public Task<GetResult> GetAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 client, string? accept = null) =>
        MtlsClient.GetAsync(new Uri($"https://localhost:{Port}/"), new MtlsClientOptions
        {
            TrustedCas = [_pki.ServerCa.Certificate],
            ClientCertificate = client,
            Accept = accept ?? "text/plain",
            Timeout = TimeSpan.FromSeconds(10),
        });

    public async Task<Socket> ConnectAsync()
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(System.Net.IPAddress.Loopback, Port);
        return socket;
    }

    /// <summary>Waits (up to 15 s) until the server has logged an entry that matches; returns it.</summary>
    public async Task<ServerLogEntry> WaitForLogAsync(Func<ServerLogEntry, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            if (_log.FirstOrDefault(match) is { } found) return found;
            try { await _logged.WaitAsync(timeout.Token); }
            catch (OperationCanceledException) { Assert.Fail("expected log entry not written; log: " + string.Join(" | ", _log.Select(e => e.Message))); }
        }
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
