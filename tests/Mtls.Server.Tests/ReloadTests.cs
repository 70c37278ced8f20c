using System.Collections.Concurrent;
using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using Mtls.Client;
using Mtls.Pki;
using Mtls.Pki.Certificates;
using Mtls.Pki.Revocation;
using Mtls.Pki.Trust;

namespace Mtls.Server.Tests;

/// <summary>
/// Issue 6 on the server: revoked clients are refused, CRLs and the server's own certificate are
/// reloaded from their files while the server runs, and stale CRLs are refused unless told otherwise.
/// </summary>
public sealed class ReloadTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);
    private readonly TempDir _dir = new();
    private readonly CertificateAuthority _serverCa = TestPki.Root("/O=Kame/CN=ca.server.example.com");
    private readonly CertificateAuthority _clientCa = TestPki.Root("/O=Kame/CN=ca.client.example.com");
    private readonly X509Certificate2 _alice;
    private readonly X509Certificate2 _bob;
    private readonly ConcurrentQueue<ServerLogEntry> _log = new();

    public ReloadTests()
    {
        _alice = TestPki.Issue(_clientCa, "/O=Kame/CN=Alice", CertificateProfile.Client);
        _bob = TestPki.Issue(_clientCa, "/O=Kame/CN=Bob", CertificateProfile.Client);
    }

    public void Dispose() => _dir.Dispose();

    private string PublishCrl(string name, DateTimeOffset nextUpdate, params X509Certificate2[] revoked)
    {
        var now = DateTimeOffset.UtcNow;
        var der = _clientCa.CreateCrl(revoked.Select(c => new RevokedCertificate(Convert.ToHexString(c.SerialNumberBytes.Span), now.AddSeconds(-1), X509RevocationReason.KeyCompromise)),
            new BigInteger(now.ToUnixTimeMilliseconds()), nextUpdate < now ? nextUpdate.AddDays(-1) : now.AddMinutes(-1), nextUpdate);
        // Publish as CAs do: write beside, then rename over the old file.
        var path = _dir[name];
        File.WriteAllText(path + ".new", CrlFile.ToPem(der));
        File.Move(path + ".new", path, overwrite: true);
        return path;
    }

    private Task<MtlsServer> Start(IReadOnlyList<string> crls, bool acceptStale = false, string? certFile = null, string? keyFile = null, X509Certificate2? cert = null) =>
        MtlsServer.StartAsync(new MtlsServerOptions
        {
            Certificate = cert ?? TestPki.Issue(_serverCa, "/CN=localhost", CertificateProfile.Server),
            ClientCas = [_clientCa.Certificate],
            CrlFiles = crls,
            AcceptStaleCrls = acceptStale,
            CertificateFile = certFile,
            KeyFile = keyFile,
            ReloadInterval = TimeSpan.FromMilliseconds(100),
            Port = 0,
            Log = _log.Enqueue,
        });

    private Task<GetResult> Get(MtlsServer server, X509Certificate2 client) =>
        MtlsClient.GetAsync(server.Urls[0], new MtlsClientOptions { TrustedCas = [_serverCa.Certificate], ClientCertificate = client });

    /// <summary>Polls a condition the server reaches on its own (a file reload); bounded, never a blind sleep.</summary>
    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, $"not within {Deadline.TotalSeconds} s: {what}");
            await Task.Delay(50);
        }
    }

    [Fact, Trait("Category", "Interop")]
    public async Task Revoking_a_client_and_replacing_the_crl_refuses_it_within_seconds_while_others_continue()
    {
        var crl = PublishCrl("client-ca.crl", DateTimeOffset.UtcNow.AddDays(7));
        await using var server = await Start([crl]);
        Assert.True((await Get(server, _alice)).Success);
        Assert.True((await Get(server, _bob)).Success);

        PublishCrl("client-ca.crl", DateTimeOffset.UtcNow.AddDays(7), _alice);
        await Eventually(async () => (await Get(server, _alice)).StatusCode == 403, "Alice refused after the CRL was replaced");
        var refused = await Get(server, _alice);
        Assert.Equal(ClientFailureKind.ClientCertificateRejected, refused.Failure?.Kind);
        Assert.Contains("was revoked on", refused.Failure!.Message);
        Assert.True((await Get(server, _bob)).Success, "Bob is not revoked and keeps getting in");
        Assert.Contains(_log, e => e.Kind == ServerLogKind.Rejected && e.Reason == nameof(FailureReason.Revoked) && e.ClientSubject!.Contains("CN=Alice"));
        Assert.Contains(_log, e => e.Kind == ServerLogKind.Reloaded && e.Message.Contains("1 revoked"));

        // curl, a real peer, sees the refusal and the reason too.
        var (aliceCert, aliceKey) = TestPki.Save(_alice, _dir.Path, "alice");
        var caFile = TestPki.SaveCa(_serverCa, _dir.Path, "server-ca");
        var curl = Tool.Run("curl", ["-sS", "--cacert", caFile, "--cert", aliceCert, "--key", aliceKey, server.Urls[0].ToString()]);
        Assert.Contains("403 Forbidden", curl.Stdout);
        Assert.Contains("revoked", curl.Stdout);
    }

    [Fact]
    public async Task A_stale_crl_refuses_the_clients_it_covers_unless_told_to_warn()
    {
        var crl = PublishCrl("stale.crl", DateTimeOffset.UtcNow.AddMinutes(-1));
        await using (var strict = await Start([crl]))
        {
            var result = await Get(strict, _bob);
            Assert.Equal(403, result.StatusCode);
            Assert.Contains("expired on", result.Failure!.Message);
            Assert.Contains(_log, e => e.Kind == ServerLogKind.Warning && e.Message.Contains("REFUSED until a fresh CRL"));
        }
        await using var lenient = await Start([crl], acceptStale: true);
        Assert.True((await Get(lenient, _bob)).Success);
    }

    [Fact]
    public async Task A_crl_of_another_ca_or_a_broken_one_stops_the_start_with_one_clear_line()
    {
        using var other = TestPki.Root("/O=Kame/CN=ca.client.example.com");
        var forged = other.CreateCrl([], 1, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(_dir["forged.crl"], CrlFile.ToPem(forged));
        var e = await Assert.ThrowsAsync<MtlsException>(() => Start([_dir["forged.crl"]]));
        Assert.Contains("is not signed by the client CA", e.Message);
        File.WriteAllText(_dir["junk.crl"], "not a crl\n");
        await Assert.ThrowsAsync<MtlsException>(() => Start([_dir["junk.crl"]]));
    }

    [Fact]
    public async Task A_broken_crl_file_during_a_reload_keeps_the_previous_crls()
    {
        var crl = PublishCrl("client-ca.crl", DateTimeOffset.UtcNow.AddDays(7), _alice);
        await using var server = await Start([crl]);
        File.WriteAllText(crl, "-----BEGIN X509 CRL-----\nbroken\n-----END X509 CRL-----\n");
        await Eventually(() => Task.FromResult(_log.Any(e => e.Kind == ServerLogKind.Warning && e.Message.Contains("previous CRLs stay in force"))), "reload failure logged");
        Assert.Equal(403, (await Get(server, _alice)).StatusCode);
        Assert.True((await Get(server, _bob)).Success);
    }

    [Fact]
    public async Task The_server_certificate_is_reloaded_from_its_files_without_dropping_open_connections()
    {
        var first = TestPki.Issue(_serverCa, "/CN=localhost", CertificateProfile.Server);
        var (certFile, keyFile) = TestPki.Save(first, _dir.Path, "server");
        await using var server = await Start([], certFile: certFile, keyFile: keyFile, cert: first);

        // A kept-alive connection opened before the reload.
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.ClientCertificates = [_bob];
        handler.SslOptions.RemoteCertificateValidationCallback = (_, c, _, _) => c is not null;
        using var http = new HttpClient(handler);
        Assert.True((await http.GetAsync(server.Urls[0])).IsSuccessStatusCode);

        var second = TestPki.Issue(_serverCa, "/CN=localhost", CertificateProfile.Server);
        var (newCert, newKey) = TestPki.Save(second, _dir.Path, "server-new");
        File.Move(newKey, keyFile, overwrite: true);
        File.Move(newCert, certFile, overwrite: true);
        var expected = Pki.Inspection.Hex.Colon(second.SerialNumberBytes.Span);
        await Eventually(async () => (await Get(server, _bob)).Tls?.ServerChain[0].Serial == expected, "new handshakes get the new certificate");
        Assert.Contains(_log, e => e.Kind == ServerLogKind.Reloaded && e.Message.Contains(expected));
        Assert.True((await http.GetAsync(server.Urls[0])).IsSuccessStatusCode, "the open connection keeps working");
    }

    [Fact]
    public void Certificates_and_cas_about_to_expire_are_warned_about()
    {
        var now = DateTimeOffset.UtcNow;
        var soon = TestPki.Issue(_serverCa, "/CN=localhost", CertificateProfile.Server, days: 10);
        var warnings = ServerTlsWarnings(soon, now);
        Assert.Contains(warnings, w => w.Contains("server certificate") && w.Contains("in 9 day") || w.Contains("in 10 day"));
        Assert.Empty(ServerTlsWarnings(TestPki.Issue(_serverCa, "/CN=localhost", CertificateProfile.Server, days: 90), now));
    }

    private List<string> ServerTlsWarnings(X509Certificate2 cert, DateTimeOffset now) =>
        ServerTls.ExpiryWarnings(cert, [_clientCa.Certificate], now).ToList();
}
