using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Inspection;
using Mtls.Pki.Names;

namespace Mtls.Server;

/// <summary>Emits <see cref="ServerLogEntry"/> values to the caller's callback; a throwing callback never breaks a request.</summary>
internal sealed class ServerLog(Action<ServerLogEntry>? sink, TimeProvider time, CultureInfo? culture = null)
{
    /// <summary>The language of the log's sentences (MtlsServerOptions.Language).</summary>
    public CultureInfo Culture { get; } = culture ?? Pki.Text.Language.English;

    /// <summary>Every event written, counted (mtls proxy's /_metrics), whether or not anyone reads the log.</summary>
    public ServerCounters Counters { get; } = new();

    /// <summary>A sentence of the catalogue in the log's language.</summary>
    public string Say(string key, params object?[] facts) => ServerText.Format(key, Culture, facts);

    /// <summary>
    /// Logs an event with its facts. A null <paramref name="message"/> is allowed for requests only: their
    /// sentence is made from the facts when someone reads it (<see cref="ServerLogEntry.Message"/>).
    /// </summary>
    public void Write(ServerEvent e, string? message, ClientInfo? client = null, string? remote = null, string? method = null,
        string? path = null, int? status = null, string? reason = null, bool verbose = false)
    {
        Counters.Add(e, reason);
        if (sink is null) return;
        var entry = new ServerLogEntry
        {
            Time = time.GetUtcNow(), Event = e, Message = message!, Language = Culture, Remote = remote, Method = method, Path = path, Status = status,
            ClientSubject = client?.Subject, ClientIssuer = client?.Issuer, ClientSerial = client?.Serial, Reason = reason, Verbose = verbose,
        };
        try { sink(entry); }
        catch (Exception) { /* a broken log sink must not take the server down */ }
    }

    /// <summary>A certificate time as every message shows it: UTC, to the minute, the same in every language.</summary>
    public static string Minute(DateTime time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <inheritdoc cref="Minute(DateTime)"/>
    public static string Minute(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string Serial(X509Certificate2 cert) => Hex.Colon(cert.SerialNumberBytes.Span);

    private static readonly System.Buffers.SearchValues<char> Unprintable = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 0x10000).Select(c => (char)c).Where(DistinguishedName.IsHidden)]);

    /// <summary>Client-supplied text made safe for a one-line log: control, bidi and invisible format characters as \xNN or \uNNNN, at most 200 characters.</summary>
    public static string Printable(string text)
    {
        // Nearly every path is already printable: return it as is (keep-alive profile: a StringBuilder per request).
        if (text.Length <= 200 && !text.AsSpan().ContainsAny(Unprintable)) return text;
        var sb = new System.Text.StringBuilder();
        foreach (var c in text.Length > 200 ? text[..200] + "..." : text)
            if (DistinguishedName.IsHidden(c)) sb.Append(c < 0x100 ? $"\\x{(int)c:X2}" : $"\\u{(int)c:X4}");
            else sb.Append(c);
        return sb.ToString();
    }
}
