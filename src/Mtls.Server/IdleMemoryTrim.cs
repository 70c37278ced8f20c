namespace Mtls.Server;

/// <summary>
/// Gives memory back to the system once the server has gone idle after a load. Nothing leaks per
/// connection (bench/RESULTS.md, "Memory: soak RSS growth and the handshake RSS target"), but after a burst the process keeps what the burst
/// made it hold: the GC keeps its committed regions (the gen0 budget the burst grew into) and glibc keeps
/// freed blocks in its per-thread arenas (OpenSSL's handshake allocations). Both are reused by the next
/// burst, yet an idle server looked as if it leaked and held 30-40 MB it did not need. When no connection
/// opened or closed and no request ran for a whole <see cref="MtlsServerOptions.IdleMemoryTrim"/> period
/// (and something happened since the last trim), one aggressive full GC (compacts and decommits) and
/// glibc's malloc_trim run: a few milliseconds, once per idle spell, never under load.
/// </summary>
internal sealed partial class IdleMemoryTrim : IDisposable
{
    private readonly ITimer _timer;
    private readonly Lock _lock = new();
    private long _activity; // connections opened and closed, requests served
    private long _seen;     // _activity at the previous tick
    private long _trimmed;  // _activity at the last trim

    public IdleMemoryTrim(TimeSpan period, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        _timer = time.CreateTimer(_ => Tick(), null, period, period);
    }

    /// <summary>Trims done so far (tests).</summary>
    public int Trims { get; private set; }

    /// <summary>Something happened: a connection opened or closed, a request ran.</summary>
    public void Touch() => Interlocked.Increment(ref _activity);

    /// <summary>Connection middleware: a connection counts as activity when it opens and when it closes.</summary>
    public Func<Microsoft.AspNetCore.Connections.ConnectionDelegate, Microsoft.AspNetCore.Connections.ConnectionDelegate> Middleware() => next => async connection =>
    {
        Touch();
        try { await next(connection); }
        finally { Touch(); }
    };

    internal void Tick()
    {
        lock (_lock)
        {
            var now = Interlocked.Read(ref _activity);
            var busy = now != _seen;
            _seen = now;
            if (busy || now == _trimmed) return;
            _trimmed = now;
            Trims++;
        }
        Trim();
    }

    /// <summary>An aggressive full GC (compacting, decommits free regions), then glibc's malloc_trim.</summary>
    public static void Trim()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        TrimNativeHeap();
    }

    public void Dispose() => _timer.Dispose();
}
