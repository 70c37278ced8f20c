using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Mtls.Soak;

/// <summary>
/// Every kind of bad client of the hostile tests, as one bounded action each: the server must close
/// or refuse it; the action returns once the server has done so (or the bound is reached).
/// </summary>
internal sealed class BadClients(int port, X509Certificate2 impostor, TimeSpan bound)
{
    public static readonly string[] Kinds = ["silent", "half-hello", "garbage-tls", "garbage-plain", "reset-mid-request", "impostor-cert", "no-cert"];

    /// <summary>Runs one bad client; true when the server refused it as it should.</summary>
    public async Task<bool> RunAsync(string kind, CancellationToken ct)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(bound);
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            switch (kind)
            {
                case "silent": return await ClosedByServerAsync(socket, timeout.Token);
                case "half-hello": await socket.SendAsync(HalfHello, timeout.Token); return await ClosedByServerAsync(socket, timeout.Token);
                case "garbage-tls": await socket.SendAsync(Garbage(0x16), timeout.Token); return await ClosedByServerAsync(socket, timeout.Token);
                case "garbage-plain": await socket.SendAsync(Garbage((byte)'Q'), timeout.Token); return await ClosedByServerAsync(socket, timeout.Token);
                case "reset-mid-request":
                    using (var ssl = await HandshakeAsync(socket, impostor, timeout.Token))
                    {
                        await ssl.WriteAsync(Encoding.ASCII.GetBytes("GET /half HTTP/1.1\r\nHost: loc"), timeout.Token);
                        await ssl.FlushAsync(timeout.Token);
                        socket.LingerState = new LingerOption(true, 0); // RST, not FIN
                        socket.Close();
                        return true;
                    }
                default: // impostor-cert, no-cert: a complete request that must get 403
                    using (var ssl = await HandshakeAsync(socket, kind == "no-cert" ? null : impostor, timeout.Token))
                    {
                        await ssl.WriteAsync("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"u8.ToArray(), timeout.Token);
                        var buffer = new byte[512];
                        var n = await ssl.ReadAsync(buffer, timeout.Token);
                        return Encoding.ASCII.GetString(buffer, 0, n).StartsWith("HTTP/1.1 403", StringComparison.Ordinal);
                    }
            }
        }
        catch (Exception e) when (e is SocketException or IOException or AuthenticationException)
        {
            return kind is not ("impostor-cert" or "no-cert"); // closing on a bad client is a refusal; a 403 was due
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false; // the server held a bad client past the bound
        }
    }

    private static async Task<SslStream> HandshakeAsync(Socket socket, X509Certificate2? client, CancellationToken ct)
    {
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false));
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificates = client is null ? null : [client],
            RemoteCertificateValidationCallback = (_, _, _, _) => true, // a bad client does not care who the server is
        }, ct);
        return ssl;
    }

    private static async Task<bool> ClosedByServerAsync(Socket socket, CancellationToken ct)
    {
        var buffer = new byte[4096];
        for (var reads = 0; reads < 1000; reads++) // bounded: the server may answer 400 before closing
            if (await socket.ReceiveAsync(buffer, SocketFlags.None, ct) == 0)
                return true;
        return false;
    }

    private static readonly byte[] HalfHello = [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03, .. new byte[32]];

    private static byte[] Garbage(byte first)
    {
        var bytes = new byte[2048];
        Random.Shared.NextBytes(bytes);
        bytes[0] = first;
        return bytes;
    }
}
