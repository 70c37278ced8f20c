using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace Mtls.Server.Tests;

/// <summary>
/// Clients that misbehave at the TCP and TLS level. Each must be dropped in bounded time, and after
/// each a good mTLS client must still get 200.
/// </summary>
[Trait("Category", "Hostile")]
public class HostileConnectionTests(WorkshopPki pki) : IClassFixture<WorkshopPki>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_silent_connection_is_dropped_after_the_handshake_timeout()
    {
        await using var server = await HostileServer.StartAsync(pki, handshakeTimeout: TimeSpan.FromSeconds(1));
        using var silent = await server.ConnectAsync();

        var closedAfter = await HostileSockets.WaitForServerCloseAsync(silent, Bound);

        Assert.NotNull(closedAfter);
        Assert.InRange(closedAfter.Value, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(6));
        var logged = await server.WaitForLogAsync(e => e.Kind == ServerLogKind.HandshakeFailed);
        Assert.Matches("^TLS handshake timed out with 127\\.0\\.0\\.1:[0-9]+: nothing received within 1 s$", logged.Message);
        await server.AssertGoodClientServedAsync();
    }

    [Fact]
    public async Task A_half_finished_ClientHello_is_dropped_after_the_handshake_timeout()
    {
        await using var server = await HostileServer.StartAsync(pki, handshakeTimeout: TimeSpan.FromSeconds(1));
        using var partial = await server.ConnectAsync();
        await partial.SendAsync(HostileSockets.PartialClientHello());

        var closedAfter = await HostileSockets.WaitForServerCloseAsync(partial, Bound);

        Assert.NotNull(closedAfter);
        Assert.InRange(closedAfter.Value, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(6));
        var logged = await server.WaitForLogAsync(e => e.Kind == ServerLogKind.HandshakeFailed);
        Assert.Matches("^TLS handshake (timed out|failed) with 127\\.0\\.0\\.1:[0-9]+", logged.Message);
        await server.AssertGoodClientServedAsync();
    }

    [Theory]
    [InlineData(true, 64)]      // looks like a TLS record, is not
    [InlineData(true, 70_000)]  // a record header announcing more than TLS allows, then noise
    [InlineData(false, 64)]     // neither TLS nor HTTP: TLS refuses it (only a request line gets the plain-HTTP 400)
    [InlineData(false, 100_000)]
    public async Task Garbage_instead_of_a_ClientHello_is_refused_quickly(bool asTls, int length)
    {
        await using var server = await HostileServer.StartAsync(pki, handshakeTimeout: TimeSpan.FromSeconds(5));
        using var garbage = await server.ConnectAsync();
        try { await garbage.SendAsync(HostileSockets.Garbage(length, asTls)); }
        catch (SocketException) { } // the server may already have hung up: that is a refusal too

        var closedAfter = await HostileSockets.WaitForServerCloseAsync(garbage, Bound);

        Assert.NotNull(closedAfter);
        Assert.True(closedAfter < TimeSpan.FromSeconds(5), $"closed only after {closedAfter}: garbage should not wait for the handshake timeout");
        var logged = await server.WaitForLogAsync(e => e.Kind == ServerLogKind.HandshakeFailed);
        Assert.Contains("127.0.0.1:", logged.Message);
        Assert.DoesNotContain('\n', logged.Message);
        await server.AssertGoodClientServedAsync();
    }

    [Fact]
    public async Task A_client_that_does_not_trust_the_server_is_logged_with_its_alert()
    {
        await using var server = await HostileServer.StartAsync(pki);
        var curl = Tool.Run("curl", ["-sS", "--cert", pki["client.crt"], "--key", pki["client.key"], $"https://localhost:{server.Port}/"]); // no --cacert

        Assert.Equal(60, curl.ExitCode); // curl: the peer's certificate cannot be authenticated
        var logged = await server.WaitForLogAsync(e => e.Kind == ServerLogKind.HandshakeFailed);
        Assert.Matches("^TLS handshake failed with 127\\.0\\.0\\.1:[0-9]+: .*", logged.Message);
        // curl sends the unknown_ca alert and closes at once; when its reset overtakes the alert the kernel
        // drops the alert unread, so the reason is one of the two.
        Assert.True(logged.Message.EndsWith("alert unknown ca (the client does not trust the CA that issued this server's certificate: give it that CA, e.g. curl --cacert server-ca.crt)", StringComparison.Ordinal)
            || logged.Message.EndsWith(": Connection reset by peer", StringComparison.Ordinal), logged.Message);
        await server.AssertGoodClientServedAsync();
    }

    [Fact]
    public async Task A_reset_in_the_middle_of_a_request_leaves_the_server_serving()
    {
        await using var server = await HostileServer.StartAsync(pki);
        for (var i = 0; i < 5; i++)
        {
            var socket = await server.ConnectAsync();
            var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: true);
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ClientCertificates = [pki.Client],
                RemoteCertificateValidationCallback = (_, _, _, _) => true, // the server is ours; the test is about the reset
            });
            await ssl.WriteAsync(Encoding.ASCII.GetBytes("GET /half HTTP/1.1\r\nHost: local"));
            await ssl.FlushAsync();
            HostileSockets.Reset(socket);
            ssl.Dispose();
        }
        using var halfHello = await server.ConnectAsync();
        await halfHello.SendAsync(HostileSockets.PartialClientHello());
        HostileSockets.Reset(halfHello);

        await server.AssertGoodClientServedAsync();
        Assert.DoesNotContain(server.Log, e => e.Kind == ServerLogKind.Request && e.Message.Contains("/half"));
    }

    [Fact]
    public async Task A_flood_of_connections_is_held_to_the_limit_and_the_rest_are_closed_at_once()
    {
        const int limit = 20, sockets = 200;
        var timeout = TimeSpan.FromSeconds(3);
        await using var server = await HostileServer.StartAsync(pki, handshakeTimeout: timeout, maxConnections: limit);

        var flood = await Task.WhenAll(Enumerable.Range(0, sockets).Select(async _ =>
        {
            var socket = await server.ConnectAsync();
            try { await socket.SendAsync(HostileSockets.PartialClientHello()); }
            catch (SocketException) { } // already refused
            return socket;
        }));
        try
        {
            var closes = await Task.WhenAll(flood.Select(s => HostileSockets.WaitForServerCloseAsync(s, Bound)));

            Assert.All(closes, c => Assert.NotNull(c)); // nobody is left hanging
            var held = closes.Count(c => c > timeout / 2);
            Assert.InRange(held, 1, limit); // served up to the limit (until their handshake timed out) ...
            Assert.True(sockets - held >= sockets - limit); // ... the rest closed at once
        }
        finally
        {
            foreach (var s in flood) s.Dispose();
        }
        await server.AssertGoodClientServedAsync();
    }
}
