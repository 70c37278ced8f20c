using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Certificates;
using Mtls.Pki.Keys;
using Mtls.Pki.Names;

namespace Mtls.Pki.Tests;

/// <summary>The fast CSR check agrees with the platform's on every curve, for good and altered CSRs.</summary>
public class EcdsaCsrVerifierTests
{
    public static TheoryData<int> Curves => new() { 256, 384, 521 };

    [Theory]
    [MemberData(nameof(Curves))]
    public void Good_csrs_verify_and_altered_ones_do_not(int size)
    {
        using var key = new KeySpec(KeyAlgorithm.EC, size).Generate();
        var der = CsrFile.Create(key, DistinguishedName.Parse("/O=Kame/CN=svc.internal"), [SubjectAlternativeName.Parse("DNS:svc.internal")]).CreateSigningRequest();
        var request = EcdsaCsrVerifier.TryLoad(der);
        Assert.NotNull(request); // decided natively on Linux
        Assert.Equal("CN=svc.internal, O=Kame", request.SubjectName.Name);

        var altered = (byte[])der.Clone();
        var at = der.AsSpan().IndexOf("svc.internal"u8);
        altered[at] = (byte)'x';
        Assert.Throws<CryptographicException>(() => EcdsaCsrVerifier.TryLoad(altered));
        Assert.Throws<CryptographicException>(() => CertificateRequest.LoadSigningRequest(altered, HashAlgorithmName.SHA256)); // the platform agrees
        var refused = Assert.Throws<MtlsException>(() => CsrFile.Parse(altered, "altered.csr"));
        Assert.Equal(ExitCode.Failed, refused.ExitCode);
    }

    [Fact]
    public void Rsa_csrs_are_left_to_the_platform()
    {
        using var key = KeySpec.Rsa(2048).Generate();
        var der = CsrFile.Create(key, DistinguishedName.Parse("/CN=rsa"), []).CreateSigningRequest();
        Assert.Null(EcdsaCsrVerifier.TryLoad(der));
        Assert.Equal("CN=rsa", CsrFile.Parse(der, "rsa.csr").SubjectName.Name);
    }
}
