using Microsoft.Data.Sqlite;
using Mtls.Ca.Acme;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inventory;

namespace Mtls.Cli.Tests.AcmeStore;

/// <summary>
/// The ACME store contract on the CA's SQLite inventory: each node is its own <see cref="CaInventory"/> on
/// one file (as two `mtls ca serve` processes, or one restarted), and the expired nonces are purged a few at a time.
/// </summary>
[Trait("Category", "Acme")]
public sealed class SqliteAcmeStoreContractTests : AcmeStoreContract
{
    private readonly TempDir _dir = new();
    private readonly CertificateAuthority _ca = TestPki.Root("/CN=ACME Store Test CA");
    private readonly List<CaInventory> _inventories = [];

    private string DbPath => _dir["ca.db"];

    protected override IAcmeStore Node()
    {
        var inventory = CaInventory.Open(DbPath, _ca.Certificate, pooled: true);
        _inventories.Add(inventory);
        return new SqlAcmeStore(inventory.Acme) { Time = Clock };
    }

    [Fact]
    public Task ExpiredNonces_ArePurgedAsNewOnesAreMade_AtMostALimitAtATime() => ExpiredNoncesArePurgedAFewAtATime(Count);

    private long Count()
    {
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        using var command = new SqliteCommand("SELECT count(*) FROM acme_nonces", connection);
        return (long)command.ExecuteScalar()!;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var inventory in _inventories) inventory.Dispose();
            _ca.Dispose();
            _dir.Dispose();
        }
        base.Dispose(disposing);
    }
}
