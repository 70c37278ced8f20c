using Mtls.Pki.Inventory;

namespace Mtls.Ca.Report;

/// <summary>
/// Everything the CA report page shows, fixed at one moment (<see cref="Now"/>): built from the CA
/// certificate, its inventory records and its CRL by <see cref="CaReportBuilder"/>, drawn by
/// <see cref="CaReportHtml"/>. <see cref="Certificates"/> are soonest expiry first.
/// </summary>
public sealed record CaReport(
    ReportAuthority Authority,
    DateTimeOffset Now,
    TimeSpan ExpiringWithin,
    IReadOnlyList<ReportCertificate> Certificates,
    ReportCrl? Crl,
    string? Inventory)
{
    public int Count(CertificateStatus status) => Certificates.Count(c => c.Status == status);

    /// <summary>The revoked certificates, most recently revoked first.</summary>
    public IEnumerable<ReportCertificate> Revoked =>
        Certificates.Where(c => c.Record.RevokedAt is not null).OrderByDescending(c => c.Record.RevokedAt).ThenBy(c => c.Record.Serial, StringComparer.Ordinal);

    /// <summary>The expiring window in whole days, as the page and the summary say it.</summary>
    public int ExpiringDays => (int)Math.Round(ExpiringWithin.TotalDays);
}
