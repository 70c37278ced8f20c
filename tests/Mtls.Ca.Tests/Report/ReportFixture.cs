using System.Security.Cryptography.X509Certificates;
using Mtls.Ca.Report;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inventory;
using Mtls.Pki.Revocation;

namespace Mtls.Ca.Tests.Report;

/// <summary>
/// A CA made at test time with an inventory at a fixed "now": certificates issued days or months ago
/// for various lifetimes, so that each status occurs a known number of times.
/// </summary>
internal sealed class ReportFixture : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 6, 15, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDir _dir = new();

    public ReportFixture()
    {
        Ca = TestPki.Root("/C=JP/O=Kame/CN=Kame Test CA", Now.AddDays(-400), days: 3650);
        Inventory = CaInventory.Open(_dir["ca.db"], Ca.Certificate);
    }

    public CertificateAuthority Ca { get; }
    public CaInventory Inventory { get; }

    /// <summary>Issues a certificate <paramref name="issuedDaysAgo"/> days before <see cref="Now"/>, valid <paramref name="days"/> days, and records it.</summary>
    public InventoryRecord Issue(string subject, int issuedDaysAgo, int days, CertificateProfile? profile = null, string[]? sans = null)
    {
        var issuedAt = Now.AddDays(-issuedDaysAgo);
        profile ??= CertificateProfile.Server;
        using var cert = TestPki.Issue(Ca, subject, profile, sans ?? ["DNS:" + subject.Split('=')[^1]], issuedAt, days);
        var record = InventoryRecord.From(cert, profile.Name, issuedAt, null);
        Inventory.Record([record]);
        return record;
    }

    public void Revoke(InventoryRecord record, int daysAgo, X509RevocationReason reason) =>
        Assert.True(Inventory.Revoke(record.Serial, Now.AddDays(-daysAgo), reason));

    /// <summary>A CRL signed by the CA listing what the inventory has revoked so far.</summary>
    public CertificateRevocationList Crl(DateTimeOffset thisUpdate, DateTimeOffset nextUpdate)
    {
        var revoked = Inventory.Revoked().Select(r => new RevokedCertificate(r.Serial, r.RevokedAt!.Value, r.RevocationReason)).ToList();
        return CrlFile.Parse(Ca.CreateCrl(revoked, Inventory.NextCrlNumber(), thisUpdate, nextUpdate), "ca.crl");
    }

    public CaReport Report(CertificateRevocationList? crl = null) =>
        CaReportBuilder.Build(Ca.Certificate, Inventory.List(), crl, Now, inventory: "ca.db");

    public void Dispose()
    {
        Inventory.Dispose();
        Ca.Dispose();
        _dir.Dispose();
    }
}
