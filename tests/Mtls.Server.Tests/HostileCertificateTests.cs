using System.Diagnostics;
using Mtls.Pki.Certificates;

namespace Mtls.Server.Tests;

/// <summary>
/// Clients presenting absurd certificates: a chain of 120 CAs, a certificate of 400 KB. openssl s_client
/// sends them verbatim (-cert_chain); the server must refuse them in bounded time and memory and keep
/// serving. OpenSSL underneath SslStream already caps a peer's certificate list at 100 KB
/// (SSL_CTX_set_max_cert_list default); our path validator caps the chain length (MaxDepth).
/// </summary>
[Trait("Category", "Hostile")]
public class HostileCertificateTests(WorkshopPki pki) : IClassFixture<WorkshopPki>
{
    private const long MemoryBound = 64L * 1024 * 1024;

    [Fact]
    public async Task A_chain_of_120_certificates_is_refused_in_bounded_time()
    {
        var (leaf, intermediates) = HostileCertificates.LongChain(pki.ClientCa, 120);
        await using var server = await HostileServer.StartAsync(pki, handshakeTimeout: TimeSpan.FromSeconds(10));

        var (answer, elapsed, grown) = Present(server, leaf, intermediates, "deep");

        Assert.DoesNotContain("HTTP/1.1 200", answer);
        Assert.True(elapsed < TimeSpan.FromSeconds(20), $"took {elapsed}");
        Assert.True(grown < MemoryBound, $"working set grew by {grown / 1024 / 1024} MB");
        await server.AssertGoodClientServedAsync();
    }

    [Fact]
    public async Task A_certificate_of_400_KB_is_refused_in_bounded_time()
    {
        var huge = HostileCertificates.Huge(pki.ClientCa, 400 * 1024);
        await using var server = await HostileServer.StartAsync(pki, handshakeTimeout: TimeSpan.FromSeconds(10));

        var (answer, elapsed, grown) = Present(server, huge, [], "huge");

        Assert.DoesNotContain("HTTP/1.1 200", answer);
        Assert.True(elapsed < TimeSpan.FromSeconds(20), $"took {elapsed}");
        Assert.True(grown < MemoryBound, $"working set grew by {grown / 1024 / 1024} MB");
        await server.AssertGoodClientServedAsync();
    }

    /// <summary>openssl s_client presenting the certificate and chain as given, asking for / once.</summary>
    private (string Answer, TimeSpan Elapsed, long Grown) Present(HostileServer server, System.Security.Cryptography.X509Certificates.X509Certificate2 leaf,
        IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2> chain, string name)
    {
        var (cert, key) = TestPki.Save(leaf, pki.Dir.Path, name);
        var chainPath = pki[name + "-chain.pem"];
        File.WriteAllText(chainPath, string.Concat(chain.Select(CertificateFile.ToPem)));
        var before = Environment.WorkingSet;
        var clock = Stopwatch.StartNew();
        string[] args = ["s_client", "-connect", $"127.0.0.1:{server.Port}", "-servername", "localhost", "-CAfile", pki["server-ca.crt"],
            "-cert", cert, "-key", key, "-ign_eof", "-quiet"];
        if (chain.Count > 0) args = [.. args, "-cert_chain", chainPath];
        var result = Tool.Run("openssl", args, stdin: "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", timeout: TimeSpan.FromSeconds(30));
        return (result.Stdout, clock.Elapsed, Environment.WorkingSet - before);
    }
}
