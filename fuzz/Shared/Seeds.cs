using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Mtls.Pki.Certificates;
using Mtls.Pki.Keys;
using Mtls.Pki.Names;

namespace Mtls.Fuzzing;

/// <summary>Well-formed inputs for each fuzz target, made at run time (PEM and DER forms), to mutate from.</summary>
public static class Seeds
{
    public static IReadOnlyDictionary<string, IReadOnlyList<byte[]>> Make()
    {
        var now = DateTimeOffset.UtcNow;
        using var ca = CertificateAuthority.CreateRoot(DistinguishedName.Parse("/C=JP/O=Kame/CN=Fuzz CA"), KeySpec.P256, 30, now);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rsa = RSA.Create(2048);
        var names = new[] { "DNS:localhost", "IP:127.0.0.1", "IP:::1", "URI:spiffe://kame/svc", "EMAIL:a@example.com" }.Select(SubjectAlternativeName.Parse).ToList();
        var csr = CsrFile.Create(ec, DistinguishedName.Parse("/C=JP/ST=Tokyo/O=Kame/CN=localhost"), names);
        var rsaCsr = CsrFile.Create(rsa, DistinguishedName.Parse("CN=Super Client,O=Kame"), []);
        var server = ca.Issue(csr, CertificateProfile.Server, 10, [], now).Certificate;
        var client = ca.Issue(rsaCsr, CertificateProfile.Client, 10, [], now).Certificate;
        var crl = Crl(ca, server);
        var p12s = new[] { Pkcs12(client.CopyWithPrivateKey(rsa), ca.Certificate), Pkcs12(server.CopyWithPrivateKey(ec)) };

        var certs = new[] { ca.Certificate.RawData, server.RawData, client.RawData };
        var csrs = new[] { csr.CreateSigningRequest(), rsaCsr.CreateSigningRequest() };
        var keys = new[]
        {
            Encoding.ASCII.GetBytes(ec.ExportPkcs8PrivateKeyPem()),
            Encoding.ASCII.GetBytes(ec.ExportECPrivateKeyPem()),
            Encoding.ASCII.GetBytes(rsa.ExportRSAPrivateKeyPem()),
            Encoding.ASCII.GetBytes(ec.ExportEncryptedPkcs8PrivateKeyPem(FuzzTargets.Password,
                new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 2))),
            ec.ExportPkcs8PrivateKey(),
        };
        var dns = new[] { "/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=localhost", "CN=Doe\\, John,O=Kame,C=JP", "/CN=a\\/b/emailAddress=a@example.com/DC=kame" }
            .Select(Encoding.UTF8.GetBytes).Concat(certs.Select(c => X509CertificateLoader.LoadCertificate(c).SubjectName.RawData)).ToArray();
        return new Dictionary<string, IReadOnlyList<byte[]>>
        {
            ["pem"] = [.. certs.Select(c => Pem("CERTIFICATE", c)), .. keys, Pem("X509 CRL", crl), Pem("CERTIFICATE REQUEST", csrs[0])],
            ["cert"] = [.. certs, .. certs.Select(c => Pem("CERTIFICATE", c)), Bundle(certs)],
            ["csr"] = [.. csrs, .. csrs.Select(c => Pem("CERTIFICATE REQUEST", c))],
            ["key"] = keys,
            ["crl"] = [crl],
            ["der-cert"] = certs,
            ["p12"] = p12s,
            ["dn"] = dns,
            ["san"] = [.. new[] { "DNS:localhost", "IP:127.0.0.1", "IP:[::1]", "URI:https://kame.example/x", "EMAIL:a@b.example", "*.kame.example" }.Select(Encoding.UTF8.GetBytes)],
        };
    }

    private static byte[] Crl(CertificateAuthority ca, X509Certificate2 revoked)
    {
        var builder = new CertificateRevocationListBuilder();
        builder.AddEntry(revoked, DateTimeOffset.UtcNow.AddMinutes(-1), X509RevocationReason.KeyCompromise);
        var issuer = ca.Certificate.HasPrivateKey ? ca.Certificate : ca.Certificate.CopyWithPrivateKey((ECDsa)ca.Key);
        return builder.Build(issuer, 1, DateTimeOffset.UtcNow.AddDays(7), HashAlgorithmName.SHA256);
    }

    /// <summary>As `mtls cert p12` writes it: PBES2/AES-256/SHA-256, leaf with its key, then the chain.</summary>
    private static byte[] Pkcs12(X509Certificate2 leafWithKey, params X509Certificate2[] chain)
    {
        var collection = new X509Certificate2Collection { leafWithKey };
        collection.AddRange(chain);
        return collection.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, FuzzTargets.Password);
    }

    public static byte[] Pem(string label, byte[] der) => Encoding.ASCII.GetBytes(PemEncoding.WriteString(label, der) + "\n");

    private static byte[] Bundle(IEnumerable<byte[]> certs) => [.. certs.SelectMany(c => Pem("CERTIFICATE", c))];
}
