using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inventory;

namespace Mtls.Pki.Tests;

/// <summary>Schema versions 2 (the online CA) and 3 (tokens binding a CN): older files migrate forward; the store's once-only rules hold in the database.</summary>
public class InventoryMigrationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_version_1_inventory_is_migrated_to_the_current_version_keeping_its_certificates()
    {
        using var d = new TempDir();
        using var ca = TestPki.Root(now: Now.AddDays(-1));
        using var leaf = TestPki.Issue(ca, "/CN=old", CertificateProfile.Client, now: Now);
        // A file as mtls wrote it before the online CA: the v1 tables, user_version 1, one certificate.
        using (var v1 = new SqliteConnection($"Data Source={d["ca.db"]};Pooling=False"))
        {
            v1.Open();
            using var command = v1.CreateCommand();
            command.CommandText = InventorySql.V1 + """
                PRAGMA user_version = 1;
                INSERT INTO meta (key, value) VALUES ('ca_sha256', @ca), ('crl_number', '4');
                INSERT INTO certificates (serial, subject, sans, profile, not_before, not_after, sha256, issued_at)
                VALUES (@serial, 'CN=old', '', 'client', 0, 1, 'AA', 0);
                """;
            command.Parameters.AddWithValue("@ca", Convert.ToHexString(ca.Certificate.GetCertHash(HashAlgorithmName.SHA256)));
            command.Parameters.AddWithValue("@serial", InventoryRecord.SerialOf(leaf));
            command.ExecuteNonQuery();
        }
        using (var inventory = CaInventory.Open(d["ca.db"], ca.Certificate))
        {
            Assert.Equal("CN=old", Assert.Single(inventory.List()).Subject);
            Assert.Equal(5, inventory.NextCrlNumber()); // the v1 counter carries on
            Assert.Equal(0, inventory.RevocationVersion());
            inventory.AddToken(new TokenRecord("AB", ["DNS:x"], "server", Now, Now.AddMinutes(5)));
            inventory.RecordEvent(new CaEvent(Now, "refused", "token-used", "detail"));
            Assert.True(inventory.Revoke(InventoryRecord.SerialOf(leaf), Now, System.Security.Cryptography.X509Certificates.X509RevocationReason.Unspecified));
            Assert.Equal(1, inventory.RevocationVersion());
        }
        using var check = new SqliteConnection($"Data Source={d["ca.db"]};Pooling=False");
        check.Open();
        using var version = check.CreateCommand();
        version.CommandText = "PRAGMA user_version";
        Assert.Equal(4L, version.ExecuteScalar()); // the current version: 3 (tokens binding a CN), then 4 (ACME state)
        using var reopened = CaInventory.Open(d["ca.db"], ca.Certificate); // opening a current file again changes nothing
        Assert.Equal("token-used", Assert.Single(reopened.Events()).Type);
        Assert.NotNull(reopened.FindToken("AB"));
    }

    [Fact]
    public void A_version_2_inventory_gains_the_token_common_name_and_keeps_its_tokens()
    {
        using var d = new TempDir();
        using var ca = TestPki.Root(now: Now.AddDays(-1));
        // A file as mtls wrote it with the online CA before tokens could bind a CN: v1 + v2 tables, user_version 2, one token.
        using (var v2 = new SqliteConnection($"Data Source={d["ca.db"]};Pooling=False"))
        {
            v2.Open();
            using var command = v2.CreateCommand();
            command.CommandText = InventorySql.V1 + InventorySql.V2 + """
                PRAGMA user_version = 2;
                INSERT INTO meta (key, value) VALUES ('ca_sha256', @ca), ('crl_number', '0');
                INSERT INTO tokens (hash, names, profile, created_at, expires_at) VALUES ('OLD', 'DNS:api.internal', 'server', 0, 9999999999);
                """;
            command.Parameters.AddWithValue("@ca", Convert.ToHexString(ca.Certificate.GetCertHash(HashAlgorithmName.SHA256)));
            command.ExecuteNonQuery();
        }
        using (var inventory = CaInventory.Open(d["ca.db"], ca.Certificate))
        {
            var old = inventory.FindToken("OLD")!;
            Assert.Equal(["DNS:api.internal"], old.Names);
            Assert.Null(old.CommonName);
            inventory.AddToken(new TokenRecord("NEW", [], "client", Now, Now.AddMinutes(5), CommonName: "Super Client"));
        }
        using var check = new SqliteConnection($"Data Source={d["ca.db"]};Pooling=False");
        check.Open();
        using var version = check.CreateCommand();
        version.CommandText = "PRAGMA user_version";
        Assert.Equal(4L, version.ExecuteScalar()); // the current version: 3 (tokens binding a CN), then 4 (ACME state)
        using var reopened = CaInventory.Open(d["ca.db"], ca.Certificate);
        var added = reopened.FindToken("NEW")!;
        Assert.Equal("Super Client", added.CommonName);
        Assert.Empty(added.Names);
        Assert.Equal("client", added.Profile);
    }

    [Fact]
    public void A_token_is_redeemed_once_and_a_certificate_renewed_once()
    {
        using var d = new TempDir();
        using var ca = TestPki.Root(now: Now.AddDays(-1));
        using var a = TestPki.Issue(ca, "/CN=a", CertificateProfile.Client, now: Now);
        using var b = TestPki.Issue(ca, "/CN=b", CertificateProfile.Client, now: Now);
        using var c = TestPki.Issue(ca, "/CN=c", CertificateProfile.Client, now: Now);
        using var inventory = CaInventory.Open(d["ca.db"], ca.Certificate, pooled: true);
        inventory.AddToken(new TokenRecord("T1", ["DNS:a"], "client", Now, Now.AddMinutes(5)));

        Assert.Equal(TokenRedemption.Redeemed, inventory.RedeemToken("T1", Now, InventoryRecord.From(a, "client", Now, null)));
        Assert.Equal(TokenRedemption.AlreadyUsed, inventory.RedeemToken("T1", Now, InventoryRecord.From(b, "client", Now, null)));
        Assert.Null(inventory.Find(InventoryRecord.SerialOf(b))); // the loser's certificate is not recorded
        Assert.Equal(TokenRedemption.Unknown, inventory.RedeemToken("T2", Now, InventoryRecord.From(b, "client", Now, null)));
        inventory.AddToken(new TokenRecord("T3", ["DNS:a"], "client", Now, Now.AddMinutes(5)));
        Assert.Equal(TokenRedemption.Expired, inventory.RedeemToken("T3", Now.AddMinutes(6), InventoryRecord.From(b, "client", Now, null)));

        var serialA = InventoryRecord.SerialOf(a);
        Assert.True(inventory.TryRecordRenewal(serialA, InventoryRecord.From(b, "client", Now, null)));
        Assert.False(inventory.TryRecordRenewal(serialA, InventoryRecord.From(c, "client", Now, null)));
        Assert.Null(inventory.Find(InventoryRecord.SerialOf(c)));
        Assert.Equal(InventoryRecord.SerialOf(b), inventory.Find(serialA)!.SupersededBy);
    }
}
