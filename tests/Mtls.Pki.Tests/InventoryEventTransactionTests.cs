using Mtls.Pki.Certificates;
using Mtls.Pki.Inventory;

namespace Mtls.Pki.Tests;

/// <summary>
/// The online CA's "issued"/"renewed" event is written in the certificate's own transaction (one commit,
/// one fsync per request): recorded when the certificate is, and not at all when the request lost.
/// </summary>
public class InventoryEventTransactionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_redemption_records_its_event_with_the_certificate_and_a_lost_one_records_none()
    {
        using var d = new TempDir();
        using var ca = TestPki.Root(now: Now.AddDays(-1));
        using var a = TestPki.Issue(ca, "/CN=a", CertificateProfile.Client, now: Now);
        using var b = TestPki.Issue(ca, "/CN=b", CertificateProfile.Client, now: Now);
        using var inventory = CaInventory.Open(d["ca.db"], ca.Certificate, pooled: true);
        inventory.AddToken(new TokenRecord("T1", ["DNS:a"], "client", Now, Now.AddMinutes(5)));
        var serialA = InventoryRecord.SerialOf(a);
        var serialB = InventoryRecord.SerialOf(b);

        Assert.Equal(TokenRedemption.Redeemed, inventory.RedeemToken("T1", Now, InventoryRecord.From(a, "client", Now, null),
            new CaEvent(Now, "issued", "issued", "issued a", serialA, "127.0.0.1")));
        Assert.Equal(TokenRedemption.AlreadyUsed, inventory.RedeemToken("T1", Now, InventoryRecord.From(b, "client", Now, null),
            new CaEvent(Now, "issued", "issued", "issued b", serialB, "127.0.0.1")));

        var recorded = Assert.Single(inventory.Events());
        Assert.Equal(("issued", serialA, "issued a", "127.0.0.1"), (recorded.Kind, recorded.Serial, recorded.Detail, recorded.Remote));
        Assert.NotNull(inventory.Find(serialA));
        Assert.Null(inventory.Find(serialB));
    }

    [Fact]
    public void A_renewal_records_its_event_with_the_certificate_and_a_lost_one_records_none()
    {
        using var d = new TempDir();
        using var ca = TestPki.Root(now: Now.AddDays(-1));
        using var old = TestPki.Issue(ca, "/CN=old", CertificateProfile.Client, now: Now);
        using var first = TestPki.Issue(ca, "/CN=old", CertificateProfile.Client, now: Now);
        using var second = TestPki.Issue(ca, "/CN=old", CertificateProfile.Client, now: Now);
        using var inventory = CaInventory.Open(d["ca.db"], ca.Certificate, pooled: true);
        var oldSerial = InventoryRecord.SerialOf(old);
        inventory.Record([InventoryRecord.From(old, "client", Now, null)]);

        Assert.True(inventory.TryRecordRenewal(oldSerial, InventoryRecord.From(first, "client", Now, null),
            new CaEvent(Now, "renewed", "renewed", "first", InventoryRecord.SerialOf(first))));
        Assert.False(inventory.TryRecordRenewal(oldSerial, InventoryRecord.From(second, "client", Now, null),
            new CaEvent(Now, "renewed", "renewed", "second", InventoryRecord.SerialOf(second))));

        var recorded = Assert.Single(inventory.Events());
        Assert.Equal(("renewed", InventoryRecord.SerialOf(first), "first"), (recorded.Kind, recorded.Serial, recorded.Detail));
        Assert.Equal(InventoryRecord.SerialOf(first), inventory.Find(oldSerial)!.SupersededBy);
    }
}
