using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inventory;
using Mtls.Pki.Names;

namespace Mtls.Ca.Tests;

/// <summary>
/// Tokens that bind a subject CN (`ca token --cn`), over real TLS on loopback: the issued subject is
/// exactly CN=&lt;token CN&gt; whatever else the CSR asked for, a different CSR CN is refused naming both,
/// names stay what the token allows, and renewal keeps the subject. Read back by openssl.
/// </summary>
public class TokenCommonNameTests
{
    /// <summary>A P-256 key and a CSR with the subject <paramref name="subject"/> (slash or RFC 4514 form; "" for none) and the SANs given.</summary>
    private static (ECDsa Key, string Csr) Csr(string subject, params string[] sans)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var name = subject.Length == 0 ? new X500DistinguishedNameBuilder().Build() : DistinguishedName.Parse(subject);
        return (key, CsrFile.ToPem(CsrFile.Create(key, name, sans.Select(SubjectAlternativeName.Parse).ToList())));
    }

    [Theory]
    [InlineData("/C=JP/O=Elsewhere/OU=Forged/CN=Super Client")] // the same CN with more attributes: those are dropped
    [InlineData("/CN=Super Client")]
    [InlineData("")]                                            // no subject: the token's CN
    public async Task A_client_token_with_a_cn_issues_exactly_that_subject_and_no_names(string csrSubject)
    {
        await using var ca = await RunningCa.StartAsync();
        var (key, csr) = Csr(csrSubject);
        using var _ = key;
        using var client = ca.Client();
        var result = await client.EnrollAsync(ca.CnToken("Super Client"), csr, 600);

        Assert.True(result.Issued is not null, $"{result.Problem?.Type} {result.Problem?.Detail}");
        File.WriteAllText(ca.Dir["client.crt"], result.Issued!.Certificate);
        File.WriteAllText(ca.Dir["chain.pem"], result.Issued.Chain);
        var subject = Tool.Openssl("x509", "-in", ca.Dir["client.crt"], "-noout", "-subject", "-nameopt", "RFC2253");
        Assert.Equal("subject=CN=Super Client", subject.Stdout.Trim());
        Assert.DoesNotContain("Subject Alternative Name", Tool.Openssl("x509", "-in", ca.Dir["client.crt"], "-noout", "-text").Stdout);
        var verify = Tool.Openssl("verify", "-CAfile", ca.RootPath, "-untrusted", ca.Dir["chain.pem"], "-purpose", "sslclient", ca.Dir["client.crt"]);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        var record = ca.Store.Find(result.Issued.Serial)!;
        Assert.Equal("CN=Super Client", record.Subject);
        Assert.Empty(record.SubjectAltNames);
        Assert.Equal("client", record.Profile);
        Assert.Contains(ca.Store.Events(), e => e.Kind == "issued" && e.Serial == result.Issued.Serial && e.Detail.Contains("CN=Super Client", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/CN=Admin", new string[0], "CN=Admin")]
    [InlineData("/CN=super client", new string[0], "CN=super client")] // a CN is an identity: compared exactly
    [InlineData("/CN=Super Client", new[] { "DNS:evil.example" }, "DNS:evil.example")] // the token allows no names
    public async Task A_csr_asking_for_another_cn_or_names_is_refused_naming_both(string csrSubject, string[] sans, string asked)
    {
        await using var ca = await RunningCa.StartAsync();
        var (key, csr) = Csr(csrSubject, sans);
        using var _ = key;
        using var client = ca.Client();
        var token = ca.CnToken("Super Client");
        var problem = ca.Refused(await client.EnrollAsync(token, csr, 600), "names-not-allowed");

        Assert.Equal(403, problem.Status);
        Assert.Contains(asked, problem.Detail, StringComparison.Ordinal);
        Assert.Contains("the token allows: CN=Super Client", problem.Detail, StringComparison.Ordinal);
        Assert.Null(ca.Store.FindToken(EnrollmentToken.Hash(token))!.UsedAt); // a refused request does not spend the token
    }

    [Fact]
    public async Task A_server_token_with_a_cn_gives_that_subject_and_the_names_it_allows()
    {
        await using var ca = await RunningCa.StartAsync();
        var (key, csr) = Csr("", "DNS:api.internal");
        using var _ = key;
        using var client = ca.Client();
        var result = await client.EnrollAsync(ca.CnToken("Orders API", "server", "DNS:api.internal", "IP:10.0.0.7"), csr, 600);

        Assert.True(result.Issued is not null, $"{result.Problem?.Type} {result.Problem?.Detail}");
        var record = ca.Store.Find(result.Issued!.Serial)!;
        Assert.Equal("CN=Orders API", record.Subject);
        Assert.Equal(["DNS:api.internal"], record.SubjectAltNames); // the CSR asked for one of the two
        Assert.Equal("server", record.Profile);
    }

    [Fact]
    public async Task A_renewal_keeps_the_token_cn_subject()
    {
        await using var ca = await RunningCa.StartAsync();
        var (key, csr) = Csr("/O=Dropped/CN=Super Client");
        using var enroller = ca.Client();
        var enrolled = await enroller.EnrollAsync(ca.CnToken("Super Client"), csr, 3600);
        Assert.True(enrolled.Issued is not null, $"{enrolled.Problem?.Type} {enrolled.Problem?.Detail}");
        using var first = X509Certificate2.CreateFromPem(enrolled.Issued!.Certificate).CopyWithPrivateKey(key);
        key.Dispose();
        ca.Clock.Advance(TimeSpan.FromMinutes(30));

        using var client = ca.Client(first);
        var renewed = await client.RenewAsync(null, null);
        Assert.True(renewed.Issued is not null, $"{renewed.Problem?.Type} {renewed.Problem?.Detail}");
        using var leaf = X509Certificate2.CreateFromPem(renewed.Issued!.Certificate);
        Assert.Equal("CN=Super Client", leaf.Subject);
        Assert.Equal(first.SubjectName.RawData, leaf.SubjectName.RawData);
        Assert.Equal(InventoryRecord.SerialOf(leaf), ca.Store.Find(InventoryRecord.SerialOf(first))!.SupersededBy);
    }

    [Fact]
    public async Task A_token_without_a_cn_still_requires_the_csr_cn_among_its_names()
    {
        await using var ca = await RunningCa.StartAsync();
        var (key, csr) = Csr("/CN=Super Client");
        using var _ = key;
        using var client = ca.Client();
        var problem = ca.Refused(await client.EnrollAsync(ca.Token("client", null, "DNS:worker-1"), csr, 600), "names-not-allowed");
        Assert.Contains("CN=Super Client", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("the token allows: DNS:worker-1", problem.Detail, StringComparison.Ordinal);
    }
}
