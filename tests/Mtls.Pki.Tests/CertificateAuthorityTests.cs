using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki;
using Mtls.Pki.Certificates;
using Mtls.Pki.Keys;
using Mtls.Pki.Names;

namespace Mtls.Pki.Tests;

public class CertificateAuthorityTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static CertificateRequest Csr(string subject, params string[] sans)
    {
        var key = KeySpec.P256.Generate();
        return CsrFile.Create(key, DistinguishedName.Parse(subject), sans.Select(SubjectAlternativeName.Parse).ToList());
    }

    [Fact]
    public void Root_ca_has_the_ca_profile()
    {
        using var ca = CertificateAuthority.CreateRoot(DistinguishedName.Parse("/C=JP/O=Kame/CN=ca.server.example.com"), KeySpec.P384, 365, Now);
        var cert = ca.Certificate;
        var basic = cert.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(basic.CertificateAuthority && basic.Critical);
        var usage = cert.Extensions.OfType<X509KeyUsageExtension>().Single();
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, usage.KeyUsages);
        Assert.True(usage.Critical);
        Assert.Single(cert.Extensions.OfType<X509SubjectKeyIdentifierExtension>());
        Assert.Equal(Now.AddMinutes(-5), new DateTimeOffset(cert.NotBefore.ToUniversalTime()));
        Assert.Equal(Now.AddDays(365), new DateTimeOffset(cert.NotAfter.ToUniversalTime()));
        Assert.Equal("sha384ECDSA", cert.SignatureAlgorithm.FriendlyName);
    }

    // Profile truth table: what each profile puts in a certificate.
    [Theory]
    [InlineData("server", "/CN=localhost", new string[0], "DNS:localhost", Oids.ServerAuth)]
    [InlineData("server", "/CN=127.0.0.1", new string[0], "IP:127.0.0.1", Oids.ServerAuth)]
    [InlineData("server", "/CN=web", new[] { "DNS:api.internal", "IP:10.0.0.5" }, "DNS:api.internal,IP:10.0.0.5", Oids.ServerAuth)]
    [InlineData("client", "/CN=Super Client", new string[0], "", Oids.ClientAuth)]
    [InlineData("client", "/CN=svc", new[] { "URI:spiffe://example.org/svc" }, "URI:spiffe://example.org/svc", Oids.ClientAuth)]
    public void Leaf_profiles(string profile, string subject, string[] sans, string expectedSans, string eku)
    {
        using var ca = TestPki.Root(now: Now);
        var issued = ca.Issue(Csr(subject, sans), CertificateProfile.Get(profile), 30, [], Now);
        var cert = issued.Certificate;
        Assert.False(cert.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, cert.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        Assert.Equal(eku, cert.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages[0].Value);
        var san = cert.Extensions.FirstOrDefault(e => e.Oid?.Value == Oids.SubjectAltName);
        Assert.Equal(expectedSans, san is null ? "" : string.Join(",", SubjectAlternativeName.Decode(san.RawData, out _)));
        Assert.Single(cert.Extensions.OfType<X509AuthorityKeyIdentifierExtension>());
        Assert.Equal(3, cert.Version);
    }

    [Fact]
    public void Rsa_leaf_gets_key_encipherment()
    {
        using var ca = TestPki.Root(now: Now);
        using var rsa = RSA.Create(2048);
        var request = CsrFile.Create(rsa, DistinguishedName.Parse("/CN=localhost"), []);
        var cert = ca.Issue(request, CertificateProfile.Server, 30, [], Now).Certificate;
        Assert.Equal(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment,
            cert.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
    }

    [Fact]
    public void San_from_cn_is_noted_and_server_without_host_is_refused()
    {
        using var ca = TestPki.Root(now: Now);
        var issued = ca.Issue(Csr("/CN=localhost"), CertificateProfile.Server, 30, [], Now);
        Assert.Contains(issued.Notes, n => n.Contains("added SAN DNS:localhost from the CN"));
        var e = Assert.Throws<MtlsException>(() => ca.Issue(Csr("/CN=Super Client"), CertificateProfile.Server, 30, [], Now));
        Assert.Equal(ExitCode.Failed, e.ExitCode);
        Assert.Contains("--san", e.Message);
    }

    [Fact]
    public void Validity_is_clamped_to_the_issuer_with_a_note()
    {
        using var ca = TestPki.Root(now: Now, days: 365);
        var issued = ca.Issue(Csr("/CN=localhost"), CertificateProfile.Server, 365, [], Now.AddSeconds(3));
        Assert.Equal(ca.Certificate.NotAfter, issued.Certificate.NotAfter);
        Assert.Contains(issued.Notes, n => n.Contains("cannot outlive its issuer"));
        Assert.True(issued.Certificate.NotBefore >= ca.Certificate.NotBefore);
    }

    [Fact]
    public void Requested_extensions_other_than_san_are_dropped_and_named()
    {
        using var ca = TestPki.Root(now: Now);
        var request = Csr("/CN=localhost", "DNS:localhost");
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        var issued = ca.Issue(request, CertificateProfile.Server, 30, [], Now);
        Assert.False(issued.Certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Contains(issued.Notes, n => n.Contains("basicConstraints") && n.Contains("keyUsage") && n.Contains("not copied"));
    }

    [Fact]
    public void Serials_are_random_positive_and_128_bits()
    {
        var serials = Enumerable.Range(0, 200).Select(_ => CertificateAuthority.NewSerial()).ToList();
        Assert.All(serials, s => Assert.True(s.Length == 16 && s[0] is > 0 and < 0x80));
        Assert.Equal(serials.Count, serials.Select(Convert.ToHexString).Distinct().Count());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(5000)]
    public void Days_outside_the_profile_are_refused(int days) =>
        Assert.Throws<MtlsException>(() => CertificateProfile.Server.ValidateDays(days));

    [Fact]
    public void A_ca_key_that_does_not_match_is_refused()
    {
        using var dir = new TempDir();
        using var ca = TestPki.Root(now: Now);
        using var other = TestPki.Root(now: Now);
        var certPath = TestPki.SaveCa(ca, dir.Path, "ca");
        TestPki.SaveCa(other, dir.Path, "other");
        var e = Assert.Throws<MtlsException>(() => CertificateAuthority.Load(certPath, dir["other.key"], null));
        Assert.Contains("does not belong to the CA certificate", e.Message);
        Assert.Equal(ExitCode.BadInput, e.ExitCode);
    }

    [Fact]
    public void A_leaf_certificate_cannot_act_as_a_ca()
    {
        using var dir = new TempDir();
        using var ca = TestPki.Root(now: Now);
        var leaf = TestPki.Issue(ca, "/CN=localhost", CertificateProfile.Server, now: Now);
        var (cert, key) = TestPki.Save(leaf, dir.Path, "leaf");
        var e = Assert.Throws<MtlsException>(() => CertificateAuthority.Load(cert, key, null));
        Assert.Contains("CA:FALSE", e.Message);
    }
}
