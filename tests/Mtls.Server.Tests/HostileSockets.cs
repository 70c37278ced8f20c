using System.Diagnostics;
using System.Net.Sockets;

namespace Mtls.Server.Tests;

/// <summary>Raw-socket misbehaviour: what a hostile or broken client sends instead of a proper handshake.</summary>
public static class HostileSockets
{
    /// <summary>
    /// The first 47 bytes of a TLS 1.2 ClientHello record that announces 512 bytes: record header,
    /// handshake header, version, 32 random bytes, and then nothing more.
    /// </summary>
    public static byte[] PartialClientHello()
    {
        var bytes = new List<byte> { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03 };
        bytes.AddRange(Enumerable.Range(0, 32).Select(i => (byte)(i * 7)));
        bytes.AddRange([0x00, 0x00, 0x20, 0xC0]);
        return [.. bytes];
    }

    /// <summary>Garbage with a fixed seed; <paramref name="asTls"/> starts it with the handshake record type.</summary>
    public static byte[] Garbage(int length, bool asTls, int seed = 8)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        bytes[0] = asTls ? (byte)0x16 : (byte)'Q';
        return bytes;
    }

    /// <summary>
    /// Reads (and discards) until the server closes or resets the connection, at most <paramref name="bound"/>.
    /// Returns how long it took, or null when the server still held the connection at the bound.
    /// </summary>
    public static async Task<TimeSpan?> WaitForServerCloseAsync(Socket socket, TimeSpan bound)
    {
        var clock = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(bound);
        var buffer = new byte[16 * 1024];
        try
        {
            // Bounded twice: by the token, and by the count of reads (a server that streams forever).
            for (var reads = 0; reads < 10_000; reads++)
                if (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) == 0)
                    return clock.Elapsed;
            return null;
        }
        catch (SocketException) { return clock.Elapsed; } // reset by the server: closed too
        catch (OperationCanceledException) { return null; }
    }

    /// <summary>Closes with a TCP reset (linger 0) instead of a FIN: the client vanished mid-conversation.</summary>
    public static void Reset(Socket socket)
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }
}
