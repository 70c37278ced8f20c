using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mtls.Server.Tests;

/// <summary>Minimal real TCP peers for failure cases: a plain-HTTP server and a server that never answers.</summary>
public sealed class PlainPeer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();

    private PlainPeer(string? response)
    {
        _listener.Start();
        _ = AcceptLoopAsync(response);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Answers every connection with this HTTP response (after reading the request's first bytes).</summary>
    public static PlainPeer Http(int status, string reason, string body) => new(
        $"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}");

    /// <summary>Accepts connections and never says anything.</summary>
    public static PlainPeer Silent() => new(null);

    private async Task AcceptLoopAsync(string? response)
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = Task.Run(async () =>
                {
                    using var connection = client;
                    try
                    {
                        var stream = client.GetStream();
                        _ = await stream.ReadAsync(new byte[4096], _stop.Token); // the request, or its first part: enough
                        if (response is null) { await Task.Delay(Timeout.Infinite, _stop.Token); return; }
                        await stream.WriteAsync(Encoding.UTF8.GetBytes(response), _stop.Token);
                    }
                    catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException) { }
                });
            }
        }
        catch (OperationCanceledException) { }
        catch (ObjectDisposedException) { }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
