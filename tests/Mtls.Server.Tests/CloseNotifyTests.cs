using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace Mtls.Server.Tests;

/// <summary>
/// Every close of a TLS connection by the server is preceded by its close_notify (RFC 8446 6.1, RFC 5246
/// 7.2.1; TlsClose), seen at the record level: a strict client (OpenSSL 3, Python with
/// suppress_ragged_eofs=False) otherwise reports an unexpected EOF, a truncation it cannot tell from an
/// attack. TLS 1.2 sends the alert as an alert record (type 21); TLS 1.3 hides it in an application-data
/// record whose inner plaintext is the 2-byte alert and its content type: 3 bytes + a 16-byte AEAD tag.
/// </summary>
[Trait("Category", "Interop")]
public class CloseNotifyTests(WorkshopPki pki) : IClassFixture<WorkshopPki>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData(SslProtocols.Tls12, "HTTP/1.0")]   // the server closes after the answer; the client then sends its close_notify
    [InlineData(SslProtocols.Tls13, "HTTP/1.0")]
    [InlineData(SslProtocols.Tls12, "HTTP/1.1")]   // keep-alive: the client closes with close_notify, the server answers it
    [InlineData(SslProtocols.Tls13, "HTTP/1.1")]
    public async Task The_server_sends_close_notify_before_it_closes_TCP(SslProtocols protocol, string http)
    {
        await using var server = await HostileServer.StartAsync(pki);
        using var socket = await server.ConnectAsync();
        var tap = new TappedStream(new NetworkStream(socket, ownsSocket: false));
        await using var tls = new SslStream(tap, leaveInnerStreamOpen: true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = protocol,
            ClientCertificates = [pki.Client],
            RemoteCertificateValidationCallback = (_, c, _, _) => c is not null,
        });

        await tls.WriteAsync(Encoding.ASCII.GetBytes($"GET / {http}\r\nHost: localhost\r\n\r\n"));
        var answer = await ReadAnswerAsync(tls);
        Assert.StartsWith("HTTP/1.1 200 OK", answer);
        await tls.ShutdownAsync(); // the client's close_notify, as a strict client sends it after the answer
        var rest = await tap.ReadToEndAsync(tls);

        var records = Records(tap.Received.ToArray());
        Assert.True(rest.Eof, "the server did not close the connection");
        var last = records[^1];
        if (protocol == SslProtocols.Tls12)
            Assert.True(last.Type == 21, $"last record before EOF: type {last.Type}, length {last.Length}; expected an alert record (21)");
        else
            Assert.True(last is { Type: 23, Length: 19 }, $"last record before EOF: type {last.Type}, length {last.Length}; expected an encrypted alert (23, 19 bytes)");
    }

    [Theory]
    [InlineData("-tls1_2", "TLS 1.2")]
    [InlineData("-tls1_3", "TLS 1.3")]
    public async Task Openssl_s_client_receives_close_notify_after_an_HTTP_1_0_answer(string protocol, string shown)
    {
        await using var server = await HostileServer.StartAsync(pki);
        // -ign_eof: keep reading after stdin ends, until the server closes (HTTP/1.0 answers close).
        var result = Tool.Run("openssl", ["s_client", "-connect", $"127.0.0.1:{server.Port}", "-servername", "localhost", protocol, "-msg", "-ign_eof",
            "-CAfile", pki["server-ca.crt"], "-verify_return_error", "-cert", pki["client.crt"], "-key", pki["client.key"]],
            stdin: "GET / HTTP/1.0\r\n\r\n", timeout: TimeSpan.FromSeconds(20));

        Assert.True(result.Stdout.Contains("HTTP/1.1 200 OK", StringComparison.Ordinal), result.ToString());
        Assert.True(result.Stdout.Contains($"<<< {shown}, Alert [length 0002], warning close_notify", StringComparison.Ordinal), result.ToString());
        Assert.DoesNotContain("unexpected eof", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, result.ExitCode);
    }

    /// <summary>Reads one HTTP/1.1 answer with a Content-Length through the TLS stream.</summary>
    private static async Task<string> ReadAnswerAsync(SslStream tls)
    {
        using var timeout = new CancellationTokenSource(Bound);
        var text = new StringBuilder();
        var buffer = new byte[4096];
        while (true)
        {
            var n = await tls.ReadAsync(buffer, timeout.Token);
            Assert.True(n > 0, "the server closed before its whole answer: " + text);
            text.Append(Encoding.UTF8.GetString(buffer, 0, n));
            var s = text.ToString();
            var end = s.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end < 0) continue;
            var length = int.Parse(s.Split("\r\n").Single(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))[15..].Trim(),
                System.Globalization.CultureInfo.InvariantCulture);
            if (Encoding.UTF8.GetByteCount(s[(end + 4)..]) >= length) return s;
        }
    }

    private static List<(byte Type, int Length)> Records(byte[] raw)
    {
        var records = new List<(byte, int)>();
        for (var i = 0; i + 5 <= raw.Length; i += 5 + (raw[i + 3] << 8 | raw[i + 4]))
            records.Add((raw[i], raw[i + 3] << 8 | raw[i + 4]));
        return records;
    }

    /// <summary>The raw bytes the server sent, as they came off the socket, under the client's SslStream.</summary>
    private sealed class TappedStream(NetworkStream inner) : Stream
    {
        public MemoryStream Received { get; } = new();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken);
            Received.Write(buffer.Span[..n]);
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        /// <summary>
        /// Reads on through TLS until it reports the end, then straight off the socket until EOF (SslStream
        /// stops reading at the close_notify), at most <see cref="Bound"/>.
        /// </summary>
        public async Task<(bool Eof, int Bytes)> ReadToEndAsync(SslStream tls)
        {
            using var timeout = new CancellationTokenSource(Bound);
            var buffer = new byte[4096];
            try
            {
                try
                {
                    while (await tls.ReadAsync(buffer, timeout.Token) > 0) { }
                }
                catch (IOException) { } // a TLS stack that reports a missing close_notify as an error: the tap has the bytes
                int n;
                while ((n = await ReadAsync(buffer, timeout.Token)) > 0) { }
                return (true, (int)Received.Length);
            }
            catch (IOException) { return (true, (int)Received.Length); } // reset: closed too
            catch (OperationCanceledException) { return (false, (int)Received.Length); }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.WriteAsync(buffer, offset, count, cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.WriteAsync(buffer, cancellationToken);

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
        public override void Flush() => inner.Flush();
        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
