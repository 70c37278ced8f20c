using Mtls.Cli.Tests.Postgres;
using Mtls.Pki.Inventory;
using Npgsql;

namespace Mtls.Cli.Tests.AcmeStore;

/// <summary>
/// ACME on several `mtls ca serve --acme` nodes sharing one PostgreSQL, behind one address (a TCP switch
/// standing in for the load balancer): lego, unmodified, registers and orders at node A; with A killed
/// (SIGKILL) it renews at node B with the same account; a node started afterwards revokes what B issued.
/// Each step needs what another node stored: the account, its orders, the certificate's owner.
/// </summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Postgres")]
[Trait("Category", "Acme")]
public sealed class AcmeNodesOnPostgresTests(PostgresServer postgres) : IDisposable
{
    private readonly TestCa _ca = new("CN=ACME Nodes Test CA");

    [Fact]
    public async Task Lego_orders_at_node_A_renews_at_node_B_after_A_dies_and_a_third_node_revokes()
    {
        LegoClient.Require();
        var db = postgres.NewDatabase();
        var keywords = postgres.KeywordForm(PostgresServer.DatabaseOf(db));
        using var balancer = new TcpSwitch();
        var client = new LegoClient(_ca.Folder, _ca.Cert, balancer.Url);
        using var a = await _ca.StartNodeAsync(db, client.ServeOptions);
        using var b = await _ca.StartNodeAsync(db, client.ServeOptions);
        balancer.Target = a.Url;

        var first = WithNodeOutput(() => client.Run("run"), a, b);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(LegoClient.Registered(first), "lego did not say it registered an account:\n" + first);
        var firstSerial = client.VerifiedSerial();
        Assert.Contains(a.Output, l => l.Contains($"acme: issued {firstSerial} ", StringComparison.Ordinal));

        a.Kill();
        balancer.Target = b.Url;
        var renewed = WithNodeOutput(() => client.Run("renew", "--days", "9999", "--no-random-sleep"), b);
        Assert.True(renewed.ExitCode == 0, renewed.ToString());
        Assert.False(LegoClient.Registered(renewed), "lego registered again at node B:\n" + renewed);
        var secondSerial = client.VerifiedSerial();
        Assert.NotEqual(firstSerial, secondSerial);
        Assert.Contains(b.Output, l => l.Contains($"acme: issued {secondSerial} ", StringComparison.Ordinal));

        using var c = await _ca.StartNodeAsync(db, client.ServeOptions);
        balancer.Target = c.Url;
        var revoked = client.Run("revoke");
        Assert.True(revoked.ExitCode == 0, revoked.ToString());
        Assert.Contains(c.Output, l => l.Contains($"acme: revoked {secondSerial} ", StringComparison.Ordinal));

        using var inventory = PostgresInventory.Open(db, System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(_ca.Cert));
        Assert.NotNull(inventory.Find(secondSerial)!.RevokedAt);
        Assert.Null(inventory.Find(firstSerial)!.RevokedAt);
        Assert.Equal(1L, Count(keywords, "acme_accounts"));
        Assert.Equal(2L, Count(keywords, "acme_orders"));
        Assert.Equal(2L, Count(keywords, "acme_certificates"));
        Assert.Empty(InventoryCheck.Postgres(keywords));
    }

    [Fact]
    public async Task A_nonce_from_node_A_is_good_once_at_node_B_and_an_account_made_at_B_is_found_at_A()
    {
        var db = postgres.NewDatabase();
        using var a = await _ca.StartNodeAsync(db, "--acme");
        using var b = await _ca.StartNodeAsync(db, "--acme");
        using var atA = a.Client(null);
        using var atB = b.Client(null);
        using var client = new JwsPoster();

        var nonce = await JwsPoster.NonceAsync(atA);
        var created = await client.NewAccountAsync(atB, nonce);
        Assert.True(created.Status == 201, created.Body);
        var replayed = await client.NewAccountAsync(atA, nonce); // the same nonce again, at the node that made it
        Assert.Equal(400, replayed.Status);
        Assert.Contains("urn:ietf:params:acme:error:badNonce", replayed.Body, StringComparison.Ordinal);

        var again = await client.NewAccountAsync(atA, await JwsPoster.NonceAsync(atB));
        Assert.True(again.Status == 200, again.Body); // the key's account exists: made at B, found at A (RFC 8555 7.3.1)
        var id = created.Location![(created.Location!.LastIndexOf('/') + 1)..];
        Assert.Equal(new Uri(a.Url, "acme/acct/" + id).ToString(), again.Location);
    }

    private static long Count(string keywords, string table)
    {
        using var connection = new NpgsqlConnection(keywords);
        connection.Open();
        using var command = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>lego's run, and when it hangs, what the nodes said meanwhile (their side of the story).</summary>
    private static ToolResult WithNodeOutput(Func<ToolResult> run, params CaNode[] nodes)
    {
        try { return run(); }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + string.Concat(nodes.Select((n, i) => $"\nnode {i}:\n" + string.Join('\n', n.Output))), e);
        }
    }

    public void Dispose() => _ca.Dispose();
}
