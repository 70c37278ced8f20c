using System.Net;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Inventory;

namespace Mtls.Cli.Tests.Postgres;

/// <summary>
/// The kill -9 case on SQLite: two `mtls ca serve` processes on one inventory file (WAL) on one machine;
/// one is killed with SIGKILL during a signing load. Nothing a client received is missing, no serial is
/// reused, and the file passes PRAGMA integrity_check and the inventory's consistency query.
/// </summary>
[Trait("Category", "CaNodes")]
public sealed class CaNodesOnSqliteTests : IDisposable
{
    private readonly TestCa _ca = new();

    [Fact]
    public async Task Kill_9_of_a_node_during_a_signing_load_leaves_the_sqlite_inventory_sound()
    {
        var db = _ca["shared.db"];
        using var a = await _ca.StartNodeAsync(db);
        using var b = await _ca.StartNodeAsync(db);
        var load = new NodeLoad(Enumerable.Range(0, 80).Select(_ => _ca.Token(db)).ToList());
        var atA = 0;
        await load.RunAsync([a, b], workersPerNode: 6, node =>
        {
            if (node == a && Interlocked.Increment(ref atA) == 10) { load.Killed[a] = true; a.Kill(); }
        });
        Assert.Empty(load.Failures);
        Assert.True(load.Killed.ContainsKey(a), "node a was killed");
        using (var store = CaStore.Open(db, _ca.Cert, X509CertificateLoader.LoadCertificateFromFile(_ca.Cert)))
            load.AssertAllRecordedOnce(store);
        Assert.Empty(InventoryCheck.Sqlite(db));
        var after = await b.EnrollAsync(_ca.Token(db));
        Assert.Equal(HttpStatusCode.Created, after.Status);
    }

    public void Dispose() => _ca.Dispose();
}
