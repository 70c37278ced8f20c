using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inspection;
using Mtls.Pki.Names;
using Mtls.Pki.Text;

namespace Mtls.Pki.Inventory;

/// <summary>Where a recorded certificate stands; the order is the order of precedence.</summary>
public enum CertificateStatus { Revoked, Superseded, Expired, Expiring, Valid }

/// <summary>
/// One certificate a CA issued, as its inventory keeps it. Serials are upper-case hex without colons
/// (openssl's <c>-serial</c> form); times are UTC.
/// </summary>
public sealed record InventoryRecord(
    string Serial,
    string Subject,
    IReadOnlyList<string> SubjectAltNames,
    string Profile,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string Sha256Fingerprint,
    DateTimeOffset IssuedAt,
    string? Path,
    DateTimeOffset? RevokedAt = null,
    X509RevocationReason? RevocationReason = null,
    string? SupersededBy = null)
{
    /// <summary>
    /// The record for an issued certificate. Reads the fields directly (no public-key import, which
    /// costs a point validation per certificate and dominated batch signing when done here).
    /// </summary>
    public static InventoryRecord From(X509Certificate2 certificate, string profile, DateTimeOffset issuedAt, string? path)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var san = certificate.Extensions.FirstOrDefault(e => e.Oid?.Value == Oids.SubjectAltName);
        return new InventoryRecord(
            SerialOf(certificate),
            DistinguishedName.Format(certificate.SubjectName),
            san is null ? [] : CertificateDescription.DecodeSans(san.RawData),
            profile,
            new DateTimeOffset(certificate.NotBefore.ToUniversalTime()),
            new DateTimeOffset(certificate.NotAfter.ToUniversalTime()),
            Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256)),
            issuedAt,
            path is null ? null : System.IO.Path.GetFullPath(path));
    }

    public static string SerialOf(X509Certificate2 certificate) => NormalizeSerial(Convert.ToHexString(certificate.SerialNumberBytes.Span));

    /// <summary>Accepts a serial as openssl and mtls print it: hex, with or without colons, any case.</summary>
    public static string NormalizeSerial(string text)
    {
        var hex = text.Replace(":", "", StringComparison.Ordinal).Trim();
        if (hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) hex = hex[2..];
        if (hex.Length == 0 || !hex.All(Uri.IsHexDigit))
            throw new MtlsException(Catalogue.Text("Inventory_NotCertOrSerial", text));
        hex = hex.ToUpperInvariant().TrimStart('0');
        return hex.Length % 2 == 1 ? "0" + hex : hex.Length == 0 ? "00" : hex;
    }

    /// <summary>The status at <paramref name="now"/>; "expiring" means within <paramref name="expiringWithin"/>.</summary>
    public CertificateStatus StatusAt(DateTimeOffset now, TimeSpan expiringWithin) =>
        RevokedAt is not null ? CertificateStatus.Revoked
        : SupersededBy is not null ? CertificateStatus.Superseded
        : NotAfter <= now ? CertificateStatus.Expired
        : NotAfter <= now + expiringWithin ? CertificateStatus.Expiring
        : CertificateStatus.Valid;
}
