using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Names;
using Mtls.Pki.Text;

namespace Mtls.Pki.Revocation;

/// <summary>One revoked certificate in a CRL. <see cref="Serial"/> is upper-case hex without colons.</summary>
public sealed record RevokedCertificate(string Serial, DateTimeOffset RevokedAt, X509RevocationReason? Reason);

/// <summary>
/// A parsed X.509 CRL (RFC 5280 5.1). Parsing does not trust it: call <see cref="IsSignedBy"/> (or
/// <see cref="Validate"/>) with the CA before believing its entries. The platform cannot read CRLs
/// offline on Linux (DESIGN.md, platform facts), hence our own reader.
/// </summary>
public sealed class CertificateRevocationList
{
    private readonly Dictionary<string, RevokedCertificate> _bySerial;
    private readonly Validation.Crl _crl;

    internal CertificateRevocationList(string source, Validation.Crl crl, IReadOnlyList<RevokedCertificate> entries, byte[] rawData)
    {
        Source = source;
        _crl = crl;
        Issuer = new X500DistinguishedName(crl.Issuer.Der);
        ThisUpdate = crl.ThisUpdate;
        NextUpdate = crl.NextUpdate;
        CrlNumber = crl.Number;
        Entries = entries;
        RawData = rawData;
        _bySerial = entries.GroupBy(e => e.Serial).ToDictionary(g => g.Key, g => g.First());
    }

    /// <summary>The file (or other source) the CRL came from, for messages.</summary>
    public string Source { get; }
    public X500DistinguishedName Issuer { get; }
    public DateTimeOffset ThisUpdate { get; }
    public DateTimeOffset? NextUpdate { get; }
    public BigInteger? CrlNumber { get; }
    public IReadOnlyList<RevokedCertificate> Entries { get; }
    public byte[] RawData { get; }

    /// <summary>True when the CRL names <paramref name="issuer"/> as its issuer and carries a valid signature by its key.</summary>
    public bool IsSignedBy(X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        if (!issuer.SubjectName.RawData.AsSpan().SequenceEqual(Issuer.RawData)) return false;
        // The validator's signature check (the same algorithms and key rules as for certificates).
        try
        {
            return Validation.Signatures.Verify(_crl.Tbs.Span, _crl.Signature, _crl.SignatureAlgorithm, Validation.ParsedCertificate.Parse(issuer.RawData, issuer)) is null;
        }
        catch (System.Formats.Asn1.AsnContentException) { return false; } // a CA certificate our reader refuses signs nothing we trust
    }

    /// <summary>
    /// Checks that the CRL may be used to judge certificates of <paramref name="issuer"/> at
    /// <paramref name="now"/>: same issuer, valid signature, thisUpdate not in the future, nextUpdate
    /// not passed. Throws a user-facing <see cref="MtlsException"/> (exit 1) saying which check failed.
    /// </summary>
    public void Validate(X509Certificate2 issuer, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var ca = DistinguishedName.Format(issuer.SubjectName);
        if (!issuer.SubjectName.RawData.AsSpan().SequenceEqual(Issuer.RawData))
            throw MtlsException.Refused(Catalogue.Text("Crl_OfAnotherCa", Source, DistinguishedName.Format(Issuer), ca));
        if (!IsSignedBy(issuer))
            throw MtlsException.Refused(Catalogue.Text("Crl_BadSignature", Source, ca));
        if (ThisUpdate > now + Certificates.CertificateAuthority.ClockSkew)
            throw MtlsException.Refused(Catalogue.Text("Crl_NotValidYet", Source, Catalogue.Second(ThisUpdate)));
        if (NextUpdate is { } next && next < now)
            throw MtlsException.Refused(Catalogue.Text("Crl_StaleFile", Source, Catalogue.Second(next)));
    }

    /// <summary>
    /// True when <paramref name="certificate"/> is listed as revoked. Only meaningful for certificates
    /// whose issuer is this CRL's issuer (false otherwise); validate the CRL first.
    /// </summary>
    public bool IsRevoked(X509Certificate2 certificate, out RevokedCertificate? entry)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        entry = null;
        if (!certificate.IssuerName.RawData.AsSpan().SequenceEqual(Issuer.RawData)) return false;
        return _bySerial.TryGetValue(Inventory.InventoryRecord.SerialOf(certificate), out entry);
    }
}
