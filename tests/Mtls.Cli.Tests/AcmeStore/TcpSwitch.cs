using System.Net;
using System.Net.Sockets;

namespace Mtls.Cli.Tests.AcmeStore;

/// <summary>
/// A loopback TCP forwarder standing in for the load balancer in front of several CA nodes: clients see
/// one address (so the ACME URLs every node builds from the request agree), and each new connection goes
/// to the node the test has switched to (<see cref="Target"/>). TLS passes through untouched.
/// </summary>
public sealed class TcpSwitch : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();

    public TcpSwitch()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    /// <summary>Where new connections go (a node's URL; only its port is used); until set, connections are closed.</summary>
    public Uri? Target { get; set; }

    /// <summary>The one address clients use: https://127.0.0.1:PORT/.</summary>
    public Uri Url => new($"https://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            if (Target is { } target) _ = ForwardAsync(client, target.Port);
            else client.Dispose();
        }
    }

    private async Task ForwardAsync(TcpClient client, int port)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, port, _stop.Token);
                var a = client.GetStream();
                var b = upstream.GetStream();
                await Task.WhenAny(a.CopyToAsync(b, _stop.Token), b.CopyToAsync(a, _stop.Token));
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // a node killed or a client gone: the connection ends, as through a real balancer
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
