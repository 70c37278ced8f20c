using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Mtls.Pki.Tests;

/// <summary>A CA (or leaf) made at test time with CertificateRequest directly, so odd certificates can be crafted.</summary>
internal sealed record TestCert(X509Certificate2 Cert, ECDsa Key)
{
    public static readonly DateTimeOffset At = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static TestCert Make(string subject, TestCert? issuer, bool ca = false, int? pathLen = null,
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, string[]? eku = null, string[]? dns = null,
        ECDsa? key = null, string? issuerName = null, ECDsa? signingKey = null, bool aki = true, bool ski = true, X509Extension? san = null)
    {
        key ??= ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(ca, pathLen is not null, pathLen ?? 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            ca ? X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign : X509KeyUsageFlags.DigitalSignature, critical: true));
        if (!ca || eku is not null)
        {
            var usages = new OidCollection();
            foreach (var oid in eku ?? ["1.3.6.1.5.5.7.3.1"]) usages.Add(new Oid(oid));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, critical: false));
        }
        if (dns is not null)
        {
            var sanBuilder = new SubjectAlternativeNameBuilder();
            foreach (var name in dns) sanBuilder.AddDnsName(name);
            request.CertificateExtensions.Add(sanBuilder.Build());
        }
        if (san is not null) request.CertificateExtensions.Add(san);
        var ownSki = new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false);
        if (ski) request.CertificateExtensions.Add(ownSki);
        var signer = signingKey ?? issuer?.Key ?? key;
        // An issuer without SKI is still named by its key's hash (as openssl's authorityKeyIdentifier=keyid does).
        var issuerSki = issuer is null ? ownSki
            : issuer.Cert.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault() ?? new X509SubjectKeyIdentifierExtension(issuer.Cert.PublicKey, critical: false);
        if (aki && (issuer is not null || signingKey is not null))
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(issuerSki));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        serial[0] |= 0x01;
        var cert = request.Create(new X500DistinguishedName(issuerName ?? issuer?.Cert.Subject ?? subject), X509SignatureGenerator.CreateForECDsa(signer),
            notBefore ?? At.AddYears(-1), notAfter ?? At.AddYears(1), serial);
        return new TestCert(cert, key);
    }

    public static TestCert Root(string subject = "CN=Test Root") => Make(subject, null, ca: true);
}
