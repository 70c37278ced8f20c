using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using TcpIdleResources = Mtls.Server.Resources.TcpIdle;
using TcpResources = Mtls.Server.Resources.Tcp;

namespace Mtls.Server.Proxy;

/// <summary>
/// mtls proxy's TCP mode (<c>--target tcp://HOST:PORT</c>): Kestrel's terminal connection handler, placed
/// after UseHttps and <see cref="ConnectionFacts.Middleware"/>, so the handshake, the gate, CRL reloads,
/// limits and the log are serve's. A client the gate or the allow rules refuse is closed with a log line
/// before the backend is contacted; otherwise the backend gets (optionally) a PROXY v2 header, then the
/// client's bytes, and the client gets the backend's: both directions at once, through the pipes' pooled
/// memory, with half-close carried across (the client's close_notify or FIN becomes a FIN to the backend;
/// the backend's FIN becomes a close_notify to the client) until both directions are done, or until no byte
/// has moved either way for the idle timeout (<see cref="ProxyOptions.IdleTimeout"/>, its own log event).
/// </summary>
internal sealed class TcpTunnel(ProxyOptions options, AllowRules rules, BackendTarget target, ClientCertificateGate gate, ServerLog log)
{
    private const int ReceiveSize = 64 * 1024;

    public async Task RunAsync(ConnectionContext connection)
    {
        var facts = connection.Features.Get<ConnectionFacts>()!;
        if (gate.Refusal(facts) is { } failure)
        {
            log.Write(ServerEvent.Rejected, Say(nameof(TcpResources.Tcp_Refused), facts.Remote, failure.MessageIn(log.Culture)),
                facts.Client, facts.Remote, "TCP", reason: failure.Reason.ToString());
            return;
        }
        var leaf = facts.Verdict!.Leaf;
        var allow = rules.Evaluate(leaf);
        if (!allow.Allowed)
        {
            log.Write(ServerEvent.NotAllowed, Say(nameof(TcpResources.Tcp_Refused), facts.Remote,
                    ProxyText.Format(nameof(Resources.Proxy.NotAllowed_Log), log.Culture, facts.Client!.Subject, AllowSummary.Describe(rules.List, log.Culture))),
                facts.Client, facts.Remote, "TCP", reason: "NotAllowed");
            return;
        }

        var started = Stopwatch.GetTimestamp();
        using var backend = new Socket(target.EndPoint is IPEndPoint ip ? ip.AddressFamily : AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
        if (target.EndPoint is not IPEndPoint) backend.DualMode = true;
        backend.NoDelay = true;
        try
        {
            using var connect = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
            connect.CancelAfter(options.BackendTimeout);
            await backend.ConnectAsync(target.EndPoint, connect.Token);
            if (options.ProxyProtocol)
            {
                var header = ProxyProtocolV2.Build((IPEndPoint)connection.RemoteEndPoint!, (IPEndPoint)connection.LocalEndPoint!,
                    connection.Features.Get<ITlsHandshakeFeature>()?.Protocol ?? default, leaf, facts.Client!.Subject);
                await backend.SendAsync(header, SocketFlags.None, connect.Token);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            var cause = e is SocketException ? e.Message : ProxyText.Format(nameof(Resources.Proxy.Status_NoConnectionWithin), log.Culture, ProxyText.Seconds(options.BackendTimeout));
            log.Write(ServerEvent.BackendFailed, Say(nameof(TcpResources.Tcp_BackendFailed), facts.Remote, target.Display, cause),
                facts.Client, facts.Remote, "TCP", reason: e is SocketException s ? s.SocketErrorCode.ToString() : "Timeout");
            return;
        }

        var up = 0L;
        var down = 0L;
        var tls = connection.Features.Get<ISslStreamFeature>()?.SslStream;
        var activity = new IdleWatch();
        var upload = Task.Run(async () => up = await ClientToBackendAsync(connection.Transport.Input, backend, activity));
        var download = Task.Run(async () => down = await BackendToClientAsync(backend, connection.Transport.Output, tls, activity));
        using var finished = new CancellationTokenSource();
        var idleTimeout = options.TcpIdleTimeout;
        var idle = idleTimeout > TimeSpan.Zero ? activity.WaitIdleAsync(idleTimeout, finished.Token) : null;
        string? broken = null;
        var idled = false;
        try
        {
            var pending = idle is null ? new List<Task> { upload, download } : [upload, download, idle];
            while (!(upload.IsCompleted && download.IsCompleted))
            {
                var first = await Task.WhenAny(pending);
                pending.Remove(first);
                if (first == idle)
                {
                    if (!await idle) continue;
                    // Idle: end both directions as a close would (the backend's half and the client's pending read
                    // and write), so the client gets its close_notify; whatever fails after that is the closing.
                    idled = true;
                    connection.Transport.Input.CancelPendingRead();
                    connection.Transport.Output.CancelPendingFlush();
                    try { backend.Shutdown(SocketShutdown.Both); }
                    catch (SocketException) { /* already gone */ }
                }
                else if (first.IsFaulted && !idled && broken is null)
                {
                    // Either direction failing (a reset, an abort) ends both: the other side is closed under it.
                    broken = first.Exception!.GetBaseException().Message;
                    connection.Abort(new ConnectionAbortedException(broken));
                    backend.Close(0);
                }
            }
            await Task.WhenAll(upload, download);
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException
            or ConnectionAbortedException)
        {
            if (!idled) broken ??= e.Message;
            connection.Abort(new ConnectionAbortedException(broken ?? e.Message));
        }
        finally
        {
            await finished.CancelAsync();
        }
        var duration = Stopwatch.GetElapsedTime(started);
        if (idled)
        {
            log.Write(ServerEvent.IdleTimeout, Pki.Text.Language.Format(TcpIdleResources.ResourceManager.GetString(nameof(TcpIdleResources.Tcp_Idle), log.Culture)!,
                    facts.Remote, facts.Client!.Subject, ProxyText.Seconds(idleTimeout), Volatile.Read(ref up), Volatile.Read(ref down), ProxyText.Seconds(duration)),
                facts.Client, facts.Remote, "TCP", target.Display, reason: "IdleTimeout");
            return;
        }
        log.Write(ServerEvent.Request, Say(broken is null ? nameof(TcpResources.Tcp_Done) : nameof(TcpResources.Tcp_Broken), facts.Remote, facts.Client!.Subject,
                Volatile.Read(ref up), Volatile.Read(ref down), ProxyText.Seconds(duration), broken),
            facts.Client, facts.Remote, "TCP", target.Display, reason: broken is null ? null : "Broken");
    }

    /// <summary>Client to backend until the client ends its sending half, which then ends the backend's receiving one (FIN).</summary>
    private static async Task<long> ClientToBackendAsync(PipeReader input, Socket backend, IdleWatch activity)
    {
        long total = 0;
        while (true)
        {
            var result = await input.ReadAsync();
            var buffer = result.Buffer;
            if (!buffer.IsEmpty) activity.Touch();
            foreach (var segment in buffer)
            {
                for (var sent = 0; sent < segment.Length;)
                    sent += await backend.SendAsync(segment[sent..], SocketFlags.None);
                total += segment.Length;
            }
            if (!buffer.IsEmpty) activity.Touch(); // sent: a backend slow to take the bytes is not an idle tunnel
            input.AdvanceTo(buffer.End);
            if (result.IsCompleted || result.IsCanceled) break;
        }
        await input.CompleteAsync();
        backend.Shutdown(SocketShutdown.Send);
        return total;
    }

    /// <summary>Backend to client until the backend's FIN, which becomes the client's close_notify (its receiving half ends; it may still send).</summary>
    private static async Task<long> BackendToClientAsync(Socket backend, PipeWriter output, System.Net.Security.SslStream? tls, IdleWatch activity)
    {
        long total = 0;
        while (true)
        {
            var memory = output.GetMemory(ReceiveSize);
            int n;
            try { n = await backend.ReceiveAsync(memory, SocketFlags.None); }
            catch (SocketException) when (activity.Expired) { n = 0; } // closed for idleness: bytes the backend sends now get a reset
            if (n == 0) break;
            activity.Touch();
            output.Advance(n);
            total += n;
            var flush = await output.FlushAsync();
            if (flush.IsCompleted || flush.IsCanceled) throw new IOException("the client stopped reading");
            activity.Touch();
        }
        await output.CompleteAsync();
        if (tls is not null) await tls.ShutdownAsync();
        return total;
    }

    private string Say(string key, params object?[] facts) => Pki.Text.Language.Format(
        TcpResources.ResourceManager.GetString(key, log.Culture) ?? throw new InvalidOperationException($"no tcp text {key}"), facts);
}
