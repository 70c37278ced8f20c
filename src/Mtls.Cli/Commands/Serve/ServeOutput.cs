using System.Globalization;
using System.Text;
using Mtls.Pki.Text;
using Mtls.Cli.Resources;
using Mtls.Server;

namespace Mtls.Cli.Commands.Serve;

/// <summary>
/// What `mtls serve` prints: the URL first on stdout, then one line per request or refused client
/// (stdout, for piping into grep or a log file); notices and warnings on stderr. Entries marked
/// <see cref="ServerLogEntry.Verbose"/> are printed only with --verbose.
/// Request lines are written by a flusher thread, not by the request: a line that comes after a quiet
/// spell goes out at once, then the flusher waits <see cref="FlushInterval"/> and writes whatever came
/// meanwhile in one write, so a busy server makes about a hundred writes a second, not one per request
/// (and wakes no thread per request: the keep-alive profile, bench/RESULTS.md "Notes on this session's keep-alive work"). Order is kept, nothing
/// is dropped, and past <see cref="MaxPending"/> characters the request that adds a line writes the
/// backlog itself (backpressure instead of unbounded memory).
/// With <see cref="LogFormat.Json"/> every event, warnings and start included, is one JSON object per
/// line on stdout (<see cref="ServerLogJson"/>), and the URL comes as the started event's "url" field
/// rather than a line of its own, so that every line parses.
/// </summary>
internal sealed class ServeOutput(CliContext ctx, bool verbose = false, LogFormat format = LogFormat.Text)
{
    private const int MaxPending = 1 << 20;
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(10);

    private readonly Lock _lock = new();       // guards the fields below
    private readonly Lock _writeLock = new();  // one writer of stdout at a time, in order
    private readonly List<ServerLogEntry> _beforeUrl = [];
    private StringBuilder _pending = new(); // lines not yet handed to stdout
    private StringBuilder _writing = new(); // the batch being written (only under _writeLock); swapped with _pending
    private readonly ManualResetEventSlim _wake = new();
    private bool _urlPrinted;
    private bool _flushScheduled;
    private Thread? _flusher;
    private Stamp? _stamp;
    private Uri? _url;

    /// <summary>A second and its text: lines of the same second share one formatted timestamp.</summary>
    private sealed record Stamp(long Second, string Text);

    public void Listening(Uri url)
    {
        _url = url;
        if (format == LogFormat.Text)
            lock (_writeLock)
            {
                ctx.Out.WriteLine(url);
                ctx.Out.Flush();
            }
        List<ServerLogEntry> early;
        lock (_lock)
        {
            _urlPrinted = true;
            // The started event first: its url is to JSON readers what the URL line is to text readers.
            early = [.. _beforeUrl.OrderBy(e => e.Event != ServerEvent.Started)];
            _beforeUrl.Clear();
        }
        foreach (var entry in early) Write(entry);
    }

    /// <summary>A line of the CLI's own around a server event, in the event's language (flusher and Kestrel threads have no ambient one).</summary>
    private static string Said(string key, ServerLogEntry entry) =>
        Language.Format(Strings.ResourceManager.GetString(key, entry.Language) ?? key, entry.Message);

