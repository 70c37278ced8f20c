namespace Mtls.Cli.Commands.OnlineCa;

/// <summary>
/// What `mtls ca serve` prints: its URL as the first line on stdout (like `mtls serve`), then one line per
/// event (issued, renewed, refused) on stdout; notices on stderr. Lines that come before the URL wait for it.
/// </summary>
internal sealed class OnlineOutput(CliContext ctx)
{
    private readonly Lock _lock = new();
    private readonly List<string> _early = [];
    private bool _started;

    public void Started(Uri url, string notice)
    {
        lock (_lock)
        {
            ctx.Out.WriteLine(url);
            foreach (var line in _early) ctx.Out.WriteLine(line);
            _early.Clear();
            _started = true;
            ctx.Out.Flush();
            ctx.Err.WriteLine(notice);
            ctx.Err.Flush();
        }
    }

    public void Line(string text)
    {
        var line = $"{DateTimeOffset.UtcNow:yyyy-MM-dd'T'HH:mm:ss'Z'} {text}";
        lock (_lock)
        {
            if (!_started) { _early.Add(line); return; }
            ctx.Out.WriteLine(line);
            ctx.Out.Flush();
        }
    }

    public void Notice(string text)
    {
        lock (_lock)
        {
            ctx.Err.WriteLine(text);
            ctx.Err.Flush();
        }
    }
}
