using Mtls.Pki.Certificates;
using System.Formats.Asn1;
using System.Security.Cryptography;
using Mtls.Pki.IO;
using Mtls.Pki.Text;

namespace Mtls.Pki.Keys;

/// <summary>
/// Reads private keys in every form openssl writes (PKCS#8, encrypted PKCS#8, SEC1 "EC PRIVATE KEY",
/// PKCS#1 "RSA PRIVATE KEY", PEM or DER) and writes PKCS#8 PEM, encrypted when a password is given.
/// </summary>
public static class PrivateKeyFile
{

    // PBES2 with AES-256-CBC and PBKDF2-HMAC-SHA256: what openssl 3 writes by default, with more rounds.
    private static readonly PbeParameters Encryption = new(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 100_000);

    public static AsymmetricAlgorithm Load(string path, string? password = null) =>
        Parse(InputFile.ReadBytes(path), path, password);

    public static AsymmetricAlgorithm Parse(byte[] bytes, string source, string? password = null)
    {
        var blocks = InputFile.ParseBlocks(bytes, source, Catalogue.Text("Kind_PrivateKey"));
        var block = blocks.FirstOrDefault(b => b.Label.EndsWith("PRIVATE KEY", StringComparison.Ordinal) || b.Label == "")
            ?? throw new MtlsException(Catalogue.Text("Key_NotAKey", source, PemKind(blocks[0].Label)));
        try
        {
            return block.Label switch
            {
                "PRIVATE KEY" => ImportPkcs8(block.Data, source),
                "EC PRIVATE KEY" => ImportEc(block.Data),
                "RSA PRIVATE KEY" => ImportRsa(block.Data),
                "ENCRYPTED PRIVATE KEY" => ImportEncrypted(block.Data, source, password),
                "" => ImportDer(block.Data, source),
                var other => throw new MtlsException(Catalogue.Text("Key_Unsupported", source, other)),
            };
        }
        // An unsupported curve in a key throws PlatformNotSupportedException (found by fuzzing): bad input too.
        catch (Exception e) when (e is CryptographicException or AsnContentException or PlatformNotSupportedException)
        {
            throw new MtlsException(Catalogue.Text("Key_Corrupt", source, e.Message.TrimEnd('.')), ExitCode.BadInput, e);
        }
    }

    private static AsymmetricAlgorithm ImportPkcs8(byte[] der, string source)
    {
        var algorithm = ReadPkcs8Algorithm(der);
        switch (algorithm)
        {
            case Oids.EcPublicKey:
                var ec = ECDsa.Create();
                ec.ImportPkcs8PrivateKey(der, out _);
                return ec;
            case Oids.RsaEncryption:
                var rsa = RSA.Create();
                rsa.ImportPkcs8PrivateKey(der, out _);
                return rsa;
            case Oids.Ed25519 or Oids.Ed448:
                throw new MtlsException(Catalogue.Text("Key_EdDsa", source));
            default:
                throw new MtlsException(Catalogue.Text("Key_Algorithm", source, algorithm));
        }
    }

    private static string ReadPkcs8Algorithm(byte[] der)
    {
        var reader = new AsnReader(der, AsnEncodingRules.BER);
        var info = reader.ReadSequence();
        info.ReadInteger();
        return info.ReadSequence().ReadObjectIdentifier();
    }

    private static ECDsa ImportEc(byte[] der)
    {
        var ec = ECDsa.Create();
        ec.ImportECPrivateKey(der, out _);
        return ec;
    }

    private static RSA ImportRsa(byte[] der)
    {
        var rsa = RSA.Create();
        rsa.ImportRSAPrivateKey(der, out _);
        return rsa;
    }

    private static AsymmetricAlgorithm ImportEncrypted(byte[] der, string source, string? password)
    {
        if (password is null)
            throw new MtlsException(Catalogue.Text("Key_Encrypted", source)) { Kind = MtlsErrorKind.KeyPasswordNeeded };
        // Decrypt once to learn the algorithm; the platform has no API that returns the inner PKCS#8.
        AsymmetricAlgorithm[] candidates = [ECDsa.Create(), RSA.Create()];
        foreach (var candidate in candidates)
        {
            try
            {
                candidate.ImportEncryptedPkcs8PrivateKey(password, der, out _);
                return candidate;
            }
            catch (CryptographicException)
            {
                candidate.Dispose();
            }
        }
        throw MtlsException.Refused(Catalogue.Text("Key_WrongPassword", source));
    }

    private static AsymmetricAlgorithm ImportDer(byte[] der, string source)
    {
        try { return ImportPkcs8(der, source); } catch (Exception e) when (e is CryptographicException or AsnContentException or PlatformNotSupportedException) { }
        try { return ImportEc(der); } catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException) { }
        try { return ImportRsa(der); } catch (CryptographicException) { }
        throw new MtlsException(Catalogue.Text("Key_DerNotKey", source));
    }

    /// <summary>A human name for a PEM label, used when a file holds the wrong kind of thing.</summary>
    public static string PemKind(string label) => label switch
    {
        "CERTIFICATE" => Catalogue.Text("Kind_Certificate"),
        "CERTIFICATE REQUEST" or "NEW CERTIFICATE REQUEST" => Catalogue.Text("Kind_Csr"),
        "X509 CRL" => Catalogue.Text("Kind_Crl"),
        "PUBLIC KEY" => Catalogue.Text("Kind_PublicKey"),
        "" => Catalogue.Text("Kind_Der"),
        _ when label.EndsWith("PRIVATE KEY", StringComparison.Ordinal) => Catalogue.Text("Kind_PrivateKey"),
        _ => Catalogue.Text("Kind_PemBlock", label),
    };

    /// <summary>PKCS#8 PEM; encrypted (PBES2/AES-256-CBC/SHA-256) when <paramref name="password"/> is set.</summary>
    public static string ToPem(AsymmetricAlgorithm key, string? password = null) =>
        password is null ? key.ExportPkcs8PrivateKeyPem() : key.ExportEncryptedPkcs8PrivateKeyPem(password, Encryption);

    /// <summary>Writes the key as PKCS#8 PEM, mode 0600, atomically, never over an existing file unless forced.</summary>
    public static void Save(AsymmetricAlgorithm key, string path, string? password, bool force) =>
        SecureFile.WriteText(path, ToPem(key, password), isPrivate: true, force);

    /// <summary>True when the private key belongs to the public key (compares SubjectPublicKeyInfo).</summary>
    public static bool Matches(AsymmetricAlgorithm key, System.Security.Cryptography.X509Certificates.PublicKey publicKey) =>
        key.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(publicKey.ExportSubjectPublicKeyInfo());
}
