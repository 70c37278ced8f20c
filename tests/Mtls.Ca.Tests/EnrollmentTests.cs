using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Inventory;

namespace Mtls.Ca.Tests;

/// <summary>POST /v1/enroll over real TLS on loopback: the happy path, proven by openssl, and the token race.</summary>
public class EnrollmentTests
{
    [Fact]
    public async Task A_token_and_a_csr_get_a_certificate_that_openssl_verifies_and_the_token_is_spent()
    {
        await using var ca = await RunningCa.StartAsync();
        var (key, csr) = RunningCa.Csr("localhost", "DNS:localhost");
        using var _ = key;
        var token = ca.Token("server", null, "DNS:localhost", "IP:127.0.0.1");
        using var client = ca.Client();
        var result = await client.EnrollAsync(token, csr, 600);

        Assert.NotNull(result.Issued);
        var leaf = X509Certificate2.CreateFromPem(result.Issued!.Certificate);
        Assert.Equal(InventoryRecord.SerialOf(leaf), result.Issued.Serial);
        Assert.InRange((leaf.NotAfter.ToUniversalTime() - ca.Clock.GetUtcNow().UtcDateTime).TotalSeconds, 590, 610);
        File.WriteAllText(ca.Dir["leaf.crt"], result.Issued.Certificate);
        File.WriteAllText(ca.Dir["chain.pem"], result.Issued.Chain);
        var verify = Tool.Openssl("verify", "-CAfile", ca.RootPath, "-untrusted", ca.Dir["chain.pem"], "-purpose", "sslserver", ca.Dir["leaf.crt"]);
        Assert.True(verify.ExitCode == 0, verify.ToString());

        var record = ca.Store.Find(result.Issued.Serial);
        Assert.NotNull(record);
        Assert.Equal("server", record!.Profile);
        Assert.Equal(["DNS:localhost"], record.SubjectAltNames); // the CSR asked for one of the two names allowed
        var spent = ca.Store.FindToken(EnrollmentToken.Hash(token))!;
        Assert.Equal(result.Issued.Serial, spent.UsedBy);
        Assert.Contains(ca.Store.Events(), e => e.Kind == "issued" && e.Serial == result.Issued.Serial);
    }

    [Fact]
    public async Task A_csr_without_names_gets_every_name_the_token_allows()
    {
        await using var ca = await RunningCa.StartAsync();
        var (key, csr) = RunningCa.Csr(cn: null);
        using var _ = key;
        using var client = ca.Client();
        var result = await client.EnrollAsync(ca.Token("client", null, "DNS:worker-1", "URI:spiffe://test/worker-1"), csr, null);
        Assert.NotNull(result.Issued);
        var record = ca.Store.Find(result.Issued!.Serial)!;
        Assert.Equal("CN=worker-1", record.Subject);
        Assert.Equal(["DNS:worker-1", "URI:spiffe://test/worker-1"], record.SubjectAltNames);
        Assert.Equal("client", record.Profile);
    }

    [Fact]
    public async Task Fifty_parallel_enrollments_with_one_token_get_exactly_one_certificate()
    {
        await using var ca = await RunningCa.StartAsync();
        var token = ca.Token();
        using var client = ca.Client();
        var csrs = Enumerable.Range(0, 50).Select(_ => RunningCa.Csr()).ToList();
        var results = await Task.WhenAll(csrs.Select(c => Task.Run(() => client.EnrollAsync(token, c.Csr, null))));

        Assert.Single(results, r => r.Issued is not null);
        Assert.All(results.Where(r => r.Issued is null), r => Assert.Equal("urn:mtls:error:token-used", r.Problem?.Type));
        var own = InventoryRecord.SerialOf(ca.App.TlsCertificate);
        Assert.Single(ca.Store.List(), r => r.Serial != own); // only the winner recorded (beside the CA's own TLS certificate)
        foreach (var (key, _) in csrs) key.Dispose();
    }
}