    public void Write(ServerLogEntry entry)
    {
        if (entry.Verbose && !verbose) return; // detail, printed only with --verbose
        if (format == LogFormat.Json)
        {
            if (entry.Event == ServerEvent.Started && _url is null) Emit(entry); // held until the URL is known
            else Emit(entry, ServerLogJson.Line(entry, entry.Event == ServerEvent.Started ? _url : null));
            return;
        }
        switch (entry.Kind)
        {
            case ServerLogKind.Warning:
                Drain(then: Said(nameof(Strings.Warning_Line), entry));
                return;
            case ServerLogKind.Started:
                ctx.Err.WriteLine(Said(nameof(Strings.Serve_Listening), entry));
                ctx.Err.Flush();
                return;
            case ServerLogKind.Stopped:
                Drain(then: Said(nameof(Strings.Serve_Stopped), entry));
                return;
            case ServerLogKind.Request:
                // The line's parts go straight into the batch: no string per line on the busiest path. These
                // are the English Request_Line of the server's catalogue (ServeOutputTests holds them equal);
                // another language takes the sentence itself, and so does proxy's TCP mode (bytes each way, duration).
                if (!ReferenceEquals(entry.Language, Language.English) || entry.Method == "TCP")
                {
                    Emit(entry, Time(entry.Time), " request ", entry.Message, Issued(entry));
                    return;
                }
                var status = entry.Status == 200 ? "200" : entry.Status?.ToString(CultureInfo.InvariantCulture);
                if (entry.ClientSubject is null)
                    Emit(entry, Time(entry.Time), " request ", entry.Method, " ", entry.Path, " ", status, " from ", entry.Remote, " (no client certificate)");
                else
                    Emit(entry, Time(entry.Time), " request ", entry.Method, " ", entry.Path, " ", status, " from ", entry.Remote,
                        " client ", entry.ClientSubject, " (issuer ", entry.ClientIssuer, "; serial ", entry.ClientSerial, ")");
                return;
            case ServerLogKind.Rejected:
                Emit(entry, $"{Time(entry.Time)} rejected [{entry.Reason}] {entry.Message}{Client(entry)}");
                return;
            case ServerLogKind.IdleTimeout:
                Emit(entry, $"{Time(entry.Time)} idle_timeout {entry.Message}{Issued(entry)}");
                return;
            case ServerLogKind.BackendFailed:
                Emit(entry, $"{Time(entry.Time)} backend_failed {entry.Status} [{entry.Reason}] {entry.Message}{Client(entry)}");
                return;
            default:
                // The event's own name (plain_http, handshake_failed, as in JSON and README's table); every
                // warning-like event is one keyword, "warning", for a grep.
                Emit(entry, $"{Time(entry.Time)} {(entry.Kind == ServerLogKind.Warning ? "warning" : ServerEvents.Name(entry.Event))} {entry.Message}{Client(entry)}");
                return;
        }
    }

    private static string Issued(ServerLogEntry entry) =>
        entry.ClientSubject is null ? "" : $" (issuer {entry.ClientIssuer}; serial {entry.ClientSerial})";

    private static string Client(ServerLogEntry entry) =>
        entry.ClientSubject is null ? "" : $" (client {entry.ClientSubject}; issuer {entry.ClientIssuer}; serial {entry.ClientSerial})";

    private string Time(DateTimeOffset time)
    {
        var second = time.UtcTicks / TimeSpan.TicksPerSecond;
        var stamp = _stamp;
        if (stamp is not null && stamp.Second == second) return stamp.Text;
        stamp = new Stamp(second, time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        _stamp = stamp;
        return stamp.Text;
    }

    /// <summary>
    /// Writes every pending line now (at the end, and before a stderr notice: <paramref name="then"/>,
    /// written before the write lock is let go, so that no line queued after it can go out before it).
    /// </summary>
    /// <remarks>
    /// The batch is written chunk by chunk from its builder, never copied into one string: at 20,000
    /// requests a second a 10 ms batch is ~90 KB, and a string that size is a large-object allocation,
    /// a hundred times a second.
    /// </remarks>
    public void Drain(string? then = null)
    {
        lock (_writeLock)
        {
            bool any;
            lock (_lock)
            {
                any = _pending.Length > 0;
                if (any) (_pending, _writing) = (_writing, _pending);
            }
            if (any)
            {
                try
                {
                    foreach (var chunk in _writing.GetChunks())
                        ctx.Out.Write(chunk.Span);
                    ctx.Out.Flush();
                }
                finally
                {
                    _writing.Clear();
                }
            }
            if (then is not null)
            {
                ctx.Err.WriteLine(then);
                ctx.Err.Flush();
            }
        }
    }

    private void Emit(ServerLogEntry entry, params ReadOnlySpan<string?> parts)
    {
        bool wake, overflow;
        lock (_lock)
        {
            // Start-up events come before the URL is known; the URL must stay the first line.
            if (!_urlPrinted) { _beforeUrl.Add(entry); return; }
            foreach (var part in parts) _pending.Append(part);
            _pending.Append('\n');
            wake = !_flushScheduled;
            _flushScheduled = true;
            overflow = _pending.Length > MaxPending;
            if (wake && _flusher is null)
            {
                _flusher = new Thread(FlushLoop) { IsBackground = true, Name = "mtls serve output" };
                _flusher.Start();
            }
        }
        if (wake) _wake.Set();
        if (overflow) Drain();
    }

    private void FlushLoop()
    {
        while (true)
        {
            _wake.Wait();
            try { Drain(); }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // stdout is gone (a closed pipe): the server keeps serving; the lines have nowhere to go.
                lock (_lock) _pending.Clear();
            }
            Thread.Sleep(FlushInterval); // lines that come meanwhile go out together
            lock (_lock)
            {
                if (_pending.Length > 0) continue;
                _flushScheduled = false;
                _wake.Reset();
            }
        }
    }
}
