using System.Net;
using System.Net.Sockets;

namespace Mtls.Server.Proxy;

/// <summary>
/// Where requests go: an http(s) URL, or HTTP over a Unix socket (<c>unix:/run/app.sock</c>). Owns the
/// one HTTP client of the proxy: SocketsHttpHandler with no proxy, no cookies, no redirects, no
/// decompression, no propagated trace headers (a proxy forwards what it got, nothing more).
/// </summary>
internal sealed class BackendTarget : IDisposable
{
    private BackendTarget(string display, string prefix, EndPoint endPoint, bool isLoopback, bool isUnix)
    {
        Display = display;
        Prefix = prefix;
        EndPoint = endPoint;
        IsLoopback = isLoopback;
        IsUnix = isUnix;
    }

    /// <summary>The target as the user wrote it, for messages.</summary>
    public string Display { get; }

    /// <summary>YARP's destination prefix (for a Unix socket, http://localhost plus the socket's connection callback).</summary>
    public string Prefix { get; }

    /// <summary>The address connected to (for /_status).</summary>
    public EndPoint EndPoint { get; }

    /// <summary>On this machine: a loopback address, localhost, or a Unix socket.</summary>
    public bool IsLoopback { get; }

    public bool IsUnix { get; }

    /// <summary>TCP mode (<c>tcp://HOST:PORT</c>): bytes, not HTTP; no HTTP client is made.</summary>
    public bool IsTcp => Prefix.StartsWith("tcp://", StringComparison.Ordinal);

    public HttpMessageInvoker? Invoker { get; private set; }

    /// <summary>Parses a target; null when it is not one (the caller says why).</summary>
    public static BackendTarget? Parse(string text)
    {
        if (text.StartsWith("unix:", StringComparison.Ordinal))
        {
            var path = text["unix:".Length..];
            if (path.StartsWith("//", StringComparison.Ordinal)) path = path[2..];
            if (!path.StartsWith('/')) return null;
            return new BackendTarget(text, "http://localhost", new UnixDomainSocketEndPoint(path), true, true);
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https" or "tcp")
            || (uri.Scheme == "tcp" && (uri.Port is <= 0 or > 65535 || uri.AbsolutePath != "/")) || uri.Host.Length == 0
            || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
            return null;
        var loopback = uri.IsLoopback; // localhost, 127.0.0.0/8, ::1
        EndPoint endPoint = IPAddress.TryParse(uri.DnsSafeHost, out var ip) ? new IPEndPoint(ip, uri.Port) : new DnsEndPoint(uri.DnsSafeHost, uri.Port);
        return new BackendTarget(text, uri.GetLeftPart(UriPartial.Path).TrimEnd('/'), endPoint, loopback, false);
    }

    /// <summary>Makes the HTTP client; connecting is bounded by <paramref name="timeout"/>.</summary>
    public void Open(TimeSpan timeout)
    {
        if (IsTcp) return;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ActivityHeadersPropagator = null,
            ConnectTimeout = timeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
        };
        if (IsUnix)
        {
            var endPoint = EndPoint;
            handler.ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(endPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }
        Invoker = new HttpMessageInvoker(handler);
    }

    /// <summary>Whether the backend accepts a connection within <paramref name="timeout"/>: null if so, else why not.</summary>
    public async Task<string?> ProbeAsync(TimeSpan timeout, System.Globalization.CultureInfo language)
    {
        using var socket = EndPoint is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await socket.ConnectAsync(EndPoint, cts.Token);
            return null;
        }
        catch (OperationCanceledException)
        {
            return ProxyText.Format(nameof(Resources.Proxy.Status_NoConnectionWithin), language, ProxyText.Seconds(timeout));
        }
        catch (SocketException e)
        {
            return e.Message;
        }
    }

    public void Dispose() => Invoker?.Dispose();
}
