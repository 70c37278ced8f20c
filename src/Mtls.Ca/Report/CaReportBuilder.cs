using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Inspection;
using Mtls.Pki.Inventory;
using Mtls.Pki.Revocation;

namespace Mtls.Ca.Report;

/// <summary>Builds a <see cref="CaReport"/> from what a CA keeps: its certificate, its inventory records and its CRL.</summary>
public static class CaReportBuilder
{
    /// <summary>The default "expiring soon" window, the same as <c>mtls ca list</c>'s.</summary>
    public static readonly TimeSpan DefaultExpiringWithin = TimeSpan.FromDays(30);

    /// <summary>
    /// The report at <paramref name="now"/>. <paramref name="crl"/> should be this CA's (the caller checks
    /// its signature); the report shows its dates and which revocations it does not list yet.
    /// </summary>
    public static CaReport Build(X509Certificate2 ca, IEnumerable<InventoryRecord> records, CertificateRevocationList? crl,
        DateTimeOffset now, TimeSpan? expiringWithin = null, string? inventory = null)
    {
        ArgumentNullException.ThrowIfNull(ca);
        ArgumentNullException.ThrowIfNull(records);
        var window = expiringWithin ?? DefaultExpiringWithin;
        var description = CertificateDescription.From(ca, now);
        var authority = new ReportAuthority(description.Subject, description.Issuer, description.SelfSigned, description.Serial,
            description.NotBefore, description.NotAfter, description.KeyType, description.Sha256Fingerprint);
        var certificates = records
            .OrderBy(r => r.NotAfter).ThenBy(r => r.Serial, StringComparer.Ordinal)
            .Select(r => new ReportCertificate(r, r.StatusAt(now, window), DaysLeft(r.NotAfter, now)))
            .ToList();
        return new CaReport(authority, now, window, certificates, crl is null ? null : Describe(crl, certificates), inventory);
    }

    /// <summary>Whole days until <paramref name="notAfter"/>, rounded as <c>mtls ca list</c> rounds them (negative once passed).</summary>
    public static int DaysLeft(DateTimeOffset notAfter, DateTimeOffset now) => (int)Math.Round((notAfter - now).TotalDays);

    private static ReportCrl Describe(CertificateRevocationList crl, List<ReportCertificate> certificates)
    {
        var listed = crl.Entries.Select(e => e.Serial).ToHashSet(StringComparer.Ordinal);
        var notListed = certificates.Where(c => c.Record.RevokedAt is not null && !listed.Contains(c.Record.Serial))
            .Select(c => c.Record.Serial).ToList();
        return new ReportCrl(crl.Source, crl.CrlNumber?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            crl.ThisUpdate, crl.NextUpdate, crl.Entries.Count, notListed);
    }
}
