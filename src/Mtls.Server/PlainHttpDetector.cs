using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Connections;

namespace Mtls.Server;

/// <summary>
/// Kestrel connection middleware placed before UseHttps. It peeks at the first byte without consuming
/// it: 0x16 starts a TLS handshake record and goes on to TLS; anything else is someone speaking plain
/// HTTP to the HTTPS port, who gets a 400 that says to use https:// (as Go's server does) instead of
/// a silent close.
/// </summary>
internal static class PlainHttpDetector
{
    private const byte TlsHandshakeRecord = 0x16;
    private const int MaxRequestHead = 8192;

    public static Func<ConnectionDelegate, ConnectionDelegate> Create(TimeSpan firstByteTimeout, ServerLog log) => next => async connection =>
    {
        var input = connection.Transport.Input;
        ReadResult read;
        using (var timeout = new CancellationTokenSource(firstByteTimeout))
        {
            try { read = await input.ReadAsync(timeout.Token); }
            catch (OperationCanceledException)
            {
                HandshakeFailures.Write(log, "TLS handshake timed out", connection, $"nothing received within {firstByteTimeout.TotalSeconds:0.#} s");
                return;
            }
        }
        if (read.Buffer.IsEmpty)
        {
            input.AdvanceTo(read.Buffer.Start);
            return;
        }
        var first = read.Buffer.FirstSpan[0];
        input.AdvanceTo(read.Buffer.Start); // consumed and examined nothing: TLS reads the same bytes
        if (first == TlsHandshakeRecord)
        {
            await next(connection);
            return;
        }
        await AnswerPlainHttpAsync(connection, log);
    };

    private static async Task AnswerPlainHttpAsync(ConnectionContext connection, ServerLog log)
    {
        var head = await ReadRequestHeadAsync(connection.Transport.Input);
        var lines = head.Split("\r\n");
        var host = lines.Skip(1).FirstOrDefault(l => l.StartsWith("Host:", StringComparison.OrdinalIgnoreCase))?[5..].Trim();
        var port = (connection.LocalEndPoint as IPEndPoint)?.Port;
        if (string.IsNullOrEmpty(host) || host.Any(c => char.IsControl(c) || c is ' ' or '/' or '<' or '>'))
            host = $"localhost:{port}";
        var path = lines[0].Split(' ') is { Length: >= 2 } parts && parts[1].StartsWith('/') ? parts[1] : "/";
        var body = $"400 Bad Request: client sent an HTTP request to an HTTPS server. This port speaks TLS: use https://{host}{ServerLog.Printable(path)} instead of http://.\n";
        var bodyBytes = Encoding.UTF8.GetBytes(body);
        var response = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {bodyBytes.Length}\r\nConnection: close\r\n\r\n");
        log.Write(ServerLogKind.PlainHttp,
            $"plain HTTP request \"{ServerLog.Printable(lines[0])}\" from {connection.RemoteEndPoint} on the HTTPS port: answered 400 (use https://)");
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
