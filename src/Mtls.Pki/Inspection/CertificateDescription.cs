using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Certificates;
using Mtls.Pki.Keys;
using Mtls.Pki.Names;
using Mtls.Pki.Text;

namespace Mtls.Pki.Inspection;

/// <summary>basicConstraints as shown to users; null fields mean "absent".</summary>
public sealed record BasicConstraintsInfo(bool IsCa, int? PathLength, bool Critical);

/// <summary>
/// Everything `mtls cert show` prints about a certificate; the same record is the JSON output, so its
/// property names are a stable interface.
/// </summary>
public sealed record CertificateDescription(
    int Version,
    string Subject,
    string Issuer,
    string Serial,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    int ExpiresInDays,
    long ExpiresInSeconds,
    string Status,
    string KeyType,
    string PublicKeyPem,
    string SignatureAlgorithm,
    IReadOnlyList<string> SubjectAltNames,
    IReadOnlyList<string> KeyUsage,
    IReadOnlyList<string> ExtendedKeyUsage,
    BasicConstraintsInfo? BasicConstraints,
    string? SubjectKeyId,
    string? AuthorityKeyId,
    bool SelfSigned,
    string Sha256Fingerprint,
    IReadOnlyList<string> Extensions)
{
    /// <summary>
    /// A certificate's facts for `cert show` and `get --verbose`. A certificate the platform loaded may
    /// still carry a malformed key or extension (found by fuzzing): the key is then described as
    /// unreadable, and a malformed extension makes this throw <see cref="MtlsException"/>.
    /// </summary>
    public static CertificateDescription From(X509Certificate2 cert, DateTimeOffset now)
    {
        try { return Build(cert, now); }
        catch (Exception e) when (IsMalformed(e))
        {
            throw new MtlsException(Catalogue.Text("Cert_Malformed", DistinguishedName.Format(cert.SubjectName), e.Message.TrimEnd('.')), ExitCode.BadInput, e);
        }
    }

    /// <summary>What the platform throws for malformed or unsupported encodings inside a loaded certificate.</summary>
    public static bool IsMalformed(Exception e) =>
        e is CryptographicException or AsnContentException or PlatformNotSupportedException or NotSupportedException or ArgumentException;

    private static CertificateDescription Build(X509Certificate2 cert, DateTimeOffset now)
    {
        var notBefore = new DateTimeOffset(cert.NotBefore.ToUniversalTime());
        var notAfter = new DateTimeOffset(cert.NotAfter.ToUniversalTime());
        var basic = cert.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        var usage = cert.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        var eku = cert.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        var ski = cert.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault();
        var aki = cert.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().FirstOrDefault();
        var san = cert.Extensions.FirstOrDefault(e => e.Oid?.Value == Oids.SubjectAltName);

        return new CertificateDescription(
            cert.Version,
            DistinguishedName.Format(cert.SubjectName),
            DistinguishedName.Format(cert.IssuerName),
            Hex.Colon(cert.SerialNumberBytes.Span),
            notBefore,
            notAfter,
            (int)Math.Round((notAfter - now).TotalDays),
            (long)Math.Floor((notAfter - now).TotalSeconds),
            now < notBefore ? "not yet valid" : now > notAfter ? "expired" : "valid",
            KeySummary(cert.PublicKey),
            PemEncoding.WriteString("PUBLIC KEY", cert.PublicKey.ExportSubjectPublicKeyInfo()) + "\n",
            cert.SignatureAlgorithm.FriendlyName ?? cert.SignatureAlgorithm.Value ?? "?",
            san is null ? [] : DecodeSans(san.RawData),
            usage is null ? [] : KeyUsageNames(usage.KeyUsages),
            eku is null ? [] : eku.EnhancedKeyUsages.Cast<Oid>().Select(o => Oids.Name(o.Value)).ToList(),
            basic is null ? null : new BasicConstraintsInfo(basic.CertificateAuthority, basic.HasPathLengthConstraint ? basic.PathLengthConstraint : null, basic.Critical),
            ski?.SubjectKeyIdentifier is { } skiHex ? Hex.Colon(Convert.FromHexString(skiHex)) : null,
            aki?.KeyIdentifier is { } akiBytes ? Hex.Colon(akiBytes.ToArray()) : null,
            cert.SubjectName.RawData.AsSpan().SequenceEqual(cert.IssuerName.RawData),
            Hex.Colon(cert.GetCertHash(HashAlgorithmName.SHA256)),
            cert.Extensions.Select(e => (e.Critical ? "critical " : "") + Oids.Name(e.Oid?.Value)).ToList());
    }

    public static IReadOnlyList<string> DecodeSans(byte[] raw)
    {
        try
        {
            var names = SubjectAlternativeName.Decode(raw, out var other).Select(n => n.ToString()).ToList();
            if (other > 0) names.Add(Language.Format(Resources.Sentences.Show_OtherNames, other));
            return names;
        }
        catch (AsnContentException e)
        {
            return [Language.Format(Resources.Sentences.Show_MalformedSan, e.Message.TrimEnd('.'))];
        }
    }

    /// <summary>A public key in one line ("EC P-384", "RSA 2048"; the algorithm and why when it cannot be read).</summary>
    public static string KeySummary(PublicKey key)
    {
        try
        {
            if (key.GetECDsaPublicKey() is { } ec) using (ec) return KeySpec.Summary(ec);
            if (key.GetRSAPublicKey() is { } rsa) using (rsa) return KeySpec.Summary(rsa);
        }
        catch (Exception e) when (IsMalformed(e))
        {
            return Language.Format(Resources.Sentences.Show_UnreadableKey, Oids.Name(key.Oid.Value), e.Message.TrimEnd('.'));
        }
        return Oids.Name(key.Oid.Value);
    }

    public static IReadOnlyList<string> KeyUsageNames(X509KeyUsageFlags flags)
    {
        (X509KeyUsageFlags Flag, string Name)[] all =
        [
            (X509KeyUsageFlags.DigitalSignature, "digitalSignature"),
            (X509KeyUsageFlags.NonRepudiation, "nonRepudiation"),
            (X509KeyUsageFlags.KeyEncipherment, "keyEncipherment"),
            (X509KeyUsageFlags.DataEncipherment, "dataEncipherment"),
            (X509KeyUsageFlags.KeyAgreement, "keyAgreement"),
            (X509KeyUsageFlags.KeyCertSign, "keyCertSign"),
            (X509KeyUsageFlags.CrlSign, "cRLSign"),
            (X509KeyUsageFlags.EncipherOnly, "encipherOnly"),
            (X509KeyUsageFlags.DecipherOnly, "decipherOnly"),
        ];
        return all.Where(u => flags.HasFlag(u.Flag)).Select(u => u.Name).ToList();
    }
}

/// <summary>What `mtls csr show` prints; also its JSON output.</summary>
public sealed record CsrDescription(
    string Subject,
    string KeyType,
    string PublicKeyPem,
    bool SignatureValid,
    IReadOnlyList<string> SubjectAltNames,
    IReadOnlyList<string> RequestedExtensions)
{
    public static CsrDescription From(CertificateRequest request) => new(
        DistinguishedName.Format(request.SubjectName),
        CertificateDescription.KeySummary(request.PublicKey),
        PemEncoding.WriteString("PUBLIC KEY", request.PublicKey.ExportSubjectPublicKeyInfo()) + "\n",
        true, // CsrFile refuses CSRs whose signature does not verify
        CsrFile.RequestedNames(request).Select(n => n.ToString()).ToList(),
        request.CertificateExtensions.Select(e => (e.Critical ? "critical " : "") + Oids.Name(e.Oid?.Value)).ToList());
}

public static class Hex
{
    public static string Colon(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes) is var hex && hex.Length > 0
        ? string.Join(":", Enumerable.Range(0, hex.Length / 2).Select(i => hex.Substring(i * 2, 2)))
        : "";
}
