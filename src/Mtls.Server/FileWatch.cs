namespace Mtls.Server;

/// <summary>
/// Polls files for changes (modification time and length) and runs an action when one changes; also
/// runs a daily action (expiry warnings). Polling rather than inotify: it works the same on every file
/// system, and on files replaced by rename, which is how CAs and certificate tools publish.
/// </summary>
internal sealed class FileWatch : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public FileWatch(TimeSpan interval, IReadOnlyList<(IReadOnlyList<string> Files, Action OnChange)> watches, Action daily, TimeProvider time)
    {
        var state = watches.Select(w => (w.Files, w.OnChange, Stamp: Stamp(w.Files))).ToList();
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval, time);
            var nextDaily = time.GetUtcNow().AddDays(1);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    for (var i = 0; i < state.Count; i++)
                    {
                        var stamp = Stamp(state[i].Files);
                        if (stamp == state[i].Stamp) continue;
                        state[i] = state[i] with { Stamp = stamp };
                        state[i].OnChange();
                    }
                    if (time.GetUtcNow() >= nextDaily)
                    {
                        nextDaily = time.GetUtcNow().AddDays(1);
                        daily();
                    }
                }
            }
            catch (OperationCanceledException) { }
        });
    }

    private static string Stamp(IReadOnlyList<string> files) => string.Join("|", files.Select(f =>
    {
        var info = new FileInfo(f);
        return info.Exists ? $"{info.LastWriteTimeUtc.Ticks}:{info.Length}" : "missing";
    }));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
