using System.Net;
using System.Net.Sockets;

namespace Mtls.Ca.Tests.Acme;

/// <summary>
/// A free loopback port for a client that must be told its port in advance (certbot and lego bind the
/// challenge port themselves and cannot take 0). The kernel picks it; the short window before the client
/// binds is the only race.
/// </summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
