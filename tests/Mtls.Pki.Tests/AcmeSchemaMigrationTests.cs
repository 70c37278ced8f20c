using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Mtls.Pki.Inventory;

namespace Mtls.Pki.Tests;

/// <summary>Schema version 4 (ACME's state): a version-3 SQLite file migrates, keeps what it had, and its ACME tables work; a v4 file is refused by nothing older.</summary>
public class AcmeSchemaMigrationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_version_3_inventory_gains_the_acme_tables_and_keeps_its_tokens()
    {
        using var d = new TempDir();
        using var ca = TestPki.Root(now: Now.AddDays(-1));
        // A file as mtls wrote it with tokens binding a CN, before ACME kept its state: v1-v3 tables, user_version 3, one token.
        using (var v3 = new SqliteConnection($"Data Source={d["ca.db"]};Pooling=False"))
        {
            v3.Open();
            using var command = v3.CreateCommand();
            command.CommandText = InventorySql.V1 + InventorySql.V2 + InventorySql.V3 + """
                PRAGMA user_version = 3;
                INSERT INTO meta (key, value) VALUES ('ca_sha256', @ca), ('crl_number', '7');
                INSERT INTO tokens (hash, names, profile, created_at, expires_at, common_name) VALUES ('OLD', 'DNS:api.internal', 'client', 0, 9999999999, 'Super Client');
                """;
            command.Parameters.AddWithValue("@ca", Convert.ToHexString(ca.Certificate.GetCertHash(HashAlgorithmName.SHA256)));
            command.ExecuteNonQuery();
        }
        using (var inventory = CaInventory.Open(d["ca.db"], ca.Certificate))
        {
            Assert.Equal("Super Client", inventory.FindToken("OLD")!.CommonName);
            Assert.Equal(8, inventory.NextCrlNumber());
            inventory.Acme.AddNonce("N1", Now.AddMinutes(10), Now);
            Assert.Equal("""{"id":"a"}""", inventory.Acme.AddAccount("a", "key", "valid", Now, """{"id":"a"}"""));
        }
        Assert.Equal(4L, UserVersion(d["ca.db"]));
        using var reopened = CaInventory.Open(d["ca.db"], ca.Certificate); // a current file opens unchanged, its ACME state kept
        Assert.True(reopened.Acme.ConsumeNonce("N1", Now.AddSeconds(1)));
        Assert.False(reopened.Acme.ConsumeNonce("N1", Now.AddSeconds(2)));
        Assert.Equal("""{"id":"a"}""", reopened.Acme.FindAccountByKey("key"));
        Assert.Equal(4L, UserVersion(d["ca.db"]));
    }

    [Fact]
    public void A_file_of_a_newer_schema_is_refused_not_guessed()
    {
        using var d = new TempDir();
        using var ca = TestPki.Root(now: Now.AddDays(-1));
        using (CaInventory.Open(d["ca.db"], ca.Certificate)) { }
        using (var connection = new SqliteConnection($"Data Source={d["ca.db"]};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 5";
            command.ExecuteNonQuery();
        }
        var refused = Assert.Throws<MtlsException>(() => CaInventory.Open(d["ca.db"], ca.Certificate));
        Assert.Contains("5", refused.Message, StringComparison.Ordinal);
        Assert.Contains("4", refused.Message, StringComparison.Ordinal);
    }

    private static long UserVersion(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        return (long)command.ExecuteScalar()!;
    }
}
