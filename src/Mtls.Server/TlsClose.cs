using System.Net.Security;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Mtls.Server;

/// <summary>
/// Connection middleware placed just after UseHttps: when the HTTP connection ends (an HTTP/1.0 or
/// <c>Connection: close</c> answer, the client's own close_notify or FIN, an idle keep-alive, a refused
/// renegotiation), the server sends its TLS close_notify before Kestrel closes the socket, as RFC 8446
/// 6.1 and RFC 5246 7.2.1 ask and nginx does. Kestrel only disposes its SslStream, and .NET's OpenSSL
/// contexts are set to quiet shutdown, so without this every close was a bare TCP FIN: strict clients
/// (OpenSSL 3, Python with suppress_ragged_eofs=False) report "unexpected eof", a truncation they
/// cannot tell from an attack. SslStream.ShutdownAsync is the one call that sends close_notify.
/// </summary>
internal static class TlsClose
{
    /// <summary>
    /// How long the close_notify may take to leave. It is 24 bytes, but a client that stopped reading
    /// can leave the socket's buffers full; such a connection is aborted instead (no close_notify, which
    /// is right: its data did not all arrive).
    /// </summary>
    private static readonly TimeSpan SendBound = TimeSpan.FromSeconds(2);

    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware() => next => async connection =>
    {
        await next(connection);
        if (connection.Features.Get<ISslStreamFeature>()?.SslStream is { } tls)
            await SendCloseNotifyAsync(connection, tls);
    };

    private static async Task SendCloseNotifyAsync(ConnectionContext connection, SslStream tls)
    {
        try
        {
            // What HTTP wrote is in the transport's writer over the SslStream: out first, then the alert.
            // Completing the writer twice is harmless (Kestrel completed it already for most closes).
            await connection.Transport.Output.CompleteAsync();
            await tls.ShutdownAsync().WaitAsync(SendBound);
        }
        catch (TimeoutException)
        {
            connection.Abort(new ConnectionAbortedException("the client did not read the TLS close_notify"));
        }
        // The client may be gone (reset, already closed), the connection aborted by Kestrel (a timeout,
        // a protocol error: its output is completed) or the SslStream unusable after a TLS failure. There
        // is nothing left to tell such a client.
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException or NotSupportedException
            or OperationCanceledException or System.Security.Authentication.AuthenticationException) { }
    }
}
