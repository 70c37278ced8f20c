using System.Globalization;
using System.Text;
using Mtls.Server;

namespace Mtls.Cli.Commands.Serve;

/// <summary>
/// What `mtls serve` prints: the URL first on stdout, then one line per request or refused client
/// (stdout, for piping into grep or a log file); notices and warnings on stderr.
/// Request lines are written by one background flush, not by the request: under load, many lines go
/// out in one write instead of a write (and a flush) per request; when idle, a line goes out at once.
/// Order is kept, nothing is dropped, and past <see cref="MaxPending"/> characters the request that
/// adds a line writes the backlog itself (backpressure instead of unbounded memory).
/// </summary>
internal sealed class ServeOutput(CliContext ctx)
{
    private const int MaxPending = 1 << 20;

    private readonly Lock _lock = new();       // guards the fields below
    private readonly Lock _writeLock = new();  // one writer of stdout at a time, in order
    private readonly List<ServerLogEntry> _beforeUrl = [];
    private readonly StringBuilder _pending = new();
    private bool _urlPrinted;
    private bool _flushScheduled;

    public void Listening(Uri url)
    {
        lock (_writeLock)
        {
            ctx.Out.WriteLine(url);
            ctx.Out.Flush();
        }
        List<ServerLogEntry> early;
        lock (_lock)
        {
            _urlPrinted = true;
            early = [.. _beforeUrl];
            _beforeUrl.Clear();
        }
        foreach (var entry in early) Write(entry);
    }

    public void Write(ServerLogEntry entry)
    {
        var time = entry.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var client = entry.ClientSubject is null ? "" : $" (client {entry.ClientSubject}; issuer {entry.ClientIssuer}; serial {entry.ClientSerial})";
        switch (entry.Kind)
        {
            case ServerLogKind.Warning:
                Drain();
                ctx.Err.WriteLine($"mtls: warning: {entry.Message}");
                ctx.Err.Flush();
                return;
            case ServerLogKind.Started:
                ctx.Err.WriteLine($"{entry.Message}. Stop with Ctrl+C.");
                ctx.Err.Flush();
                return;
            case ServerLogKind.Stopped:
                Drain();
                ctx.Err.WriteLine("stopped.");
                return;
            case ServerLogKind.Request:
                Emit(entry, $"{time} request {entry.Message}{(entry.ClientSubject is null ? "" : $" (issuer {entry.ClientIssuer}; serial {entry.ClientSerial})")}");
                return;
            case ServerLogKind.Rejected:
                Emit(entry, $"{time} rejected [{entry.Reason}] {entry.Message}{client}");
                return;
            default:
                Emit(entry, $"{time} {entry.Kind.ToString().ToLowerInvariant()} {entry.Message}{client}");
                return;
        }
    }

    /// <summary>Writes every pending line now (before stderr notices, and at the end).</summary>
    public void Drain()
    {
        lock (_writeLock)
        {
            string text;
            lock (_lock)
            {
                if (_pending.Length == 0) return;
                text = _pending.ToString();
                _pending.Clear();
            }
            ctx.Out.Write(text);
            ctx.Out.Flush();
        }
    }

    private void Emit(ServerLogEntry entry, string line)
    {
        bool schedule, overflow;
        lock (_lock)
        {
            // Start-up events come before the URL is known; the URL must stay the first line.
            if (!_urlPrinted) { _beforeUrl.Add(entry); return; }
            _pending.Append(line).Append('\n');
            schedule = !_flushScheduled;
            _flushScheduled = true;
            overflow = _pending.Length > MaxPending;
        }
        if (schedule) ThreadPool.UnsafeQueueUserWorkItem(static self => self.FlushLoop(), this, preferLocal: false);
        if (overflow) Drain();
    }

    private void FlushLoop()
    {
        while (true)
        {
            try { Drain(); }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // stdout is gone (a closed pipe): the server keeps serving; the lines have nowhere to go.
                lock (_lock)
                {
                    _pending.Clear();
                    _flushScheduled = false;
                }
                return;
            }
            lock (_lock)
            {
                if (_pending.Length == 0)
                {
                    _flushScheduled = false;
                    return;
                }
            }
        }
    }
}
