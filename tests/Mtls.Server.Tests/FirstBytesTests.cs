using System.Buffers;
using System.Net.Sockets;
using System.Text;

namespace Mtls.Server.Tests;

/// <summary>
/// Who gets the plain-HTTP 400 (PlainHttpDetector): only a client whose first bytes are an HTTP request
/// line. An SSLv2-format ClientHello or noise is TLS's to answer (an alert or a close, logged as a
/// failed handshake), as OpenSSL and nginx answer them.
/// </summary>
[Trait("Category", "Hostile")]
public class FirstBytesTests(WorkshopPki pki) : IClassFixture<WorkshopPki>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    /// <summary>
    /// An SSLv2-format CLIENT-HELLO (RFC 6101 appendix E.2, as old clients sent for compatibility):
    /// a 2-byte header with the top bit set, msg type 1, version TLS 1.0, three cipher specs, no
    /// session id, a 16-byte challenge.
    /// </summary>
    public static byte[] Sslv2ClientHello()
    {
        byte[] body =
        [
            0x01, 0x03, 0x01, // CLIENT-HELLO, TLS 1.0
            0x00, 0x09, 0x00, 0x00, 0x00, 0x10, // cipher specs 9 bytes, session id 0, challenge 16
            0x00, 0xC0, 0x2F, 0x00, 0xC0, 0x2B, 0x00, 0x00, 0xFF, // ECDHE-RSA-AES128-GCM, ECDHE-ECDSA-AES128-GCM, renegotiation SCSV
            .. Enumerable.Range(0, 16).Select(i => (byte)(0xA0 + i)),
        ];
        return [(byte)(0x80 | body.Length >> 8), (byte)body.Length, .. body];
    }

    public static TheoryData<string, byte[]> NotHttp => new()
    {
        { "SSLv2 ClientHello", Sslv2ClientHello() },
        { "zero byte", [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07] },
        { "0xFF noise", [0xFF, 0xFE, 0x47, 0x45, 0x54, 0x20, 0x2F, 0x0D, 0x0A] },
        { "lowercase method", Encoding.ASCII.GetBytes("get / HTTP/1.1\r\n\r\n") },
        { "token too long", Encoding.ASCII.GetBytes(new string('A', 40) + " / HTTP/1.1\r\n\r\n") },
    };

    [Theory]
    [MemberData(nameof(NotHttp))]
    public async Task What_is_not_an_HTTP_request_line_goes_to_TLS_not_to_the_plain_HTTP_answer(string what, byte[] bytes)
    {
        await using var server = await HostileServer.StartAsync(pki);
        using var socket = await server.ConnectAsync();
        await socket.SendAsync(bytes);

        var answer = await ReadUntilCloseAsync(socket);

        Assert.DoesNotContain("HTTP/1.1 400", Encoding.Latin1.GetString(answer));
        var logged = await server.WaitForLogAsync(e => e.Kind == ServerLogKind.HandshakeFailed);
        Assert.Matches("^TLS handshake failed with 127\\.0\\.0\\.1:[0-9]+", logged.Message);
        Assert.DoesNotContain(server.Log, e => e.Kind == ServerLogKind.PlainHttp || e.Message.Contains("plain HTTP", StringComparison.Ordinal));
        Assert.True(answer.Length == 0 || answer[0] == 0x15, $"{what}: the server answered {Convert.ToHexString(answer)}, neither a TLS alert record nor a close");
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")]
    [InlineData("OPTIONS * HTTP/1.1\r\nHost: localhost\r\n\r\n")]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")]
    public async Task An_HTTP_request_line_still_gets_the_plain_HTTP_400(string request)
    {
        await using var server = await HostileServer.StartAsync(pki);
        using var socket = await server.ConnectAsync();
        await socket.SendAsync(Encoding.ASCII.GetBytes(request));

        var answer = Encoding.Latin1.GetString(await ReadUntilCloseAsync(socket));

        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", answer);
        Assert.Contains("use https://", answer);
        var logged = server.Log.Single(e => e.Kind == ServerLogKind.PlainHttp);
        Assert.StartsWith($"plain HTTP request \"{request[..request.IndexOf('\r', StringComparison.Ordinal)]}\"", logged.Message);
    }

    [Fact]
    public async Task A_method_sent_one_byte_at_a_time_is_waited_for()
    {
        await using var server = await HostileServer.StartAsync(pki);
        using var socket = await server.ConnectAsync();
        foreach (var b in "DELETE /x HTTP/1.1\r\n\r\n"u8.ToArray())
            await socket.SendAsync(new[] { b }); // NoDelay: separate segments, each its own read on the server

        var answer = Encoding.Latin1.GetString(await ReadUntilCloseAsync(socket));

        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", answer);
        Assert.Contains("use https://localhost", answer);
    }

    [Theory]
    [InlineData(new byte[] { 0x16, 0x03, 0x01 }, "Tls")]
    [InlineData(new byte[] { 0x80, 0x2E, 0x01, 0x03, 0x01 }, "Tls")] // SSLv2 hello
    [InlineData(new byte[] { 0x00 }, "Tls")]
    [InlineData(new byte[] { (byte)'G' }, "Undecided")]
    [InlineData(new byte[] { (byte)'G', (byte)'E', (byte)'T' }, "Undecided")]
    [InlineData(new byte[] { (byte)'G', (byte)'E', (byte)'T', (byte)' ' }, "PlainHttp")]
    [InlineData(new byte[] { (byte)'M', (byte)'-', (byte)'X', (byte)' ' }, "PlainHttp")]
    [InlineData(new byte[] { (byte)'G', (byte)'e' }, "Tls")]
    [InlineData(new byte[] { (byte)' ' }, "Tls")]
    [InlineData(new byte[] { (byte)'Q', 0x16 }, "Tls")]
    public void First_bytes_are_classified(byte[] bytes, string expected) =>
        Assert.Equal(expected, PlainHttpDetector.Classify(new ReadOnlySequence<byte>(bytes)).ToString());

    [Fact]
    public void A_token_longer_than_any_method_is_not_waited_for()
    {
        var longest = Encoding.ASCII.GetBytes(new string('A', PlainHttpDetector.MaxMethodLength));
        Assert.Equal(PlainHttpDetector.Opening.Undecided, PlainHttpDetector.Classify(new ReadOnlySequence<byte>(longest)));
        Assert.Equal(PlainHttpDetector.Opening.Tls, PlainHttpDetector.Classify(new ReadOnlySequence<byte>([.. longest, (byte)'A'])));
    }

    /// <summary>Everything the server sends until it closes (bounded).</summary>
    private static async Task<byte[]> ReadUntilCloseAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(Bound);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int n;
            while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
                received.Write(buffer, 0, n);
        }
        catch (SocketException) { } // reset: closed too
        catch (OperationCanceledException) { Assert.Fail($"the server still held the connection after {Bound.TotalSeconds} s"); }
        return received.ToArray();
    }
}
