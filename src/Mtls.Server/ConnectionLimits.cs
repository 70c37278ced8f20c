using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Mtls.Server;

/// <summary>
/// Bounds on what one client (or many) can make the server hold. Kestrel counts a connection from
/// accept to close, before TLS, so a flood of idle sockets is refused at the limit (Kestrel accepts and
/// closes them at once; the client sees a reset or EOF) while the connections already open are served.
/// </summary>
internal static class ConnectionLimits
{
    /// <summary>Request headers are a few hundred bytes here; Kestrel's 32 KiB default is plenty but explicit.</summary>
    private const int MaxRequestHeaderBytes = 32 * 1024;

    public static void Apply(KestrelServerLimits limits, MtlsServerOptions options)
    {
        limits.MaxConcurrentConnections = options.MaxConnections;
        // serve never upgrades; mtls proxy passes WebSockets through, each one a connection already counted.
        limits.MaxConcurrentUpgradedConnections = options.MaxConnections;
        limits.MaxRequestHeadersTotalSize = MaxRequestHeaderBytes;
        // The server answers GETs; a body is never read, so a large one is refused early.
        limits.MaxRequestBodySize = 64 * 1024;
        // A client that sends half a request and then nothing is dropped instead of holding the slot.
        limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
        limits.KeepAliveTimeout = TimeSpan.FromSeconds(30);
        if (options.Proxy is { } proxy)
        {
            // mtls proxy streams bodies to the backend, of any size (uploads, gRPC streams); a client that
            // trickles one is bounded by the minimum rate instead (after a 5 s grace), and its headers by the timeout.
            limits.MaxRequestBodySize = null;
            limits.RequestHeadersTimeout = proxy.HeaderTimeout;
            limits.MinRequestBodyDataRate = proxy.MinBodyRate > 0 ? new MinDataRate(proxy.MinBodyRate, TimeSpan.FromSeconds(5)) : null;
        }
    }
}
