using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Inventory;
using Npgsql;

namespace Mtls.Cli.Tests.Postgres;

/// <summary>
/// Issue 15 item 6: two `mtls ca serve` processes of one CA on one PostgreSQL database. The rules hold
/// whichever node answers: a token is used once, no serial is reused, every certificate a client
/// received is in the inventory, CRL numbers increase, and a node killed with SIGKILL in the middle of
/// a signing load loses nothing a client received and leaves the database sound.
/// </summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class CaNodesOnPostgresTests(PostgresServer postgres) : IDisposable
{
    private readonly TestCa _ca = new();

    [Fact]
    public async Task The_same_token_at_two_nodes_at_once_succeeds_exactly_once_in_100_rounds()
    {
        var db = postgres.NewDatabase();
        using var a = await _ca.StartNodeAsync(db);
        using var b = await _ca.StartNodeAsync(db);
        await Task.WhenAll(a.WarmAsync(), b.WarmAsync());
        var won = new List<string>();
        for (var round = 0; round < 100; round++)
        {
            var token = _ca.Token(db);
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var at = new[] { a, b }.Select(node => Task.Run(async () => { await start.Task; return await node.EnrollAsync(token); })).ToArray();
            start.SetResult(); // both requests leave together
            var answers = await Task.WhenAll(at);
            var successes = answers.Count(x => x.Status == HttpStatusCode.Created);
            Assert.True(successes == 1, $"round {round}: {successes} successes: {string.Join(" | ", answers.Select(x => $"{(int)x.Status} serial {x.Answer?.Serial} {(x.Answer is null ? x.Body : "")}"))}");
            var lost = answers.Single(x => x.Status != HttpStatusCode.Created);
            Assert.Equal(HttpStatusCode.Forbidden, lost.Status);
            Assert.Contains("token-used", lost.Body, StringComparison.Ordinal);
            won.Add(answers.Single(x => x.Status == HttpStatusCode.Created).Answer!.Serial);
        }
        Assert.Equal(100, won.Distinct(StringComparer.Ordinal).Count());
        using var store = CaStore.Open(db, _ca.Cert, X509CertificateLoader.LoadCertificateFromFile(_ca.Cert));
        Assert.All(won, serial => Assert.NotNull(store.Find(serial)));
        Assert.Empty(InventoryCheck.Postgres(postgres.KeywordForm(PostgresServer.DatabaseOf(db))));
    }

    [Fact]
    public async Task Concurrent_enrolls_at_two_nodes_reuse_no_serial_and_every_certificate_is_recorded()
    {
        var db = postgres.NewDatabase();
        using var a = await _ca.StartNodeAsync(db);
        using var b = await _ca.StartNodeAsync(db);
        var load = new NodeLoad(Enumerable.Range(0, 80).Select(_ => _ca.Token(db)).ToList());
        await load.RunAsync([a, b], workersPerNode: 8);
        Assert.Empty(load.Failures);
        Assert.Equal(80, load.Received.Count);
        Assert.True(load.Received.Any(r => r.Node == a) && load.Received.Any(r => r.Node == b), "both nodes signed");
        using var store = CaStore.Open(db, _ca.Cert, X509CertificateLoader.LoadCertificateFromFile(_ca.Cert));
        load.AssertAllRecordedOnce(store);
        Assert.Empty(InventoryCheck.Postgres(postgres.KeywordForm(PostgresServer.DatabaseOf(db))));
    }

    [Fact]
    public async Task Crl_numbers_increase_whichever_node_makes_the_crl()
    {
        var db = postgres.NewDatabase();
        using var a = await _ca.StartNodeAsync(db);
        using var b = await _ca.StartNodeAsync(db);
        var load = new NodeLoad(Enumerable.Range(0, 6).Select(_ => _ca.Token(db)).ToList());
        await load.RunAsync([a], workersPerNode: 1);
        Assert.Empty(load.Failures);
        var numbers = new List<BigInteger>();
        var serials = load.Received.Select(r => r.Answer.Serial).ToList();
        for (var i = 0; i < serials.Count; i++)
        {
            // Each revocation (recorded by the offline command, a third process) makes the next CRL a new one.
            var revoked = Cli.Run("ca", "revoke", serials[i], "--ca-cert", _ca.Cert, "--ca-key", _ca.Key, "--db", db);
            Assert.True(revoked.ExitCode == 0, revoked.ToString());
            var der = await (i % 2 == 0 ? a : b).CrlAsync();
            CertificateRevocationListBuilder.Load(der, out var number);
            numbers.Add(number);
            var path = _ca[$"crl{i}.der"];
            File.WriteAllBytes(path, der);
            var text = Tool.Openssl("crl", "-inform", "DER", "-in", path, "-noout", "-text");
            Assert.True(text.ExitCode == 0, text.ToString());
            foreach (var s in serials.Take(i + 1)) Assert.Contains(s, text.Stdout, StringComparison.OrdinalIgnoreCase);
        }
        for (var i = 1; i < numbers.Count; i++)
            Assert.True(numbers[i] > numbers[i - 1], $"CRL numbers in the order made (nodes a, b, a, ...): {string.Join(", ", numbers)}");
    }

    [Fact]
    public async Task Kill_9_of_a_node_during_a_signing_load_loses_nothing_a_client_received()
    {
        var db = postgres.NewDatabase();
        using var a = await _ca.StartNodeAsync(db);
        using var b = await _ca.StartNodeAsync(db);
        var load = new NodeLoad(Enumerable.Range(0, 120).Select(_ => _ca.Token(db)).ToList());
        var atA = 0;
        await load.RunAsync([a, b], workersPerNode: 6, node =>
        {
            // Killed with requests of its other workers in flight (signing, in a transaction, or answering).
            if (node == a && Interlocked.Increment(ref atA) == 15) { load.Killed[a] = true; a.Kill(); }
        });
        Assert.Empty(load.Failures);
        Assert.True(load.Killed.ContainsKey(a), "node a was killed");
        Assert.True(load.Received.Count(r => r.Node == b) > 0);
        using var store = CaStore.Open(db, _ca.Cert, X509CertificateLoader.LoadCertificateFromFile(_ca.Cert));
        load.AssertAllRecordedOnce(store);
        Assert.Empty(InventoryCheck.Postgres(postgres.KeywordForm(PostgresServer.DatabaseOf(db))));
        // The survivor still signs.
        var after = await b.EnrollAsync(_ca.Token(db));
        Assert.Equal(HttpStatusCode.Created, after.Status);
    }

    [Fact]
    public async Task The_same_certificate_renewing_at_two_nodes_at_once_renews_exactly_once()
    {
        var db = postgres.NewDatabase();
        using var a = await _ca.StartNodeAsync(db);
        using var b = await _ca.StartNodeAsync(db);
        for (var round = 0; round < 20; round++)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var enrolled = await a.EnrollAsync(_ca.Token(db), key: key);
            Assert.Equal(HttpStatusCode.Created, enrolled.Status);
            // Old enough to renew (the CA refuses renewal storms): issued, as the inventory says, 50 minutes ago.
            using (var connection = new NpgsqlConnection(postgres.KeywordForm(PostgresServer.DatabaseOf(db))))
            {
                connection.Open();
                using var backdate = new NpgsqlCommand("UPDATE certificates SET issued_at = issued_at - 3000 WHERE serial = @s", connection);
                backdate.Parameters.AddWithValue("s", enrolled.Answer!.Serial);
                Assert.Equal(1, backdate.ExecuteNonQuery());
            }
            using var current = X509Certificate2.CreateFromPem(enrolled.Answer!.Certificate).CopyWithPrivateKey(key);
            using var atA = a.Client(current);
            using var atB = b.Client(current);
            await Task.WhenAll(atA.GetStringAsync("/health"), atB.GetStringAsync("/health")); // handshakes (with the client certificate) done
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var renewals = new[] { atA, atB }.Select(client => Task.Run(async () =>
            {
                await start.Task;
                using var response = await client.PostAsync("/v1/renew", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
                return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
            })).ToArray();
            start.SetResult();
            var answers = await Task.WhenAll(renewals);
            Assert.True(answers.Count(x => x.StatusCode == HttpStatusCode.Created) == 1,
                $"round {round}: {string.Join(" | ", answers.Select(x => $"{(int)x.StatusCode} {(x.StatusCode == HttpStatusCode.Created ? "" : x.Body)}"))}");
            Assert.Contains("superseded", answers.Single(x => x.StatusCode != HttpStatusCode.Created).Body, StringComparison.Ordinal);
        }
        Assert.Empty(InventoryCheck.Postgres(postgres.KeywordForm(PostgresServer.DatabaseOf(db))));
    }

    public void Dispose() => _ca.Dispose();
}
