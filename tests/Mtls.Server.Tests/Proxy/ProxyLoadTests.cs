using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Certificates;
using Mtls.Pki.Revocation;
using Mtls.Server.Proxy;

namespace Mtls.Server.Tests.Proxy;

/// <summary>
/// Issue 16, acceptance 6 and 7: replacing the server certificate and the CRL while a client loops
/// requests (a new handshake each time) loses no request; good clients keep being served while 200
/// slow or garbage connections are held open.
/// </summary>
[Trait("Category", "Proxy")]
public class ProxyLoadTests(WorkshopPki pki) : IClassFixture<WorkshopPki>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Reloading_the_certificate_and_the_crl_under_a_request_loop_loses_no_request()
    {
        using var dir = new TempDir();
        var first = TestPki.Issue(pki.ServerCa, "/CN=localhost", CertificateProfile.Server, ["DNS:localhost"]);
        var (certFile, keyFile) = TestPki.Save(first, dir.Path, "server");
        var other = TestPki.Issue(pki.ClientCa, "/O=Kame/CN=Soon Revoked", CertificateProfile.Client);
        var crl = Publish(dir["client-ca.crl"]);
        await using var backend = await EchoBackend.StartAsync();
        await using var proxy = await RunningProxy.StartAsync(pki, new ProxyOptions { Target = backend.Url, Allow = new AllowList { AllowAll = true } },
            crls: [crl], certFile: certFile, keyFile: keyFile, certificate: first);

        var served = new ConcurrentQueue<(HttpStatusCode Status, string Serial)>();
        var failures = new ConcurrentQueue<Exception>();
        using var stop = new CancellationTokenSource();
        var loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var serial = "";
                using var handler = new SocketsHttpHandler(); // a new connection, so a new handshake, each time
                handler.SslOptions.ClientCertificates = [pki.Client];
                handler.SslOptions.RemoteCertificateValidationCallback = (_, c, _, _) =>
                {
                    serial = ((X509Certificate2)c!).SerialNumber;
                    return ((X509Certificate2)c).Issuer == pki.ServerCa.Certificate.Subject;
                };
                using var http = new HttpClient(handler);
                try
                {
                    using var response = await http.GetAsync(proxy.Url + "loop");
                    served.Enqueue((response.StatusCode, serial));
                }
                catch (Exception e) { failures.Enqueue(e); }
            }
        });
        await Until(() => served.Count >= 10, "the loop runs");

        var second = TestPki.Issue(pki.ServerCa, "/CN=localhost", CertificateProfile.Server, ["DNS:localhost"]);
        var (newCert, newKey) = TestPki.Save(second, dir.Path, "server-new");
        File.Move(newKey, keyFile, overwrite: true);
        File.Move(newCert, certFile, overwrite: true);
        await Until(() => served.Any(s => s.Serial == second.SerialNumber), "handshakes get the new certificate");

        Publish(crl, other);
        await Until(() => proxy.Log.Count(e => e.Event == ServerEvent.Reloaded) >= 2, "the CRL is reloaded");
        var count = served.Count;
        await Until(() => served.Count >= count + 10, "the loop goes on after both reloads");
        await stop.CancelAsync();
        await loop;

        Assert.Empty(failures);
        Assert.All(served, s => Assert.Equal(HttpStatusCode.OK, s.Status));
        Assert.Equal(served.Count, backend.Seen.Count);
        // The new CRL is in force: the revoked client is refused, on the same proxy.
        TestPki.Save(other, dir.Path, "other");
        var refused = Tool.Run("curl", ["-sS", "--max-time", "10", "--cacert", pki["server-ca.crt"], "--cert", dir["other.crt"], "--key", dir["other.key"], proxy.Url]);
        Assert.Contains("revoked", refused.Stdout);
    }

    [Fact]
    public async Task Good_clients_are_served_while_200_slow_and_garbage_connections_are_held_open()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var proxy = await RunningProxy.StartAsync(pki, new ProxyOptions { Target = backend.Url, Allow = new AllowList { AllowAll = true } });
        var held = new List<Socket>();
        try
        {
            for (var i = 0; i < 200; i++)
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, proxy.Server.Port);
                held.Add(socket);
                // A third say nothing, a third start a TLS record and stall, a third start a plain request and stall.
                if (i % 3 == 1) await socket.SendAsync(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00 });
                else if (i % 3 == 2) await socket.SendAsync("GET / HTTP/1.1\r\nHost: x"u8.ToArray());
            }
            var ok = 0;
            var attempts = 0;
            var clients = Enumerable.Range(0, 4).Select(async _ =>
            {
                for (var round = 0; round < 5; round++)
                {
                    using var handler = new SocketsHttpHandler();
                    handler.SslOptions.ClientCertificates = [pki.Client];
                    handler.SslOptions.RemoteCertificateValidationCallback = (_, c, _, _) => ((X509Certificate2)c!).Issuer == pki.ServerCa.Certificate.Subject;
                    using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
                    for (var i = 0; i < 25; i++)
                    {
                        Interlocked.Increment(ref attempts);
                        try
                        {
                            using var response = await http.GetAsync(proxy.Url + "good");
                            if (response.IsSuccessStatusCode) Interlocked.Increment(ref ok);
                        }
                        catch (HttpRequestException) { }
                        catch (TaskCanceledException) { }
                    }
                }
            });
            await Task.WhenAll(clients);
            Assert.Equal(500, attempts);
            Assert.True(ok >= attempts * 999 / 1000, $"{ok} of {attempts} good requests served");
            Assert.Equal(ok, backend.Seen.Count);
        }
        finally
        {
            foreach (var socket in held) socket.Dispose();
        }
    }

    private string Publish(string path, params X509Certificate2[] revoked)
    {
        var now = DateTimeOffset.UtcNow;
        var der = pki.ClientCa.CreateCrl(revoked.Select(c => new RevokedCertificate(Convert.ToHexString(c.SerialNumberBytes.Span), now.AddSeconds(-1), X509RevocationReason.KeyCompromise)),
            new BigInteger(now.ToUnixTimeMilliseconds()), now.AddMinutes(-1), now.AddDays(1));
        File.WriteAllText(path + ".new", CrlFile.ToPem(der));
        File.Move(path + ".new", path, overwrite: true); // as CAs publish: write beside, then rename
        return path;
    }

    /// <summary>Polls a condition the proxy reaches on its own; bounded, never a blind sleep.</summary>
    private static async Task Until(Func<bool> condition, string what)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, $"not within {Deadline.TotalSeconds} s: {what}");
            await Task.Delay(20);
        }
    }
}
