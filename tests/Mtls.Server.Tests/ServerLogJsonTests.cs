using System.Text.Json;

namespace Mtls.Server.Tests;

/// <summary>The JSON log line: one line, stable fields, nulls left out, a hostile name as its own characters, safely encoded.</summary>
public class ServerLogJsonTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 28, 5, 0, 0, 123, TimeSpan.Zero);

    [Fact]
    public void Event_ids_and_names_are_one_table_without_duplicates()
    {
        Assert.Equal(Enum.GetValues<ServerEvent>().Length, ServerEvents.All.Count);
        Assert.Equal(ServerEvents.All.Count, ServerEvents.All.Select(e => (int)e).Distinct().Count());
        Assert.Equal(ServerEvents.All.Count, ServerEvents.All.Select(ServerEvents.Name).Distinct().Count());
        Assert.Equal(10, (int)ServerEvent.Request); // published in README: a renumbering breaks log queries
        Assert.Equal("handshake_failed", ServerEvents.Name(ServerEvent.HandshakeFailed));
        Assert.Equal(ServerLogKind.Warning, ServerEvents.Kind(ServerEvent.CrlStale));
    }

    [Fact]
    public void A_request_line_has_every_field_and_its_text_is_made_from_them()
    {
        var entry = new ServerLogEntry
        {
            Time = At, Event = ServerEvent.Request, Remote = "127.0.0.1", Method = "GET", Path = "/a", Status = 200,
            ClientSubject = "CN=Super Client,O=Kame", ClientIssuer = "CN=ca.client.example.com", ClientSerial = "01:02",
        };

        using var doc = JsonDocument.Parse(ServerLogJson.Line(entry));
        var o = doc.RootElement;

        Assert.Equal("2026-11-28T05:00:00.123Z", o.GetProperty("time").GetString());
        Assert.Equal("request", o.GetProperty("event").GetString());
        Assert.Equal(10, o.GetProperty("event_id").GetInt32());
        Assert.Equal("127.0.0.1", o.GetProperty("remote").GetString());
        Assert.Equal("GET", o.GetProperty("method").GetString());
        Assert.Equal("/a", o.GetProperty("path").GetString());
        Assert.Equal(200, o.GetProperty("status").GetInt32());
        Assert.Equal("CN=Super Client,O=Kame", o.GetProperty("client_subject").GetString());
        Assert.Equal("CN=ca.client.example.com", o.GetProperty("client_issuer").GetString());
        Assert.Equal("01:02", o.GetProperty("client_serial").GetString());
        Assert.Equal("GET /a 200 from 127.0.0.1 client CN=Super Client,O=Kame", o.GetProperty("message").GetString());
        Assert.False(o.TryGetProperty("reason", out _)); // null: left out, not "reason": null
    }

    [Fact]
    public void A_lifecycle_line_has_only_the_fields_it_knows()
    {
        var entry = new ServerLogEntry { Time = At, Event = ServerEvent.Started, Message = "listening on 127.0.0.1:9443" };

        using var doc = JsonDocument.Parse(ServerLogJson.Line(entry, new Uri("https://localhost:9443/")));

        Assert.Equal(["time", "event", "event_id", "url", "message"], doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("https://localhost:9443/", doc.RootElement.GetProperty("url").GetString());
    }

    [Fact]
    public void A_hostile_subject_is_its_own_characters_on_one_inert_line()
    {
        // As DistinguishedName.Format writes it: hidden characters as hex pairs, specials escaped.
        var formatted = "CN=Mallory\\0A2026-11-27T05:00:00Z request\\E2\\80\\AE\\1B[2K,O=\\<script\\>alert(1)\\</script\\>";
        var entry = new ServerLogEntry { Time = At, Event = ServerEvent.Request, Remote = "::1", Method = "GET", Path = "/", Status = 200, ClientSubject = formatted };

        var line = ServerLogJson.Line(entry);

        Assert.DoesNotContain(line, c => char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format);
        Assert.DoesNotContain("<", line);
        using var doc = JsonDocument.Parse(line);
        Assert.Equal("CN=Mallory\n2026-11-27T05:00:00Z request\u202E\u001b[2K,O=\\<script\\>alert(1)\\</script\\>",
            doc.RootElement.GetProperty("client_subject").GetString());
    }

    [Theory]
    [InlineData("CN=a\\\\41", "CN=a\\\\41")]          // an escaped backslash, then text: not a hex pair
    [InlineData("CN=caf\\C3\\A9", "CN=caf\u00e9")]     // two bytes, one character
    [InlineData("CN=x\\,y", "CN=x\\,y")]
    [InlineData("CN=end\\", "CN=end\\")]
    public void Exact_names_undo_hex_pairs_only(string formatted, string exact) =>
        Assert.Equal(exact, ExactNames.Of(formatted));
}
