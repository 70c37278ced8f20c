using System.Formats.Asn1;
using System.Security.Cryptography;
using Mtls.Pki.Certificates;
using Mtls.Pki.Text;
using Mtls.Pki.Trust;

namespace Mtls.Pki.Validation;

/// <summary>
/// Signatures and keys, on the platform's crypto: RSA PKCS#1 v1.5 and PSS, ECDSA (DER signatures) on
/// P-256, P-384 and P-521 with SHA-256/384/512. Weaker choices are refused as the Web PKI refuses them
/// (CABF BR 6.1.5, 7.1.3): SHA-1, RSA below 2048 bits or not a multiple of 8, other curves, DSA.
/// Anything else (Ed25519, Ed448, DSA, ...) is <see cref="FailureReason.UnsupportedAlgorithm"/>, not
/// malformed: .NET 10 on Linux has no Ed25519 in System.Security.Cryptography, so it cannot be checked.
/// </summary>
internal static class Signatures
{
    private static readonly Dictionary<string, string> Curves = new()
    {
        [Oids.CurveP256] = "P-256", [Oids.CurveP384] = "P-384", [Oids.CurveP521] = "P-521",
    };

    private static readonly Dictionary<string, HashAlgorithmName> Hashes = new()
    {
        ["2.16.840.1.101.3.4.2.1"] = HashAlgorithmName.SHA256,
        ["2.16.840.1.101.3.4.2.2"] = HashAlgorithmName.SHA384,
        ["2.16.840.1.101.3.4.2.3"] = HashAlgorithmName.SHA512,
    };

    /// <summary>Why this certificate's public key is not acceptable, or null. Read from the encoding alone (no import: that is slow).</summary>
    public static Defect? KeyProblem(ParsedCertificate cert)
    {
        var alg = cert.KeyAlgorithm;
        try
        {
            var spki = new AsnReader(cert.SubjectPublicKeyInfo, AsnEncodingRules.DER).ReadSequence();
            spki.ReadEncodedValue();
            var key = spki.ReadBitString(out _);
            switch (alg.Oid)
            {
                case Oids.RsaEncryption:
                {
                    if (!alg.HasNullOrNoParameters) return Malformed("Key_RsaParameters");
                    var rsa = new AsnReader(key, AsnEncodingRules.DER).ReadSequence();
                    var modulus = rsa.ReadIntegerBytes().Span;
                    rsa.ReadIntegerBytes();
                    rsa.ThrowIfNotEmpty();
                    if (modulus.Length > 0 && modulus[0] == 0) modulus = modulus[1..];
                    var bits = modulus.Length * 8 - (modulus.Length > 0 ? byte.LeadingZeroCount(modulus[0]) : 0);
                    return bits < 2048 || bits % 8 != 0 ? Unsupported(P("Key_RsaSize", bits)) : null;
                }
                case Oids.EcPublicKey:
                {
                    if (!TryCurve(alg, out var curve))
                        return Unsupported(P("Key_EcCurve"));
                    var size = curve switch { "P-256" => 32, "P-384" => 48, _ => 66 };
                    return key.Length == 1 + 2 * size && key[0] == 4 ? null : Malformed("Key_EcPoint", curve);
                }
                default:
                    return Unsupported(P("Key_Type", Oids.Name(alg.Oid)));
            }
        }
        catch (AsnContentException e)
        {
            return Malformed("Key_Malformed", e.Message);
        }
    }

    private static Phrase P(string key, params object?[] facts) => Phrase.Pki(key, facts);

    private static Defect Malformed(string key, params object?[] facts) => new(FailureReason.Malformed, P(key, facts));

    /// <summary>Every unsupported-algorithm message names what this validator can check.</summary>
    private static Defect Unsupported(Phrase what) => new(FailureReason.UnsupportedAlgorithm, P("Sig_Unsupported", what));

    private static Defect Bad(string key, params object?[] facts) => new(FailureReason.BadSignature, P(key, facts));

