using System.Globalization;
using System.Text;

namespace Mtls.Client;

/// <summary>An HTTP/1.1 response: status, headers (lower-case names) and the body as text.</summary>
internal sealed record HttpResponse(int Status, string Reason, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The first non-empty line of the body, trimmed to 300 characters, for one-line messages.</summary>
    public string FirstLine
    {
        get
        {
            var line = Body.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
            line = new string(line.Select(c => char.IsControl(c) ? '?' : c).ToArray());
            return line.Length > 300 ? line[..300] + "..." : line;
        }
    }
}

/// <summary>
/// A minimal HTTP/1.1 GET (Connection: close), enough to talk to any web server and to keep the whole
/// exchange visible: the body is read by Content-Length, chunked encoding, or until the server closes.
/// </summary>
internal sealed class HttpExchange(Stream stream)
{
    private const int MaxBody = 16 * 1024 * 1024;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _start, _end;

    public async Task<HttpResponse> GetAsync(Uri url, string? accept, CancellationToken ct)
    {
        var request = $"GET {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nUser-Agent: mtls\r\nAccept: {accept ?? "*/*"}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), ct);
        await stream.FlushAsync(ct);

        var statusLine = await ReadLineAsync(ct) ?? throw new EmptyReplyException();
        var parts = statusLine.Split(' ', 3);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/", StringComparison.Ordinal) || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var status))
            throw new InvalidDataException($"not an HTTP response: \"{Printable(statusLine)}\"");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (await ReadLineAsync(ct) is { Length: > 0 } line)
        {
            var colon = line.IndexOf(':');
            if (colon > 0) headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }
        var body = new MemoryStream();
        if (headers.TryGetValue("transfer-encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            await ReadChunkedAsync(body, ct);
        else if (headers.TryGetValue("content-length", out var cl) && long.TryParse(cl, CultureInfo.InvariantCulture, out var length))
            await ReadExactAsync(body, Math.Min(length, MaxBody), ct);
        else
            await ReadExactAsync(body, MaxBody, ct, untilClose: true);
        return new HttpResponse(status, parts.Length > 2 ? parts[2] : "", headers, Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)body.Length));
    }

    private async Task ReadChunkedAsync(MemoryStream body, CancellationToken ct)
    {
        while (true)
        {
            var sizeLine = await ReadLineAsync(ct) ?? throw new EmptyReplyException();
            var size = long.Parse(sizeLine.Split(';')[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                while (await ReadLineAsync(ct) is { Length: > 0 }) { } // trailers
                return;
            }
            if (body.Length + size > MaxBody) throw new InvalidDataException("response body larger than 16 MiB");
            await ReadExactAsync(body, size, ct);
            await ReadLineAsync(ct);
        }
    }

    private async Task ReadExactAsync(MemoryStream body, long count, CancellationToken ct, bool untilClose = false)
    {
        while (count > 0)
        {
            if (_start == _end && !await FillAsync(ct))
            {
                if (untilClose) return;
                throw new EmptyReplyException();
            }
            var take = (int)Math.Min(count, _end - _start);
            body.Write(_buffer, _start, take);
            _start += take;
            count -= take;
        }
    }

    private async Task<string?> ReadLineAsync(CancellationToken ct)
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_start == _end && !await FillAsync(ct))
                return line.Length > 0 ? line.ToString() : null;
            var b = _buffer[_start++];
            if (b == '\n') return line.ToString().TrimEnd('\r');
            if (line.Length > 16 * 1024) throw new InvalidDataException("response header line too long");
            line.Append((char)b);
        }
    }

    private async Task<bool> FillAsync(CancellationToken ct)
    {
        _start = 0;
        _end = await stream.ReadAsync(_buffer, ct);
        return _end > 0;
    }

    private static string Printable(string s) => new(s.Take(80).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}

/// <summary>The server closed the connection without (a complete) answer.</summary>
internal sealed class EmptyReplyException() : IOException("the server closed the connection without an answer");
