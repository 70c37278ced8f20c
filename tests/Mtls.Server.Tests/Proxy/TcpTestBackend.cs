using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Mtls.Server.Tests.Proxy;

/// <summary>
/// A small TCP backend for mtls proxy's TCP mode on a free loopback port: for each connection it reads an
/// optional PROXY v2 header (parsed by hand, kept in <see cref="Headers"/>), then echoes every byte until
/// the client's EOF, then sends <see cref="Farewell"/> and closes: so a test sees the echo, that EOF
/// reached the backend (half-close), and that the backend's last bytes still reach the client.
/// </summary>
public sealed class TcpTestBackend : IAsyncDisposable
{
    public static readonly byte[] Farewell = "BYE after EOF\n"u8.ToArray();

    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly bool _proxyProtocol;
    private readonly Task _accepting;
    private int _accepted;

    private TcpTestBackend(bool proxyProtocol)
    {
        _proxyProtocol = proxyProtocol;
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;
    public string Target => $"tcp://127.0.0.1:{Port}";
    public int Accepted => Volatile.Read(ref _accepted);
    public ConcurrentQueue<ProxyHeader> Headers { get; } = new();
    public ConcurrentQueue<string> Errors { get; } = new();

    /// <summary>Set when a connection saw its client's EOF (the bytes it echoed by then).</summary>
    public TaskCompletionSource<long> SawEof { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static TcpTestBackend Start(bool proxyProtocol = false) => new(proxyProtocol);

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket client;
            try { client = await _listener.AcceptAsync(); }
            catch (Exception) { return; }
            Interlocked.Increment(ref _accepted);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using (client)
        {
            try
            {
                if (_proxyProtocol) Headers.Enqueue(await ReadHeaderAsync(client));
                var buffer = new byte[64 * 1024];
                long echoed = 0;
                while (true)
                {
                    var n = await client.ReceiveAsync(buffer, SocketFlags.None);
                    if (n == 0) break;
                    for (var sent = 0; sent < n;) sent += await client.SendAsync(buffer.AsMemory(sent, n - sent), SocketFlags.None);
                    echoed += n;
                }
                SawEof.TrySetResult(echoed);
                await client.SendAsync(Farewell, SocketFlags.None);
                client.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) { Errors.Enqueue(e.ToString()); }
        }
    }

    private static async Task ReadExactlyAsync(Socket socket, Memory<byte> into)
    {
        for (var at = 0; at < into.Length;)
        {
            var n = await socket.ReceiveAsync(into[at..], SocketFlags.None);
            if (n == 0) throw new EndOfStreamException("EOF inside the PROXY header");
            at += n;
        }
    }

    /// <summary>Parses a PROXY v2 header as haproxy's proxy-protocol.txt 2.2 defines it; throws on anything else.</summary>
    private static async Task<ProxyHeader> ReadHeaderAsync(Socket socket)
    {
        var fixedPart = new byte[16];
        await ReadExactlyAsync(socket, fixedPart);
        byte[] signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];
        if (!fixedPart.AsSpan(0, 12).SequenceEqual(signature)) throw new InvalidDataException("no PROXY v2 signature");
        if (fixedPart[12] != 0x21) throw new InvalidDataException($"version/command 0x{fixedPart[12]:X2}, expected 0x21");
        var family = fixedPart[13];
        var rest = new byte[BinaryPrimitives.ReadUInt16BigEndian(fixedPart.AsSpan(14))];
        await ReadExactlyAsync(socket, rest);
        var size = family switch { 0x11 => 4, 0x21 => 16, _ => throw new InvalidDataException($"family 0x{family:X2}") };
        var source = new IPEndPoint(new IPAddress(rest.AsSpan(0, size)), BinaryPrimitives.ReadUInt16BigEndian(rest.AsSpan(2 * size)));
        var destination = new IPEndPoint(new IPAddress(rest.AsSpan(size, size)), BinaryPrimitives.ReadUInt16BigEndian(rest.AsSpan(2 * size + 2)));
        return new ProxyHeader(family, source, destination, Tlvs(rest.AsSpan(2 * size + 4)));
    }

    public static Dictionary<byte, byte[]> Tlvs(ReadOnlySpan<byte> data)
    {
        var tlvs = new Dictionary<byte, byte[]>();
        while (data.Length > 0)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(data[1..]);
            tlvs.Add(data[0], data.Slice(3, length).ToArray());
            data = data[(3 + length)..];
        }
        return tlvs;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _accepting;
    }
}

public sealed record ProxyHeader(byte Family, IPEndPoint Source, IPEndPoint Destination, Dictionary<byte, byte[]> Tlvs);
