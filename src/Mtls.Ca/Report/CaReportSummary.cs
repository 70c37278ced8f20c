using Mtls.Pki.Inventory;

namespace Mtls.Ca.Report;

/// <summary>
/// The report in numbers, for machines (`mtls ca report --json`; stable camelCase field names). Counts
/// are by status at <see cref="Now"/>; <see cref="RevokedNotInCrl"/> is null when no CRL was given.
/// </summary>
public sealed record CaReportSummary(
    string? Html,
    string Ca,
    DateTimeOffset CaNotAfter,
    DateTimeOffset Now,
    int ExpiringWithinDays,
    int Issued,
    int Valid,
    int Expiring,
    int Expired,
    int Revoked,
    int Superseded,
    DateTimeOffset? CrlNextUpdate,
    bool? CrlStale,
    int? RevokedNotInCrl,
    IReadOnlyList<string> ExpiringSerials)
{
    public static CaReportSummary From(CaReport report, string? htmlPath)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new CaReportSummary(htmlPath, report.Authority.Subject, report.Authority.NotAfter, report.Now, report.ExpiringDays,
            report.Certificates.Count, report.Count(CertificateStatus.Valid), report.Count(CertificateStatus.Expiring),
            report.Count(CertificateStatus.Expired), report.Count(CertificateStatus.Revoked), report.Count(CertificateStatus.Superseded),
            report.Crl?.NextUpdate, report.Crl is null ? null : report.Crl.NextUpdate < report.Now, report.Crl?.NotListed.Count,
            report.Certificates.Where(c => c.Status == CertificateStatus.Expiring).Select(c => c.Record.Serial).ToList());
    }
}
