using Mtls.Ca.Acme;
using Mtls.Cli.Tests.Postgres;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inventory;
using Npgsql;

namespace Mtls.Cli.Tests.AcmeStore;

/// <summary>
/// The ACME store contract on a CA's PostgreSQL inventory in a real, throwaway cluster: each node is its
/// own <see cref="PostgresInventory"/> (its own connection pool) on one database, so the races are the
/// database's to settle, as between `mtls ca serve` nodes.
/// </summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresAcmeStoreContractTests(PostgresServer postgres) : AcmeStoreContract
{
    private readonly string _database = postgres.NewDatabase();
    private readonly CertificateAuthority _ca = TestPki.Root("/CN=ACME Store Test CA");
    private readonly List<PostgresInventory> _inventories = [];

    protected override IAcmeStore Node()
    {
        var inventory = PostgresInventory.Open(_database, _ca.Certificate);
        _inventories.Add(inventory);
        return new SqlAcmeStore(inventory.Acme) { Time = Clock };
    }

    [Fact]
    public Task ExpiredNonces_ArePurgedAsNewOnesAreMade_AtMostALimitAtATime() => ExpiredNoncesArePurgedAFewAtATime(() =>
    {
        using var connection = new NpgsqlConnection(postgres.KeywordForm(PostgresServer.DatabaseOf(_database)));
        connection.Open();
        using var command = new NpgsqlCommand("SELECT count(*) FROM acme_nonces", connection);
        return (long)command.ExecuteScalar()!;
    });

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var inventory in _inventories) inventory.Dispose();
            _ca.Dispose();
        }
        base.Dispose(disposing);
    }
}
