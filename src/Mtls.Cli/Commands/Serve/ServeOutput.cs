using System.Globalization;
using Mtls.Server;

namespace Mtls.Cli.Commands.Serve;

/// <summary>
/// What `mtls serve` prints: the URL first on stdout, then one line per request or refused client
/// (stdout, for piping into grep or a log file); notices and warnings on stderr.
/// </summary>
internal sealed class ServeOutput(CliContext ctx)
{
    private readonly Lock _lock = new();
    private readonly List<ServerLogEntry> _beforeUrl = [];
    private bool _urlPrinted;

    public void Listening(Uri url)
    {
        lock (_lock)
        {
            ctx.Out.WriteLine(url);
            ctx.Out.Flush();
            _urlPrinted = true;
            foreach (var entry in _beforeUrl) Print(entry);
            _beforeUrl.Clear();
        }
    }

    public void Write(ServerLogEntry entry)
    {
        lock (_lock)
        {
            // Start-up events come before the URL is known; the URL must stay the first line.
            if (!_urlPrinted && entry.Kind is not ServerLogKind.Warning) { _beforeUrl.Add(entry); return; }
            Print(entry);
        }
    }

    private void Print(ServerLogEntry e)
    {
        var time = e.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var client = e.ClientSubject is null ? "" : $" (client {e.ClientSubject}; issuer {e.ClientIssuer}; serial {e.ClientSerial})";
        switch (e.Kind)
        {
            case ServerLogKind.Warning:
                ctx.Err.WriteLine($"mtls: warning: {e.Message}");
                ctx.Err.Flush();
                return;
            case ServerLogKind.Started:
                ctx.Err.WriteLine($"{e.Message}. Stop with Ctrl+C.");
                ctx.Err.Flush();
                return;
            case ServerLogKind.Stopped:
                ctx.Err.WriteLine("stopped.");
                return;
            case ServerLogKind.Request:
                ctx.Out.WriteLine($"{time} request {e.Message}{(e.ClientSubject is null ? "" : $" (issuer {e.ClientIssuer}; serial {e.ClientSerial})")}");
                break;
            case ServerLogKind.Rejected:
                ctx.Out.WriteLine($"{time} rejected [{e.Reason}] {e.Message}{client}");
                break;
            default:
                ctx.Out.WriteLine($"{time} {e.Kind.ToString().ToLowerInvariant()} {e.Message}{client}");
                break;
        }
        ctx.Out.Flush();
    }
}
