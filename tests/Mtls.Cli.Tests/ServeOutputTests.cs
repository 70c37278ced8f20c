using System.Text.Json;
using Mtls.Cli.Commands.Serve;
using Mtls.Pki.Text;
using Mtls.Server;

namespace Mtls.Cli.Tests;

/// <summary>
/// What `mtls serve` prints for an entry: the English request line, written from the entry's parts on the
/// busy path, must say exactly what the entry's catalogue sentence says; other languages print the sentence;
/// JSON puts the started event (with the URL) first.
/// </summary>
public sealed class ServeOutputTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 28, 5, 0, 0, TimeSpan.Zero);

    private static ServerLogEntry Request(string? subject, System.Globalization.CultureInfo language) => new()
    {
        Time = At, Event = ServerEvent.Request, Language = language, Remote = "127.0.0.1", Method = "GET", Path = "/x", Status = 200,
        ClientSubject = subject, ClientIssuer = subject is null ? null : "CN=ca", ClientSerial = subject is null ? null : "01",
    };

    private static string[] Lines(LogFormat format, params ServerLogEntry[] entries)
    {
        var stdout = new StringWriter();
        var output = new ServeOutput(new CliContext { Out = stdout, Err = TextWriter.Null }, format: format);
        foreach (var e in entries.Where(e => e.Event is ServerEvent.Started or ServerEvent.Warning)) output.Write(e);
        output.Listening(new Uri("https://localhost:9443/"));
        foreach (var e in entries.Where(e => e.Event is not (ServerEvent.Started or ServerEvent.Warning))) output.Write(e);
        output.Drain();
        return stdout.ToString().TrimEnd('\n').Split('\n');
    }

    [Theory]
    [InlineData("CN=Super Client")]
    [InlineData(null)]
    public void The_english_request_line_says_what_the_catalogue_says(string? subject)
    {
        var entry = Request(subject, Language.English);

        var line = Lines(LogFormat.Text, entry)[1];

        Assert.Equal("2026-11-28T05:00:00Z request " + entry.Message + (subject is null ? "" : " (issuer CN=ca; serial 01)"), line);
        Assert.Contains(subject is null ? "GET /x 200 from 127.0.0.1 (no client certificate)" : "GET /x 200 from 127.0.0.1 client CN=Super Client", line);
    }

    [Fact]
    public void A_japanese_request_line_is_the_japanese_sentence()
    {
        var line = Lines(LogFormat.Text, Request("CN=Super Client", Language.Japanese))[1];

        Assert.Equal("2026-11-28T05:00:00Z request GET /x 200 (127.0.0.1 から) クライアント CN=Super Client (issuer CN=ca; serial 01)", line);
    }

    [Fact]
    public void Json_puts_the_started_event_first_with_the_url_and_every_line_parses()
    {
        var warning = new ServerLogEntry { Time = At, Event = ServerEvent.Warning, Message = "no IPv6" };
        var started = new ServerLogEntry { Time = At, Event = ServerEvent.Started, Message = "listening" };

        var lines = Lines(LogFormat.Json, warning, started, Request(null, Language.English));

        Assert.Equal(3, lines.Length);
        var events = lines.Select(l => { using var d = JsonDocument.Parse(l); return d.RootElement.GetProperty("event").GetString(); }).ToList();
        Assert.Equal(["started", "warning", "request"], events);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal("https://localhost:9443/", first.RootElement.GetProperty("url").GetString());
    }

    [Theory]
    [InlineData(ServerEvent.PlainHttp, "plain_http")]
    [InlineData(ServerEvent.HandshakeFailed, "handshake_failed")]
    [InlineData(ServerEvent.Reloaded, "reloaded")]
    public void A_text_line_starts_with_the_events_own_name(ServerEvent e, string word)
    {
        var entry = new ServerLogEntry { Time = At, Event = e, Message = "something happened" };

        var line = Lines(LogFormat.Text, entry)[^1];

        Assert.Equal($"2026-11-28T05:00:00Z {word} something happened", line);
    }
}
