using System.Security.Cryptography.X509Certificates;
using Mtls.Pki;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inventory;

namespace Mtls.Pki.Tests;

public class InventoryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Records_list_by_expiry_and_statuses_follow_precedence()
    {
        using var d = new TempDir();
        using var ca = TestPki.Root(now: Now.AddDays(-1));
        using var a = TestPki.Issue(ca, "/CN=a", CertificateProfile.Client, now: Now, days: 90);
        using var b = TestPki.Issue(ca, "/CN=b", CertificateProfile.Client, now: Now, days: 10);
        using var c = TestPki.Issue(ca, "/CN=c", CertificateProfile.Client, now: Now, days: 200);
        using (var inventory = CaInventory.Open(d["ca.db"], ca.Certificate))
        {
            inventory.Record([InventoryRecord.From(a, "client", Now, null), InventoryRecord.From(b, "client", Now, null)]);
            inventory.RecordRenewal(InventoryRecord.SerialOf(a), InventoryRecord.From(c, "client", Now, d["c.crt"]));
            Assert.True(inventory.Revoke(InventoryRecord.SerialOf(b), Now, X509RevocationReason.Superseded));
            Assert.False(inventory.Revoke(InventoryRecord.SerialOf(b), Now.AddDays(1), X509RevocationReason.KeyCompromise));
            Assert.Equal(1, inventory.NextCrlNumber());
            Assert.Equal(2, inventory.NextCrlNumber());
        }
        using var reopened = CaInventory.Open(d["ca.db"], ca.Certificate);
        var list = reopened.List();
        Assert.Equal(["CN=b", "CN=a", "CN=c"], list.Select(r => r.Subject));
        Assert.Equal(CertificateStatus.Revoked, list[0].StatusAt(Now, TimeSpan.FromDays(30)));
        Assert.Equal(X509RevocationReason.Superseded, list[0].RevocationReason); // the first revocation stands
        Assert.Equal(CertificateStatus.Superseded, list[1].StatusAt(Now, TimeSpan.FromDays(30)));
        Assert.Equal(InventoryRecord.SerialOf(c), list[1].SupersededBy);
        Assert.Equal(CertificateStatus.Valid, list[2].StatusAt(Now, TimeSpan.FromDays(30)));
        Assert.Equal(CertificateStatus.Expiring, list[2].StatusAt(Now.AddDays(180), TimeSpan.FromDays(30)));
        Assert.Equal(CertificateStatus.Expired, list[2].StatusAt(Now.AddDays(201), TimeSpan.FromDays(30)));
        Assert.Equal(3, reopened.NextCrlNumber());
        Assert.Equal(d["c.crt"], list[2].Path);
    }

    [Fact]
    public void Another_cas_inventory_and_a_corrupt_file_are_refused()
    {
        using var d = new TempDir();
        using var ca = TestPki.Root();
        using var other = TestPki.Root("/CN=Other");
        CaInventory.Open(d["ca.db"], ca.Certificate).Dispose();
        var e = Assert.Throws<MtlsException>(() => CaInventory.Open(d["ca.db"], other.Certificate));
        Assert.Contains("is the inventory of another CA", e.Message);
        File.WriteAllText(d["junk.db"], new string('x', 5000));
        var corrupt = Assert.Throws<MtlsException>(() => CaInventory.Open(d["junk.db"], ca.Certificate));
        Assert.Contains("corrupt or not an SQLite file", corrupt.Message);
        Assert.Equal(new string('x', 5000), File.ReadAllText(d["junk.db"]));
    }

    [Theory]
    [InlineData("00:AB:cd", "ABCD")]
    [InlineData("0x0f", "0F")]
    [InlineData("5A3F", "5A3F")]
    [InlineData("abc", "0ABC")]
    public void Serials_are_normalised(string input, string expected) => Assert.Equal(expected, InventoryRecord.NormalizeSerial(input));
}