    /// <summary>The platform key for a certificate whose <see cref="KeyProblem"/> is null.</summary>
    public static AsymmetricAlgorithm Import(ParsedCertificate cert)
    {
        AsymmetricAlgorithm key = cert.KeyAlgorithm.Oid == Oids.RsaEncryption ? RSA.Create() : ECDsa.Create();
        try
        {
            if (key is RSA rsa) rsa.ImportSubjectPublicKeyInfo(cert.SubjectPublicKeyInfo, out _);
            else ((ECDsa)key).ImportSubjectPublicKeyInfo(cert.SubjectPublicKeyInfo, out _);
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private static bool TryCurve(AlgorithmId alg, out string curve)
    {
        curve = "";
        if (alg.Parameters.IsEmpty) return false;
        try
        {
            var oid = new AsnReader(alg.Parameters, AsnEncodingRules.DER).ReadObjectIdentifier();
            return Curves.TryGetValue(oid, out curve!);
        }
        catch (AsnContentException) { return false; }
    }

    /// <summary>Checks <paramref name="signature"/> over <paramref name="data"/> with the issuer's key; null when it verifies, else why not.</summary>
    public static Defect? Verify(ReadOnlySpan<byte> data, byte[] signature, AlgorithmId alg, ParsedCertificate issuer)
    {
        if (issuer.KeyProblem is { } keyProblem) return keyProblem with { Message = P("Sig_IssuerKeyUnusable", keyProblem.Message) };
        try
        {
            switch (alg.Oid)
            {
                case Oids.EcdsaWithSha256 or Oids.EcdsaWithSha384 or Oids.EcdsaWithSha512:
                {
                    if (!alg.Parameters.IsEmpty) return Bad("Sig_EcdsaParameters");
                    if (issuer.KeyAlgorithm.Oid != Oids.EcPublicKey) return Bad("Sig_EcdsaIssuerNotEc");
                    var ec = (ECDsa)issuer.PublicKey;
                    var hash = alg.Oid[^1] switch { '2' => HashAlgorithmName.SHA256, '3' => HashAlgorithmName.SHA384, _ => HashAlgorithmName.SHA512 };
                    bool ok;
                    lock (ec) ok = ec.VerifyData(data, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
                    return ok ? null : Bad("Sig_EcdsaDoesNotVerify");
                }
                case Oids.Sha256WithRsa or Oids.Sha384WithRsa or Oids.Sha512WithRsa:
                {
                    if (!alg.HasNullOrNoParameters) return Bad("Sig_RsaParameters");
                    var hash = alg.Oid[^1] switch { '1' => HashAlgorithmName.SHA256, '2' => HashAlgorithmName.SHA384, _ => HashAlgorithmName.SHA512 };
                    return VerifyRsa(data, signature, hash, RSASignaturePadding.Pkcs1, issuer);
                }
                case Oids.RsaPss:
                    return PssHash(alg.Parameters) is { } pssHash
                        ? VerifyRsa(data, signature, pssHash, RSASignaturePadding.Pss, issuer)
                        : Unsupported(P("Sig_PssParameters"));
                case Oids.Sha1WithRsa or Oids.EcdsaWithSha1:
                    return Unsupported(P("Sig_Sha1"));
                default:
                    return Unsupported(P("Sig_Algorithm", Oids.Name(alg.Oid)));
            }
        }
        catch (CryptographicException e)
        {
            return Bad("Sig_NotChecked", e.Message);
        }
    }

    private static Defect? VerifyRsa(ReadOnlySpan<byte> data, byte[] signature, HashAlgorithmName hash, RSASignaturePadding padding, ParsedCertificate issuer)
    {
        if (issuer.KeyAlgorithm.Oid != Oids.RsaEncryption) return Bad("Sig_RsaIssuerNotRsa");
        var rsa = (RSA)issuer.PublicKey;
        bool ok;
        lock (rsa) ok = rsa.VerifyData(data, signature, hash, padding);
        return ok ? null : Bad("Sig_RsaDoesNotVerify");
    }

    /// <summary>The hash of RSASSA-PSS parameters when they are ones the platform verifies exactly (salt = hash length).</summary>
    private static HashAlgorithmName? PssHash(ReadOnlyMemory<byte> parameters)
    {
        try
        {
            var seq = new AsnReader(parameters, AsnEncodingRules.DER).ReadSequence();
            var hashAlg = AlgorithmId.Read(seq.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)));
            var mgf = AlgorithmId.Read(seq.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 1, true)));
            var saltReader = seq.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 2, true));
            if (!saltReader.TryReadInt32(out var salt)) return null;
            if (seq.HasData) return null;
            if (!Hashes.TryGetValue(hashAlg.Oid, out var hash) || !hashAlg.HasNullOrNoParameters || mgf.Oid != Oids.Mgf1) return null;
            var mgfHash = AlgorithmId.Read(new AsnReader(mgf.Parameters, AsnEncodingRules.DER));
            if (mgfHash.Oid != hashAlg.Oid) return null;
            var length = hash == HashAlgorithmName.SHA256 ? 32 : hash == HashAlgorithmName.SHA384 ? 48 : 64;
            return salt == length ? hash : null;
        }
        catch (AsnContentException) { return null; }
    }
}
