using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Mtls.Pki;

namespace Mtls.Server;

/// <summary>Addresses, ports and the URLs shown to users.</summary>
internal static class Listening
{
    /// <summary>The addresses this machine can bind; IPv6 is dropped (with a warning) where the OS lacks it.</summary>
    public static IReadOnlyList<IPAddress> Usable(IReadOnlyList<IPAddress> requested, ServerLog log)
    {
        var usable = requested.Distinct().Where(a => a.AddressFamily != AddressFamily.InterNetworkV6 || Socket.OSSupportsIPv6).ToList();
        if (usable.Count == 0)
            throw new MtlsException(log.Say(nameof(Resources.Strings.Config_NoUsableBind), string.Join(", ", requested.Distinct())), ExitCode.BadInput);
        if (usable.Count < requested.Distinct().Count())
            log.Write(ServerEvent.Warning, log.Say(nameof(Resources.Strings.Warning_Ipv6Unavailable)));
        return usable;
    }

    /// <summary>
    /// A failure to listen said as what it is (exit code 1): the port taken by another program, or an
    /// address this machine does not have or a port it may not use; null for any other failure. A taken
    /// port is <see cref="MtlsErrorKind.PortInUse"/>, so that a caller may pick another port instead.
    /// </summary>
    public static MtlsException? Failure(Exception e, IReadOnlyList<IPAddress> binds, int port, ServerLog log)
    {
        var endpoints = string.Join(", ", binds.Select(b => new IPEndPoint(b, port)));
        // Kestrel reports a taken port as an IOException around AddressInUseException, other bind errors
        // as the SocketException itself (EADDRNOTAVAIL, EACCES).
        var cause = e is IOException { InnerException: { } inner } ? inner : e;
        return cause switch
        {
            AddressInUseException or SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } =>
                new MtlsException(log.Say(nameof(Resources.Strings.Listen_InUse), endpoints), ExitCode.Failed, e) { Kind = MtlsErrorKind.PortInUse },
            SocketException socket => new MtlsException(log.Say(nameof(Resources.Strings.Listen_Failed), endpoints, socket.Message.TrimEnd('.')), ExitCode.Failed, e),
            _ => null,
        };
    }

    public static int FreePort(IPAddress address)
    {
        using var probe = new TcpListener(address, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public static int BoundPort(IServerAddressesFeature? addresses, int requested)
    {
        if (requested != 0 || addresses is null) return requested;
        // The TLS endpoint's port: mtls proxy's plain-HTTP status listener is an http:// address beside it.
        foreach (var address in addresses.Addresses)
            if (Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Port > 0 && uri.Scheme == Uri.UriSchemeHttps)
                return uri.Port;
        foreach (var address in addresses.Addresses)
            if (Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Port > 0)
                return uri.Port;
        throw new InvalidOperationException("Kestrel did not report the port it chose");
    }

    public static IReadOnlyList<Uri> Urls(IReadOnlyList<IPAddress> binds, int port) =>
        binds.Select(address => Host(address) is var host ? new Uri($"https://{host}:{port}/") : null!)
            .DistinctBy(u => u.ToString()).ToList();

    // Loopback and wildcard addresses are reached as localhost; a certificate names localhost far more
    // often than 127.0.0.1 (the seed's has only CN=localhost).
    private static string Host(IPAddress address) =>
        IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ? "localhost"
        : address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
}
