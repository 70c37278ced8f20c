using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inspection;
using Mtls.Pki.IO;
using Mtls.Pki.Keys;
using Mtls.Pki.Names;
using Mtls.Pki.Trust;
using Mtls.Pki.Validation;

namespace Mtls.Pki.Tests.Fuzz;

/// <summary>
/// The readers of Mtls.Pki that take untrusted bytes, each driven the way the CLI and the server drive
/// it. Contract: the only exception that may escape is <see cref="MtlsException"/> (a user-facing
/// message); anything else is a bug. Readers that report problems as values (the validator, the CRL
/// format check) must not throw at all.
/// </summary>
public static class FuzzTargets
{
    private static readonly PathValidator Validator = new([TestAnchor()]);

    public static readonly IReadOnlyDictionary<string, Action<byte[]>> All = new Dictionary<string, Action<byte[]>>
    {
        ["pem"] = bytes => InputFile.ParseBlocks(bytes, "fuzz", "anything"),
        ["cert"] = Certificate,
        ["csr"] = bytes => CsrDescription.From(CsrFile.Parse(bytes, "fuzz")),
        ["key"] = bytes => PrivateKeyFile.Parse(bytes, "fuzz", "fuzz-password").Dispose(),
        ["crl"] = bytes => _ = PathValidator.CrlFormatProblem(bytes),
        ["der-cert"] = bytes => _ = Validator.Verify(bytes, [bytes], new VerifyOptions { Crls = [bytes] }),
        ["dn"] = bytes => Name(bytes),
        ["san"] = bytes => SubjectAlternativeName.Parse(Encoding.UTF8.GetString(bytes)),
    };

    /// <summary>What `mtls cert show` and the server do with a certificate file: load, describe, name, verify.</summary>
    private static void Certificate(byte[] bytes)
    {
        foreach (var cert in CertificateFile.ParseAll(bytes, "fuzz"))
        {
            _ = CertificateDescription.From(cert, DateTimeOffset.UnixEpoch.AddYears(56));
            _ = DistinguishedName.Format(cert.SubjectName);
            _ = DistinguishedName.Format(cert.IssuerName);
            _ = ChainVerifier.NamesOf(cert);
            _ = Validator.Verify(cert);
        }
    }

    /// <summary>A subject string as typed by a user (--subject), and the same bytes as a DER name.</summary>
    private static void Name(byte[] bytes)
    {
        try { _ = DistinguishedName.Format(DistinguishedName.Parse(Encoding.UTF8.GetString(bytes))); }
        catch (MtlsException) { }
        X500DistinguishedName der;
        try { der = new X500DistinguishedName(bytes); }
        catch (CryptographicException) { return; } // the platform refuses it: never reaches our code
        _ = DistinguishedName.Format(der);
        _ = DistinguishedName.CommonName(der);
    }

    private static byte[] TestAnchor()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Fuzz Anchor", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var cert = request.CreateSelfSigned(DateTimeOffset.UnixEpoch.AddYears(50), DateTimeOffset.UnixEpoch.AddYears(60));
        return cert.RawData;
    }
}
