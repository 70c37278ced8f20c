using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Certificates;
using Mtls.Pki.Keys;
using Mtls.Pki.Names;

namespace Mtls.TestSupport;

/// <summary>Throwaway PKIs made at test time (never checked-in certificates that expire).</summary>
public static class TestPki
{
    public static CertificateAuthority Root(string subject = "/O=Test/CN=Test Root CA", DateTimeOffset? now = null, int days = 3650, KeySpec? key = null) =>
        CertificateAuthority.CreateRoot(DistinguishedName.Parse(subject), key ?? KeySpec.P256, days, now ?? DateTimeOffset.UtcNow);

    /// <summary>Issues a certificate (with its private key) for a fresh P-256 key.</summary>
    public static X509Certificate2 Issue(CertificateAuthority ca, string subject, CertificateProfile profile,
        string[]? sans = null, DateTimeOffset? now = null, int days = 30, KeySpec? key = null)
    {
        using var privateKey = (key ?? KeySpec.P256).Generate();
        var request = CsrFile.Create(privateKey, DistinguishedName.Parse(subject), (sans ?? []).Select(SubjectAlternativeName.Parse).ToList());
        var issued = ca.Issue(request, profile, days, [], now ?? DateTimeOffset.UtcNow).Certificate;
        return privateKey switch
        {
            ECDsa ec => issued.CopyWithPrivateKey(ec),
            RSA rsa => issued.CopyWithPrivateKey(rsa),
            _ => throw new NotSupportedException(),
        };
    }

    /// <summary>Writes a certificate and its key as PEM files and returns their paths.</summary>
    public static (string Cert, string Key) Save(X509Certificate2 cert, string dir, string name)
    {
        var certPath = Path.Combine(dir, name + ".crt");
        var keyPath = Path.Combine(dir, name + ".key");
        File.WriteAllText(certPath, CertificateFile.ToPem(cert));
        using var key = (AsymmetricAlgorithm?)cert.GetECDsaPrivateKey() ?? cert.GetRSAPrivateKey()!;
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certPath, keyPath);
    }

    public static string SaveCa(CertificateAuthority ca, string dir, string name)
    {
        var certPath = Path.Combine(dir, name + ".crt");
        File.WriteAllText(certPath, CertificateFile.ToPem(ca.Certificate));
        File.WriteAllText(Path.Combine(dir, name + ".key"), ca.Key.ExportPkcs8PrivateKeyPem());
        return certPath;
    }
}
