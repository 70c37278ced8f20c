using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Cli.Tests.Postgres;
using Mtls.Pki.Inventory;
using Npgsql;

namespace Mtls.Cli.Tests.AcmeStore;

/// <summary>A PostgreSQL inventory at schema version 3 gains the ACME tables (version 4) when a CA node opens it, once, keeping its tokens.</summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresAcmeSchemaTests(PostgresServer postgres) : IDisposable
{
    private readonly TestCa _ca = new("CN=ACME Schema Test CA");

    [Fact]
    public async Task A_version_3_database_migrates_to_version_4_once_when_two_nodes_open_it_at_once()
    {
        var uri = postgres.NewDatabase();
        var keywords = postgres.KeywordForm(PostgresServer.DatabaseOf(uri));
        using var ca = X509CertificateLoader.LoadCertificateFromFile(_ca.Cert);
        using (var connection = new NpgsqlConnection(keywords))
        {
            connection.Open();
            using var command = new NpgsqlCommand(
                InventorySql.Render(InventorySql.V1, InventoryDialect.Postgres) + InventorySql.Render(InventorySql.V2, InventoryDialect.Postgres)
                + InventorySql.Render(InventorySql.V3, InventoryDialect.Postgres)
                + $"INSERT INTO meta (key, value) VALUES ('ca_sha256', '{Convert.ToHexString(ca.GetCertHash(HashAlgorithmName.SHA256))}'), ('crl_number', '0'), ('schema_version', '3');"
                + "INSERT INTO tokens (hash, names, profile, created_at, expires_at, common_name) VALUES ('OLD', 'DNS:api.internal', 'client', 0, 9999999999, 'Super Client');",
                connection);
            command.ExecuteNonQuery();
        }

        var opened = await Task.WhenAll(Task.Run(() => PostgresInventory.Open(uri, ca)), Task.Run(() => PostgresInventory.Open(uri, ca)));
        try
        {
            Assert.Equal("Super Client", opened[0].FindToken("OLD")!.CommonName);
            opened[0].Acme.AddNonce("N1", DateTimeOffset.UtcNow.AddMinutes(10), DateTimeOffset.UtcNow);
            Assert.True(opened[1].Acme.ConsumeNonce("N1", DateTimeOffset.UtcNow));
        }
        finally
        {
            foreach (var inventory in opened) inventory.Dispose();
        }
        using (var connection = new NpgsqlConnection(keywords))
        {
            connection.Open();
            using var version = new NpgsqlCommand("SELECT value FROM meta WHERE key = 'schema_version'", connection);
            Assert.Equal("4", version.ExecuteScalar());
            using var tables = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'acme\\_%'", connection);
            Assert.Equal(5L, tables.ExecuteScalar());
        }
        Assert.Empty(InventoryCheck.Postgres(keywords));
    }

    public void Dispose() => _ca.Dispose();
}
