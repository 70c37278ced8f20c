using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.IO;
using Mtls.Pki.Keys;
using Mtls.Pki.Names;
using Mtls.Pki.Text;

namespace Mtls.Pki.Certificates;

/// <summary>Creates and reads PKCS#10 certificate signing requests.</summary>
public static class CsrFile
{
    /// <summary>
    /// Loads a CSR and verifies its signature (a CSR that does not verify is refused: whoever made it
    /// does not hold the key). The requested extensions are loaded for display only: signers copy
    /// nothing from them but subjectAltName.
    /// </summary>
    public static CertificateRequest Load(string path) => Parse(InputFile.ReadBytes(path), path);

    public static CertificateRequest Parse(byte[] bytes, string source)
    {
        var blocks = InputFile.ParseBlocks(bytes, source, Catalogue.Text("Kind_Csr"));
        var block = blocks.FirstOrDefault(b => b.Label is "CERTIFICATE REQUEST" or "NEW CERTIFICATE REQUEST" or "")
            ?? throw new MtlsException(Catalogue.Text("Csr_NotACsr", source, PrivateKeyFile.PemKind(blocks[0].Label)));
        try
        {
            return EcdsaCsrVerifier.TryLoad(block.Data) ?? CertificateRequest.LoadSigningRequest(block.Data, HashAlgorithmName.SHA256,
                CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException) when (IsSignatureFailure(block.Data))
        {
            throw MtlsException.Refused(Catalogue.Text("Csr_BadSignature", source));
        }
        catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException or NotSupportedException)
        {
            // Unsupported curves and key algorithms (found by fuzzing) are bad input too, not crashes.
            throw new MtlsException(Catalogue.Text("Csr_Invalid", source, e.Message.TrimEnd('.')), ExitCode.BadInput, e);
        }
    }

    // Distinguishes "parses but the signature is wrong" from "does not parse".
    private static bool IsSignatureFailure(byte[] der)
    {
        try
        {
            CertificateRequest.LoadSigningRequest(der, HashAlgorithmName.SHA256,
                CertificateRequestLoadOptions.SkipSignatureValidation | CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>The SANs a CSR asks for (empty when none); a corrupt subjectAltName is a user-facing error.</summary>
    public static IReadOnlyList<SubjectAlternativeName> RequestedNames(CertificateRequest request)
    {
        foreach (var extension in request.CertificateExtensions)
            if (extension.Oid?.Value == Oids.SubjectAltName)
            {
                // A valid signature does not make the content well-formed: the sender signs what it sends.
                try { return SubjectAlternativeName.Decode(extension.RawData, out _); }
                catch (AsnContentException e)
                {
                    throw new MtlsException(Catalogue.Text("Csr_CorruptSan", e.Message.TrimEnd('.')), ExitCode.BadInput, e);
                }
            }
        return [];
    }

    /// <summary>Builds a signed CSR for <paramref name="key"/> with the subject and SANs given.</summary>
    public static CertificateRequest Create(AsymmetricAlgorithm key, X500DistinguishedName subject, IReadOnlyList<SubjectAlternativeName> names)
    {
        var request = key switch
        {
            ECDsa ec => new CertificateRequest(subject, ec, KeySpec.HashFor(key)),
            RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new MtlsException(Catalogue.Text("Csr_KeyType")),
        };
        if (names.Count > 0)
            request.CertificateExtensions.Add(SubjectAlternativeName.BuildExtension(names));
        return request;
    }

    public static string ToPem(CertificateRequest request) => request.CreateSigningRequestPem() + "\n";
}
