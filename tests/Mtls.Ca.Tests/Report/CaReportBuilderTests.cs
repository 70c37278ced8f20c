using System.Security.Cryptography.X509Certificates;
using Mtls.Ca.Report;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inventory;

namespace Mtls.Ca.Tests.Report;

/// <summary>The report's numbers and statuses, for a CA and inventory made at test time at a fixed now.</summary>
public class CaReportBuilderTests
{
    [Fact]
    public void Each_certificate_gets_its_status_and_days_left_at_the_fixed_now()
    {
        using var f = new ReportFixture();
        var valid = f.Issue("/CN=valid.example", issuedDaysAgo: 10, days: 365);             // 355 days left
        var expiring = f.Issue("/CN=soon.example", issuedDaysAgo: 80, days: 90);             // 10 days left
        var edge = f.Issue("/CN=edge.example", issuedDaysAgo: 60, days: 89);                 // 29 days left: inside 30
        var outside = f.Issue("/CN=outside.example", issuedDaysAgo: 60, days: 92);           // 32 days left: outside 30
        var expired = f.Issue("/CN=gone.example", issuedDaysAgo: 100, days: 90);             // expired 10 days ago
        var revoked = f.Issue("/CN=Revoked Client", issuedDaysAgo: 20, days: 365, CertificateProfile.Client, []);
        var renewedOld = f.Issue("/CN=renewed.example", issuedDaysAgo: 300, days: 310);
        f.Revoke(revoked, daysAgo: 5, X509RevocationReason.KeyCompromise);
        using (var renewedCert = TestPki.Issue(f.Ca, "/CN=renewed.example", CertificateProfile.Server, ["DNS:renewed.example"], ReportFixture.Now.AddDays(-1), 365))
            f.Inventory.RecordRenewal(renewedOld.Serial, InventoryRecord.From(renewedCert, "server", ReportFixture.Now.AddDays(-1), null));

        var report = f.Report();

        CertificateStatus StatusOf(InventoryRecord r) => report.Certificates.Single(c => c.Record.Serial == r.Serial).Status;
        int DaysOf(InventoryRecord r) => report.Certificates.Single(c => c.Record.Serial == r.Serial).DaysLeft;
        Assert.Equal(CertificateStatus.Valid, StatusOf(valid));
        Assert.Equal(CertificateStatus.Expiring, StatusOf(expiring));
        Assert.Equal(CertificateStatus.Expiring, StatusOf(edge));
        Assert.Equal(CertificateStatus.Valid, StatusOf(outside));
        Assert.Equal(CertificateStatus.Expired, StatusOf(expired));
        Assert.Equal(CertificateStatus.Revoked, StatusOf(revoked));
        Assert.Equal(CertificateStatus.Superseded, StatusOf(renewedOld));
        Assert.Equal(355, DaysOf(valid));
        Assert.Equal(10, DaysOf(expiring));
        Assert.Equal(29, DaysOf(edge));
        Assert.Equal(-10, DaysOf(expired));

        Assert.Equal(8, report.Certificates.Count);
        Assert.Equal(3, report.Count(CertificateStatus.Valid)); // valid, outside, the renewal
        Assert.Equal(2, report.Count(CertificateStatus.Expiring));
        Assert.Equal(1, report.Count(CertificateStatus.Expired));
        Assert.Equal(1, report.Count(CertificateStatus.Revoked));
        Assert.Equal(1, report.Count(CertificateStatus.Superseded));
        Assert.Equal(report.Certificates.OrderBy(c => c.Record.NotAfter).Select(c => c.Record.Serial), report.Certificates.Select(c => c.Record.Serial));

        var summary = CaReportSummary.From(report, null);
        Assert.Equal((8, 3, 2, 1, 1, 1), (summary.Issued, summary.Valid, summary.Expiring, summary.Expired, summary.Revoked, summary.Superseded));
        Assert.Equal([expiring.Serial, edge.Serial], summary.ExpiringSerials);
        Assert.Null(summary.RevokedNotInCrl);
    }

    [Fact]
    public void The_ca_is_described_from_its_certificate()
    {
        using var f = new ReportFixture();
        var report = f.Report();
        Assert.Equal("CN=Kame Test CA,O=Kame,C=JP", report.Authority.Subject);
        Assert.True(report.Authority.SelfSigned);
        Assert.Equal(new DateTimeOffset(f.Ca.Certificate.NotAfter.ToUniversalTime()), report.Authority.NotAfter);
        Assert.Equal(Convert.ToHexString(f.Ca.Certificate.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256)),
            report.Authority.Sha256Fingerprint.Replace(":", "", StringComparison.Ordinal));
        Assert.Empty(report.Certificates);
    }

    [Fact]
    public void The_crl_shows_its_next_update_and_the_revocations_it_does_not_list_yet()
    {
        using var f = new ReportFixture();
        var first = f.Issue("/CN=a.example", 30, 365);
        var second = f.Issue("/CN=b.example", 30, 365);
        f.Revoke(first, daysAgo: 3, X509RevocationReason.Superseded);
        var crl = f.Crl(ReportFixture.Now.AddDays(-2), ReportFixture.Now.AddDays(5));
        f.Revoke(second, daysAgo: 1, X509RevocationReason.CessationOfOperation); // after the CRL was published

        var report = f.Report(crl);

        Assert.NotNull(report.Crl);
        Assert.Equal(ReportFixture.Now.AddDays(5), report.Crl.NextUpdate);
        Assert.Equal(1, report.Crl.Entries);
        Assert.Equal([second.Serial], report.Crl.NotListed);
        Assert.Equal([second.Serial, first.Serial], report.Revoked.Select(c => c.Record.Serial)); // most recent first
        var summary = CaReportSummary.From(report, null);
        Assert.Equal(1, summary.RevokedNotInCrl);
        Assert.False(summary.CrlStale);

        var stale = CaReportSummary.From(CaReportBuilder.Build(f.Ca.Certificate, f.Inventory.List(), crl, ReportFixture.Now.AddDays(6)), null);
        Assert.True(stale.CrlStale);
    }
}
