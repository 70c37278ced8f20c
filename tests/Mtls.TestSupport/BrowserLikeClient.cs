using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Mtls.TestSupport;

/// <summary>What Chromium and Firefox do to their first connection to an mTLS server.</summary>
public static class BrowserLikeClient
{
    /// <summary>
    /// Sends a real ClientHello (SslStream, TLS 1.3); when the server's flight arrives with its
    /// CertificateRequest, closes the socket without an alert.
    /// </summary>
    public static async Task DropAfterCertificateRequestAsync(string host, int port)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(host, port);
        var asked = false;
        await using var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: true);
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = host,
                EnabledSslProtocols = SslProtocols.Tls13,
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
                LocalCertificateSelectionCallback = (_, _, _, remote, _) =>
                {
                    if (remote is null) return null!; // called once before the handshake too
                    asked = true;
                    socket.Close();
                    return null!;
                },
            });
        }
        catch (Exception e) when (e is IOException or AuthenticationException or ObjectDisposedException or SocketException) { }
        if (!asked) throw new InvalidOperationException($"{host}:{port} did not ask for a client certificate; the drop would not be a browser's");
    }
}
