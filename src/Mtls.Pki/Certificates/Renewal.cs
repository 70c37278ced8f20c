using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Keys;
using Mtls.Pki.Text;

namespace Mtls.Pki.Certificates;

/// <summary>
/// Renewal: a new certificate with the same subject, SANs and profile as an old one, a new serial and
/// validity, and the old key or a new one. The profile is read back from the extendedKeyUsage.
/// </summary>
public static class Renewal
{
    /// <summary>The profile an issued leaf was made with, from its extendedKeyUsage.</summary>
    public static CertificateProfile ProfileOf(X509Certificate2 certificate, string source)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var ekus = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault()?.EnhancedKeyUsages
            .Cast<Oid>().Select(o => o.Value).ToList() ?? [];
        if (certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is { CertificateAuthority: true })
            throw MtlsException.Refused(Catalogue.Text("Renew_IsCa", source));
        if (ekus.Contains(Oids.ServerAuth)) return CertificateProfile.Server;
        if (ekus.Contains(Oids.ClientAuth)) return CertificateProfile.Client;
        throw MtlsException.Refused(Catalogue.Text("Renew_UnknownProfile", source), MtlsErrorKind.UnknownProfile);
    }

    /// <summary>A request carrying the old subject and SANs for <paramref name="publicKey"/>, for CertificateAuthority.Issue.</summary>
    public static CertificateRequest RequestFor(X509Certificate2 old, PublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(publicKey);
        var request = new CertificateRequest(old.SubjectName, publicKey, HashAlgorithmName.SHA256);
        var san = old.Extensions.FirstOrDefault(e => e.Oid?.Value == Oids.SubjectAltName);
        if (san is not null)
            request.CertificateExtensions.Add(new X509Extension(san.Oid!, san.RawData, san.Critical));
        return request;
    }

    /// <summary>The old certificate's validity in whole days (the default for the renewed one).</summary>
    public static int DaysOf(X509Certificate2 old, CertificateProfile profile)
    {
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(profile);
        var days = (int)Math.Round((old.NotAfter - old.NotBefore - CertificateAuthority.ClockSkew).TotalDays);
        return Math.Clamp(days, 1, profile.MaxDays);
    }

    /// <summary>A key of the same kind as <paramref name="publicKey"/> (curve or RSA size), for --rekey.</summary>
    public static KeySpec SpecOf(PublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (publicKey.GetECDsaPublicKey() is { } ec) using (ec) return new KeySpec(KeyAlgorithm.EC, ec.KeySize);
        if (publicKey.GetRSAPublicKey() is { } rsa) using (rsa) return KeySpec.Rsa(Math.Max(2048, rsa.KeySize));
        throw new MtlsException(Catalogue.Text("Renew_KeyType"));
    }
}
