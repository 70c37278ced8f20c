using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inspection;
using Mtls.Pki.Names;

namespace Mtls.Pki.Tests;

/// <summary>
/// A CSR's signature proves only that the sender holds the key: a hostile sender signs whatever it
/// sends. Such content must be refused with MtlsException, not crash `mtls ca sign` (found by fuzzing).
/// </summary>
public class HostileCsrTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    // A CSR signed by its own key whose subjectAltName extension holds raw bytes of our choosing.
    private static CertificateRequest SignedCsrWithSan(byte[] sanExtensionValue)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509Extension(Oids.SubjectAltName, sanExtensionValue, critical: false));
        return CsrFile.Parse(request.CreateSigningRequest(), "hostile.csr"); // the signature verifies
    }

    [Theory]
    [InlineData(new byte[] { 0x30, 0x0B, 0x82, 0x09, (byte)'b', (byte)'a', (byte)'d', (byte)' ', (byte)'n', (byte)'a', (byte)'m', (byte)'e', (byte)'!' }, "SAN DNS:bad name!")]
    [InlineData(new byte[] { 0x30, 0x04, 0x86, 0x02, (byte)':', (byte)':' }, "SAN URI:::")]
    [InlineData(new byte[] { 0x30, 0x05, 0x87, 0x03, 1, 2, 3 }, "SAN IP:#010203")]
    [InlineData(new byte[] { 0x30, 0x05, 0x82, 0x09, (byte)'a' }, "subjectAltName extension is corrupt")]
    [InlineData(new byte[] { 0x30, 0x03, 0x04, 0x01, 0x00 }, "subjectAltName extension is corrupt")]
    public void Signing_refuses_a_signed_csr_with_a_bad_san(byte[] san, string expected)
    {
        using var ca = TestPki.Root(now: Now);
        var csr = SignedCsrWithSan(san);
        foreach (var profile in CertificateProfile.Signable)
        {
            var e = Assert.Throws<MtlsException>(() => ca.Issue(csr, profile, 30, [], Now));
            Assert.Contains(expected, e.Message);
        }
    }

    [Fact]
    public void Csr_show_refuses_a_corrupt_san_with_MtlsException()
    {
        var csr = SignedCsrWithSan([0x30, 0x05, 0x82, 0x09, (byte)'a']);
        var e = Assert.Throws<MtlsException>(() => CsrDescription.From(csr));
        Assert.Contains("subjectAltName extension is corrupt", e.Message);
    }

    [Fact]
    public void A_well_formed_name_is_well_formed_and_a_truncated_one_is_not()
    {
        var name = DistinguishedName.Parse("/C=JP/O=Kame/CN=localhost");
        Assert.True(DistinguishedName.IsWellFormed(name));
        var raw = name.RawData;
        raw[^15] = 0x3D; // an OID length running past its RDN, as in tests/corpus/csr/b4c3ba54bd68b1fd.bin
        Assert.False(DistinguishedName.IsWellFormed(new X500DistinguishedName(raw)));
    }
}
