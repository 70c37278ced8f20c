using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Mtls.Pki.Text;

namespace Mtls.Server;

/// <summary>
/// Kestrel connection middleware placed before UseHttps. It peeks at the first bytes without consuming
/// them: what starts like an HTTP request line (an uppercase method token and a space: <c>GET </c>,
/// <c>PRI </c>...) is someone speaking plain HTTP to the HTTPS port, who gets a 400 that says to use
/// https:// (as Go's server does) instead of a silent close. Everything else goes on to TLS, which
/// answers it as a TLS stack does: a 0x16 handshake record, but also an SSLv2-format ClientHello
/// (first byte 0x80 or more) or noise, which get OpenSSL's alert or close and a "TLS handshake failed"
/// line rather than an HTTP answer.
/// </summary>
internal static class PlainHttpDetector
{
    private const byte TlsHandshakeRecord = 0x16;
    private const int MaxRequestHead = 8192;

    /// <summary>
    /// Longest method token we wait for. Registered methods are at most 17 characters
    /// (UPDATEREDIRECTREF, RFC 9110's registry); past this, without a space, it is not a request line.
    /// </summary>
    internal const int MaxMethodLength = 20;

    /// <summary>What the first bytes of a connection say it speaks.</summary>
    internal enum Opening { Tls, PlainHttp, Undecided }

    public static Func<ConnectionDelegate, ConnectionDelegate> Create(TimeSpan firstByteTimeout, ServerLog log) => next => async connection =>
    {
        var input = connection.Transport.Input;
        var opening = Opening.Undecided;
        using (var timeout = new CancellationTokenSource(firstByteTimeout))
        {
            var received = 0L;
            try
            {
                while (opening == Opening.Undecided)
                {
                    var read = await input.ReadAsync(timeout.Token);
                    received = read.Buffer.Length;
                    opening = Classify(read.Buffer);
                    // Consume nothing: TLS (or the 400 below) reads the same bytes. While undecided, say that
                    // everything was examined, so the next read waits for more bytes.
                    input.AdvanceTo(read.Buffer.Start, opening == Opening.Undecided ? read.Buffer.End : read.Buffer.Start);
                    if (read.IsCompleted && opening == Opening.Undecided) return; // closed before saying what it speaks
                }
            }
            catch (OperationCanceledException)
            {
                var seconds = firstByteTimeout.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
                HandshakeFailures.Write(log, nameof(Resources.Strings.Handshake_TimedOut), connection, received == 0
                    ? log.Say(nameof(Resources.Strings.Handshake_NothingReceived), seconds)
                    : log.Say(nameof(Resources.Strings.Handshake_NeitherTlsNorHttp), received, seconds));
                return;
            }
        }
        if (opening == Opening.Tls)
        {
            await next(connection);
            return;
        }
        await AnswerPlainHttpAsync(connection, log);
    };

    /// <summary>
    /// A TLS handshake record, or anything that cannot begin a request line, is TLS's to answer; an
    /// uppercase token (letters, '-', '_') and a space is plain HTTP; a token still growing is undecided.
    /// </summary>
    internal static Opening Classify(ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsEmpty) return Opening.Undecided;
        var first = buffer.FirstSpan[0];
        if (first == TlsHandshakeRecord || first is < (byte)'A' or > (byte)'Z') return Opening.Tls;
        var position = 0;
        foreach (var segment in buffer)
            foreach (var b in segment.Span)
            {
                if (b == (byte)' ') return Opening.PlainHttp;
                if (++position > MaxMethodLength || !(b is >= (byte)'A' and <= (byte)'Z' or (byte)'-' or (byte)'_')) return Opening.Tls;
            }
        return Opening.Undecided;
    }

    private static async Task AnswerPlainHttpAsync(ConnectionContext connection, ServerLog log)
    {
        var head = await ReadRequestHeadAsync(connection.Transport.Input);
        var lines = head.Split("\r\n");
        var host = lines.Skip(1).FirstOrDefault(l => l.StartsWith("Host:", StringComparison.OrdinalIgnoreCase))?[5..].Trim();
        var port = (connection.LocalEndPoint as IPEndPoint)?.Port;
        if (string.IsNullOrEmpty(host) || host.Any(c => char.IsControl(c) || c is ' ' or '/' or '<' or '>'))
            host = $"localhost:{port}";
        var path = lines[0].Split(' ') is { Length: >= 2 } parts && parts[1].StartsWith('/') ? parts[1] : "/";
        // The answer in the language the client asks for (a browser's Accept-Language), else the server's.
        var acceptLanguage = lines.Skip(1).FirstOrDefault(l => l.StartsWith("Accept-Language:", StringComparison.OrdinalIgnoreCase))?["Accept-Language:".Length..];
        var culture = Language.FromAcceptLanguage(acceptLanguage, log.Culture);
        var body = ServerText.Format(nameof(Resources.Strings.PlainHttp_Body), culture, host, ServerLog.Printable(path)) + "\n";
        var bodyBytes = Encoding.UTF8.GetBytes(body);
        var response = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {bodyBytes.Length}\r\nConnection: close\r\n\r\n");
        var requestLine = lines[0].Split(' ');
        log.Write(ServerEvent.PlainHttp,
            log.Say(nameof(Resources.Strings.PlainHttp_Log), ServerLog.Printable(lines[0]), connection.RemoteEndPoint),
            remote: connection.RemoteEndPoint?.ToString(), method: ServerLog.Printable(requestLine[0]), path: ServerLog.Printable(path), status: 400);
        try
        {
            await connection.Transport.Output.WriteAsync(response);
            await connection.Transport.Output.WriteAsync(bodyBytes);
            await connection.Transport.Output.FlushAsync();
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or OperationCanceledException) { }
    }

    /// <summary>
    /// Reads the request line and headers (up to a blank line, 8 KiB or 2 s), so that the client is not
    /// answered with a TCP reset for unread data when we close.
    /// </summary>
    private static async Task<string> ReadRequestHeadAsync(PipeReader input)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var text = "";
        try
        {
            while (true)
            {
                var read = await input.ReadAsync(timeout.Token);
                var buffer = read.Buffer;
                text = Encoding.Latin1.GetString(buffer.Length > MaxRequestHead ? buffer.Slice(0, MaxRequestHead) : buffer);
                var done = text.Contains("\r\n\r\n", StringComparison.Ordinal) || buffer.Length >= MaxRequestHead || read.IsCompleted;
                input.AdvanceTo(done ? buffer.End : buffer.Start, buffer.End);
                if (done) break;
            }
        }
        catch (OperationCanceledException) { }
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return end >= 0 ? text[..end] : text;
    }
}
