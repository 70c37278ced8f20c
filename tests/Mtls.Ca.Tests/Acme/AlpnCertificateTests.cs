using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Mtls.Ca.Acme;

namespace Mtls.Ca.Tests.Acme;

/// <summary>RFC 8737 3 on the certificate a tls-alpn-01 responder presents: each rule broken alone is refused.</summary>
[Trait("Category", "Acme")]
public sealed class AlpnCertificateTests
{
    private const string Name = "acme-test.localhost";
    private const string KeyAuthorization = "token.thumbprint";

    [Fact]
    public void TheRightCertificate_Passes() => Assert.Null(Check(Make([Name], critical: true, KeyAuthorization)));

    [Fact]
    public void ANonCriticalAcmeIdentifier_IsRefused() => Assert.NotNull(Check(Make([Name], critical: false, KeyAuthorization)));

    [Fact]
    public void TheDigestOfAnotherKeyAuthorization_IsRefused() => Assert.NotNull(Check(Make([Name], critical: true, "token.other")));

    [Fact]
    public void NoAcmeIdentifier_IsRefused() => Assert.NotNull(Check(Make([Name], critical: true, null)));

    [Theory]
    [InlineData("other.localhost")]
    [InlineData("acme-test.localhost", "extra.localhost")]
    [InlineData]
    public void ASanOtherThanExactlyTheName_IsRefused(params string[] names) =>
        Assert.Equal("urn:ietf:params:acme:error:incorrectResponse", Check(Make(names, critical: true, KeyAuthorization))?.Type);

    private static AcmeProblem? Check(X509Certificate2 certificate)
    {
        using (certificate)
            return new ChallengeValidator(new AcmeOptions(), new AcmeErrors(Pki.Text.Language.English)).CheckAlpnCertificate(certificate, Name, KeyAuthorization);
    }

    private static X509Certificate2 Make(string[] names, bool critical, string? keyAuthorization)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=acme", key, HashAlgorithmName.SHA256);
        if (names.Length > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var n in names) san.AddDnsName(n);
            request.CertificateExtensions.Add(san.Build());
        }
        if (keyAuthorization is not null)
            request.CertificateExtensions.Add(new X509Extension("1.3.6.1.5.5.7.1.31",
                [0x04, 0x20, .. SHA256.HashData(Encoding.ASCII.GetBytes(keyAuthorization))], critical));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
    }
}
