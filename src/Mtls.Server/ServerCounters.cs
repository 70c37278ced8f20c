using System.Collections.Concurrent;

namespace Mtls.Server;

/// <summary>
/// What the server has done since it started, counted as it happens, for mtls proxy's /_metrics: every
/// logged event by id (requests, refusals, reloads...), refusals by reason, backend errors by kind, and
/// completed handshakes. An Interlocked increment per event; the by-reason tables are touched only by
/// refusals and errors, never by a request that succeeds.
/// </summary>
internal sealed class ServerCounters
{
    private readonly long[] _events = new long[64];
    private long _handshakes;

    /// <summary>Refusals by reason (FailureReason names, NotAllowed, PlainHttp).</summary>
    public ConcurrentDictionary<string, long> Refusals { get; } = new(StringComparer.Ordinal);

    /// <summary>Backend failures by kind (YARP's ForwarderError names).</summary>
    public ConcurrentDictionary<string, long> BackendErrors { get; } = new(StringComparer.Ordinal);

    /// <summary>TLS handshakes that completed (a client certificate accepted or not).</summary>
    public long Handshakes => Interlocked.Read(ref _handshakes);

    public long Count(ServerEvent e) => Interlocked.Read(ref _events[(int)e]);

    public void Handshake() => Interlocked.Increment(ref _handshakes);

    public void Add(ServerEvent e, string? reason)
    {
        Interlocked.Increment(ref _events[(int)e]);
        switch (e)
        {
            case ServerEvent.Rejected or ServerEvent.NotAllowed:
                Refusals.AddOrUpdate(reason ?? "Unknown", 1, static (_, n) => n + 1);
                break;
            case ServerEvent.PlainHttp:
                Refusals.AddOrUpdate("PlainHttp", 1, static (_, n) => n + 1);
                break;
            case ServerEvent.BackendFailed:
                BackendErrors.AddOrUpdate(reason ?? "Unknown", 1, static (_, n) => n + 1);
                break;
        }
    }
}
