using System.Security.Cryptography.X509Certificates;
using Mtls.Pki;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inventory;
using Mtls.Pki.Revocation;

namespace Mtls.Pki.Tests;

/// <summary>The CRL API the mTLS server will use: made by CertificateAuthority.CreateCrl, read by CrlFile, judged by openssl too.</summary>
public class CrlTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static (CertificateAuthority Ca, X509Certificate2 Revoked, X509Certificate2 Good, CertificateRevocationList Crl) Make()
    {
        var ca = TestPki.Root(now: Now.AddDays(-1));
        var revoked = TestPki.Issue(ca, "/CN=Revoked Client", CertificateProfile.Client, now: Now);
        var good = TestPki.Issue(ca, "/CN=Good Client", CertificateProfile.Client, now: Now);
        var entry = new RevokedCertificate(InventoryRecord.SerialOf(revoked), Now.AddHours(1), X509RevocationReason.KeyCompromise);
        var der = ca.CreateCrl([entry], 7, Now.AddHours(2), Now.AddDays(7));
        return (ca, revoked, good, CrlFile.Parse(der, "test.crl"));
    }

    /// <summary>
    /// An inventory may hold a reason .NET cannot write (AACompromise from an older mtls, removeFromCRL): the
    /// CRL is still made, that entry listed without a reason, the others with theirs.
    /// </summary>
    [Fact]
    public void Reasons_the_platform_cannot_write_are_listed_without_a_reason()
    {
        using var ca = TestPki.Root(now: Now.AddDays(-1));
        RevokedCertificate[] entries =
        [
            new("0A", Now, X509RevocationReason.KeyCompromise),
            new("0B", Now, X509RevocationReason.AACompromise),
            new("0C", Now, X509RevocationReason.RemoveFromCrl),
        ];
        var crl = CrlFile.Parse(ca.CreateCrl(entries, 1, Now, Now.AddDays(7)), "test.crl");
        Assert.Equal(["0A", "0B", "0C"], crl.Entries.Select(e => e.Serial));
        Assert.Equal([X509RevocationReason.KeyCompromise, null, null], crl.Entries.Select(e => e.Reason));
    }

    [Fact]
    public void A_crl_lists_the_revoked_certificate_with_date_and_reason()
    {
        var (ca, revoked, good, crl) = Make();
        using (ca)
        {
            crl.Validate(ca.Certificate, Now.AddDays(1));
            Assert.True(crl.IsSignedBy(ca.Certificate));
            Assert.Equal(7, (int)crl.CrlNumber!.Value);
            Assert.Equal(Now.AddHours(2), crl.ThisUpdate);
            Assert.Equal(Now.AddDays(7), crl.NextUpdate);
            Assert.True(crl.IsRevoked(revoked, out var entry));
            Assert.Equal(Now.AddHours(1), entry!.RevokedAt);
            Assert.Equal(X509RevocationReason.KeyCompromise, entry.Reason);
            Assert.False(crl.IsRevoked(good, out var none));
            Assert.Null(none);
        }
    }

    [Fact]
    public void A_crl_from_another_ca_a_stale_one_and_a_forged_one_are_refused()
    {
        var (ca, revoked, _, crl) = Make();
        using var other = TestPki.Root("/CN=Other CA", now: Now.AddDays(-1));
        using var sameName = TestPki.Root(now: Now.AddDays(-1)); // same subject, different key
        using (ca)
        {
            Assert.Contains("is the CRL of CN=Test Root CA,O=Test, not of CN=Other CA", Assert.Throws<MtlsException>(() => crl.Validate(other.Certificate, Now)).Message);
            Assert.Contains("signature does not verify", Assert.Throws<MtlsException>(() => crl.Validate(sameName.Certificate, Now.AddDays(1))).Message);
            Assert.Contains("is stale", Assert.Throws<MtlsException>(() => crl.Validate(ca.Certificate, Now.AddDays(8))).Message);
            Assert.Contains("not valid yet", Assert.Throws<MtlsException>(() => crl.Validate(ca.Certificate, Now.AddHours(1))).Message);
            // A certificate of another issuer is never "revoked" by this CRL.
            using var stranger = TestPki.Issue(other, "/CN=Revoked Client", CertificateProfile.Client, now: Now);
            Assert.False(crl.IsRevoked(stranger, out _));
            Assert.True(crl.IsRevoked(revoked, out _));

            var tampered = (byte[])crl.RawData.Clone();
            tampered[tampered.Length / 3] ^= 0x01;
            var reparsed = TryParse(tampered);
            Assert.True(reparsed is null || !reparsed.IsSignedBy(ca.Certificate));
        }
    }

    private static CertificateRevocationList? TryParse(byte[] der)
    {
        try { return CrlFile.Parse(der, "tampered.crl"); } catch (MtlsException) { return null; }
    }

    [Fact]
    public void Crls_made_by_openssl_are_read()
    {
        using var d = new TempDir();
        var r = Tool.OpensslIn(d.Path, """
            set -e
            openssl req -x509 -newkey ec:<(openssl ecparam -name secp384r1) -keyout ca.key -out ca.crt -days 30 -subj /CN=Openssl-CA -nodes 2>/dev/null
            openssl req -new -newkey ec:<(openssl ecparam -name prime256v1) -keyout c.key -nodes -subj /CN=c -out c.csr 2>/dev/null
            openssl x509 -req -in c.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out c.crt -days 10 2>/dev/null
            mkdir -p db && touch db/index.txt && echo 01 > db/crlnumber
            printf '[ca]\ndefault_ca=d\n[d]\ndatabase=db/index.txt\ncrlnumber=db/crlnumber\ndefault_md=sha384\ndefault_crl_days=3\n' > ca.cnf
            openssl ca -config ca.cnf -cert ca.crt -keyfile ca.key -revoke c.crt -crl_reason cessationOfOperation 2>/dev/null
            openssl ca -config ca.cnf -cert ca.crt -keyfile ca.key -gencrl -out ca.crl 2>/dev/null
            """);
        Assert.True(r.ExitCode == 0, r.ToString());
        using var caCert = CertificateFile.Load(d["ca.crt"]);
        using var leaf = CertificateFile.Load(d["c.crt"]);
        var crl = CrlFile.Load(d["ca.crl"]);
        crl.Validate(caCert, DateTimeOffset.UtcNow);
        Assert.Equal(1, (int)crl.CrlNumber!.Value);
        Assert.True(crl.IsRevoked(leaf, out var entry));
        Assert.Equal(X509RevocationReason.CessationOfOperation, entry!.Reason);
    }
}
