using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Certificates;

namespace Mtls.TestSupport;

/// <summary>
/// Certificates a hostile client would present, signed by a real CA at test time: names full of control
/// characters and markup, absurdly long chains, absurdly large certificates. Built with
/// CertificateRequest directly because our own CA (rightly) never issues such things.
/// </summary>
public static class HostileCertificates
{
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    /// <summary>A client certificate (with key) for <paramref name="subject"/>, issued by <paramref name="ca"/>.</summary>
    public static X509Certificate2 Client(CertificateAuthority ca, X500DistinguishedName subject, X509Extension? extra = null) =>
        Sign(ca.Certificate, ca.Key, subject, isCa: false, extra);

    /// <summary>
    /// A chain of <paramref name="length"/> CAs under <paramref name="ca"/> and a client leaf at its end.
    /// Returns the leaf (with key) and the intermediates nearest the leaf first, as a client sends them.
    /// </summary>
    public static (X509Certificate2 Leaf, IReadOnlyList<X509Certificate2> Intermediates) LongChain(CertificateAuthority ca, int length)
    {
        var issuer = ca.Certificate;
        var issuerKey = ca.Key;
        var intermediates = new List<X509Certificate2>();
        for (var i = 1; i <= length; i++)
        {
            var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var cert = Sign(issuer, issuerKey, new X500DistinguishedName($"CN=Intermediate {i}"), isCa: true, key: key);
            intermediates.Insert(0, cert);
            (issuer, issuerKey) = (cert, key);
        }
        var leaf = Sign(issuer, issuerKey, new X500DistinguishedName("CN=Deep Client"), isCa: false);
        return (leaf, intermediates);
    }

    /// <summary>A client certificate padded with a private extension of <paramref name="bytes"/> bytes.</summary>
    public static X509Certificate2 Huge(CertificateAuthority ca, int bytes) =>
        Client(ca, new X500DistinguishedName("CN=Huge Client"), new X509Extension("1.3.6.1.4.1.55555.1", OctetString(new byte[bytes]), critical: false));

    private static X509Certificate2 Sign(X509Certificate2 issuer, AsymmetricAlgorithm issuerKey, X500DistinguishedName subject, bool isCa,
        X509Extension? extra = null, ECDsa? key = null)
    {
        key ??= ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(isCa, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            isCa ? X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign : X509KeyUsageFlags.DigitalSignature, critical: true));
        if (!isCa)
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ClientAuth)], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        if (extra is not null) request.CertificateExtensions.Add(extra);
        var now = DateTimeOffset.UtcNow;
        var signer = issuerKey is ECDsa ec ? X509SignatureGenerator.CreateForECDsa(ec) : X509SignatureGenerator.CreateForRSA((RSA)issuerKey, RSASignaturePadding.Pkcs1);
        using var cert = request.Create(issuer.SubjectName, signer, now.AddMinutes(-5), now.AddDays(1), CertificateAuthority.NewSerial());
        return cert.CopyWithPrivateKey(key);
    }

    private static byte[] OctetString(byte[] content)
    {
        var writer = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        writer.WriteOctetString(content);
        return writer.Encode();
    }
}
