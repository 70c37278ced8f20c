using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Mtls.Pki.Names;

namespace Mtls.Server;

/// <summary>
/// A <see cref="ServerLogEntry"/> as one line of JSON (mtls serve --log-format json): time, event,
/// event_id, remote, method, path, status, client_subject, client_issuer, client_serial, reason,
/// message, and url for the started event; a field without a value is left out. Written with
/// Utf8JsonWriter (no reflection, AOT-safe). Names are the certificate's own characters
/// (<see cref="ExactNames"/>); the encoder writes every control, line-separator and invisible format
/// character (bidi overrides) as \uXXXX, and &lt; &gt; &amp; as well, so a hostile name is a plain
/// string that cannot break the line, a terminal or a log viewer's HTML. Japanese stays readable.
/// </summary>
public static class ServerLogJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = Encoder(), Indented = false };

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>The entry as one line of JSON, without the line break.</summary>
    public static string Line(ServerLogEntry entry, Uri? url = null)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(buffer, Options))
            Write(json, entry, url);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void Write(Utf8JsonWriter json, ServerLogEntry entry, Uri? url = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(entry);
        json.WriteStartObject();
        json.WriteString("time", entry.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
        json.WriteString("event", ServerEvents.Name(entry.Event));
        json.WriteNumber("event_id", (int)entry.Event);
        Optional(json, "url", url?.ToString());
        Optional(json, "remote", entry.Remote);
        Optional(json, "method", entry.Method);
        Optional(json, "path", entry.Path);
        if (entry.Status is { } status) json.WriteNumber("status", status);
        Optional(json, "client_subject", ExactNames.Of(entry.ClientSubject));
        Optional(json, "client_issuer", ExactNames.Of(entry.ClientIssuer));
        Optional(json, "client_serial", entry.ClientSerial);
        Optional(json, "reason", entry.Reason);
        json.WriteString("message", entry.Message);
        json.WriteEndObject();
    }

    private static void Optional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null) json.WriteString(name, value);
    }

    private static JavaScriptEncoder Encoder()
    {
        // All of Unicode readable (Japanese messages), minus what must never reach a terminal as itself:
        // the same set the text lines escape (DistinguishedName.IsHidden). HTML-sensitive characters are
        // always escaped by this encoder.
        var settings = new TextEncoderSettings(UnicodeRanges.All);
        settings.ForbidCharacters([.. Enumerable.Range(0, 0x10000).Select(c => (char)c).Where(DistinguishedName.IsHidden)]);
        return JavaScriptEncoder.Create(settings);
    }
}
