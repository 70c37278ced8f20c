using System.Diagnostics;

namespace Mtls.Server.Proxy;

/// <summary>
/// When a TCP tunnel last moved a byte, either way (<see cref="Touch"/>, a timestamp write per chunk copied),
/// and a wait that ends when it has been idle for the timeout: one timer per tunnel that sleeps until the
/// earliest moment the tunnel could be idle, rather than a timer reset per chunk.
/// </summary>
internal sealed class IdleWatch
{
    private long _last = Stopwatch.GetTimestamp();
    private volatile bool _expired;

    /// <summary>The wait ended in idleness: the tunnel is being closed for it.</summary>
    public bool Expired => _expired;

    public void Touch() => Volatile.Write(ref _last, Stopwatch.GetTimestamp());

    /// <summary>True once nothing has moved for <paramref name="timeout"/>; false when <paramref name="stop"/> is cancelled first.</summary>
    public async Task<bool> WaitIdleAsync(TimeSpan timeout, CancellationToken stop)
    {
        while (true)
        {
            var idle = Stopwatch.GetElapsedTime(Volatile.Read(ref _last));
            if (idle >= timeout) return _expired = true;
            try { await Task.Delay(timeout - idle, stop); }
            catch (OperationCanceledException) { return false; }
        }
    }
}
