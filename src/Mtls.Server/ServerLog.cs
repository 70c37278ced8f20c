using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Inspection;

namespace Mtls.Server;

/// <summary>Emits <see cref="ServerLogEntry"/> values to the caller's callback; a throwing callback never breaks a request.</summary>
internal sealed class ServerLog(Action<ServerLogEntry>? sink, TimeProvider time)
{
    public void Write(ServerLogKind kind, string message, X509Certificate2? client = null, string? reason = null)
    {
        if (sink is null) return;
        var names = client is null ? null : ClientNames.Of(client);
        var entry = new ServerLogEntry(time.GetUtcNow(), kind, message, names?.Subject, names?.Issuer, names?.Serial, reason);
        try { sink(entry); }
        catch (Exception) { /* a broken log sink must not take the server down */ }
    }

    public static string Serial(X509Certificate2 cert) => Hex.Colon(cert.SerialNumberBytes.Span);

    private static readonly System.Buffers.SearchValues<char> Unprintable = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 0xA0).Select(c => (char)c).Where(char.IsControl), '\u2028', '\u2029']);

    /// <summary>Client-supplied text made safe for a one-line log: control characters as \xNN, at most 200 characters.</summary>
    public static string Printable(string text)
    {
        // Nearly every path is already printable: return it as is (keep-alive profile: a StringBuilder per request).
        if (text.Length <= 200 && !text.AsSpan().ContainsAny(Unprintable)) return text;
        var sb = new System.Text.StringBuilder();
        foreach (var c in text.Length > 200 ? text[..200] + "..." : text)
            if (char.IsControl(c) || c is '\u2028' or '\u2029') sb.Append($"\\x{(int)c:X2}");
            else sb.Append(c);
        return sb.ToString();
    }
}
