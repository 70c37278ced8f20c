using System.Security.Cryptography.X509Certificates;
using Microsoft.Data.Sqlite;
using Mtls.Pki;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inventory;
using SQLitePCL;

namespace Mtls.Pki.Tests;

/// <summary>
/// Group commit on the SQLite inventory: concurrent writers share one transaction and one COMMIT, and
/// every caller still gets exactly the answer one transaction of its own would give. Batches are made
/// deterministic by holding a batch's first action until the callers under test are queued behind it
/// (<see cref="GroupCommit.Waiting"/>), never by sleeping.
/// </summary>
public sealed class InventoryGroupCommitTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly TempDir _dir = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<Exception> _failures = new();
    private readonly CertificateAuthority _ca = TestPki.Root(now: Now.AddDays(-1));

    public void Dispose()
    {
        _ca.Dispose();
        _dir.Dispose();
    }

    private static InventoryRecord Cert(string serial) =>
        new(serial, "CN=" + serial, ["DNS:" + serial.ToLowerInvariant() + ".test"], "client", Now, Now.AddHours(1), new string('A', 64), Now, null);

    [Fact]
    public void Sixty_four_threads_redeeming_tokens_at_once_get_one_winner_per_token_and_every_serial_once()
    {
        using var inventory = CaInventory.Open(_dir["ca.db"], _ca.Certificate, pooled: true);
        const int tokens = 32;
        inventory.AddTokens([.. Enumerable.Range(0, tokens).Select(i => new TokenRecord($"T{i}", ["DNS:x"], "client", Now, Now.AddMinutes(5)))]);
        var before = inventory.Committer.Actions;

        var results = new TokenRedemption[2 * tokens];
        using var start = new Barrier(2 * tokens);
        var threads = Enumerable.Range(0, 2 * tokens).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            var serial = $"E{i:X3}";
            results[i] = inventory.RedeemToken($"T{i % tokens}", Now, Cert(serial),
                new CaEvent(Now, "issued", "issued", "issued " + serial, serial, "127.0.0.1"));
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => Assert.True(t.Join(Patience)));

        var winners = new List<string>();
        for (var token = 0; token < tokens; token++)
        {
            var pair = new[] { results[token], results[token + tokens] };
            Assert.Equal([TokenRedemption.Redeemed, TokenRedemption.AlreadyUsed], pair.Order());
            var winner = $"E{(pair[0] == TokenRedemption.Redeemed ? token : token + tokens):X3}";
            Assert.Equal(winner, inventory.FindToken($"T{token}")!.UsedBy);
            winners.Add(winner);
        }
        Assert.Equal(winners.Order(), inventory.List().Select(r => r.Serial).Order());
        Assert.Equal(winners.Order(), inventory.Events().Select(e => e.Serial!).Order());
        Assert.Equal(2 * tokens, inventory.Committer.Actions - before);
    }

    [Fact]
    public void Sixty_four_threads_renewing_at_once_supersede_each_certificate_once_and_chains_stay_right()
    {
        using var inventory = CaInventory.Open(_dir["ca.db"], _ca.Certificate, pooled: true);
        const int olds = 32;
        inventory.Record([.. Enumerable.Range(0, olds).Select(i => Cert($"A{i:X3}"))]);

        var won = new bool[2 * olds];
        using var start = new Barrier(2 * olds);
        var threads = Enumerable.Range(0, 2 * olds).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            var serial = $"B{i:X3}";
            won[i] = inventory.TryRecordRenewal($"A{i % olds:X3}", Cert(serial), new CaEvent(Now, "renewed", "renewed", "renewed", serial));
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => Assert.True(t.Join(Patience)));

        for (var old = 0; old < olds; old++)
        {
            Assert.True(won[old] ^ won[old + olds], $"exactly one renewal of 0{old:X3} wins");
            var winner = $"B{(won[old] ? old : old + olds):X3}";
            var loser = $"B{(won[old] ? old + olds : old):X3}";
            Assert.Equal(winner, inventory.Find($"A{old:X3}")!.SupersededBy);
            Assert.Null(inventory.Find(winner)!.SupersededBy);
            Assert.Null(inventory.Find(loser));
            // The chain goes on from the newest only.
            Assert.False(inventory.TryRecordRenewal($"A{old:X3}", Cert($"C{old:X3}")));
            Assert.True(inventory.TryRecordRenewal(winner, Cert($"D{old:X3}")));
        }
        Assert.Equal(olds, inventory.Events().Count);
        Assert.Equal(3 * olds, inventory.List().Count);
    }

    [Fact]
    public void Callers_queued_behind_a_running_batch_share_one_commit()
    {
        using var inventory = CaInventory.Open(_dir["ca.db"], _ca.Certificate, pooled: true);
        var committer = inventory.Committer;
        const int followers = GroupCommit.MaxBatch - 1;
        var (commits, actions) = (committer.Commits, committer.Actions);

        var leader = HoldBatchUntil(inventory, followers);
        var threads = Enumerable.Range(0, followers).Select(i => Run(() => inventory.Record([Cert($"E{i:X3}")]))).ToList();
        Join(leader);
        threads.ForEach(Join);

        Assert.Equal(followers, inventory.List().Count);
        Assert.Equal(1 + followers, committer.Actions - actions);
        Assert.Equal(2, committer.Commits - commits); // the held batch, then every follower in one
    }

    [Fact]
    public void An_action_that_fails_after_writing_leaves_no_trace_and_the_rest_of_its_batch_commits()
    {
        using var inventory = CaInventory.Open(_dir["ca.db"], _ca.Certificate, pooled: true);
        var committer = inventory.Committer;
        inventory.Record([Cert("AA")]);
        var commits = committer.Commits;

        var leader = HoldBatchUntil(inventory, 5);
        // Queued one by one so the order in the batch is known: failures first, then callers after them.
        Exception? thrown = null, duplicate = null;
        var queued = new List<Thread>
        {
            Queue(inventory, () => thrown = Record.Exception(() => inventory.InTransaction<bool>((c, t) =>
            {
                SqlInventory.Execute(c, t, InventorySql.InsertToken, ("@hash", "GONE"), ("@names", "DNS:x"), ("@profile", "client"),
                    ("@cn", null), ("@created", 0L), ("@expires", 1L));
                throw new InvalidOperationException("the action failed after writing");
            }))),
            Queue(inventory, () => duplicate = Record.Exception(() => inventory.Record([Cert("BB"), Cert("AA")]))),
            Queue(inventory, () => inventory.Record([Cert("CC")])),
            Queue(inventory, () => inventory.AddToken(new TokenRecord("KEPT", ["DNS:x"], "client", Now, Now.AddMinutes(5)))),
            Queue(inventory, () => Assert.True(inventory.Revoke("AA", Now, X509RevocationReason.KeyCompromise))),
        };
        Join(leader);
        queued.ForEach(Join);

        Assert.Equal("the action failed after writing", Assert.IsType<InvalidOperationException>(thrown).Message);
        var one = Assert.IsType<MtlsException>(duplicate);
        Assert.Contains(_dir["ca.db"], one.Message, StringComparison.Ordinal);
        Assert.Contains("serial already recorded", one.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', one.Message);
        Assert.Null(inventory.FindToken("GONE"));
        Assert.Null(inventory.Find("BB")); // its own first insert went with its failure
        Assert.NotNull(inventory.Find("CC"));
        Assert.NotNull(inventory.FindToken("KEPT"));
        Assert.NotNull(inventory.Find("AA")!.RevokedAt);
        Assert.Equal(2, committer.Commits - commits);
    }

    [Fact]
    public void A_write_alone_in_its_batch_that_fails_after_writing_leaves_no_trace()
    {
        using var inventory = CaInventory.Open(_dir["ca.db"], _ca.Certificate, pooled: true);
        inventory.Record([Cert("AA")]);
        var commits = inventory.Committer.Commits;

        var thrown = Record.Exception(() => inventory.InTransaction<bool>((c, t) =>
        {
            SqlInventory.Execute(c, t, InventorySql.InsertToken, ("@hash", "GONE"), ("@names", "DNS:x"), ("@profile", "client"),
                ("@cn", null), ("@created", 0L), ("@expires", 1L));
            throw new InvalidOperationException("the action failed after writing");
        }));
        var duplicate = Record.Exception(() => inventory.Record([Cert("BB"), Cert("AA")]));

        Assert.IsType<InvalidOperationException>(thrown);
        var one = Assert.IsType<MtlsException>(duplicate);
        Assert.DoesNotContain('\n', one.Message);
        Assert.Null(inventory.FindToken("GONE"));
        Assert.Null(inventory.Find("BB"));
        Assert.Equal(commits, inventory.Committer.Commits); // neither committed
        inventory.Record([Cert("CC")]);
        Assert.NotNull(inventory.Find("CC"));
    }

    [Fact]
    public void A_failing_commit_reaches_every_caller_of_its_batch_as_one_line_and_nothing_of_it_stays()
    {
        using var inventory = CaInventory.Open(_dir["ca.db"], _ca.Certificate, pooled: false);
        inventory.AddToken(new TokenRecord("T", ["DNS:x"], "client", Now, Now.AddMinutes(5)));

        var leader = HoldBatchUntil(inventory, 4);
        var errors = new Exception?[4];
        var queued = new List<Thread>
        {
            // SQLite turns the COMMIT into a ROLLBACK and fails it when a commit hook says no: a real failed COMMIT.
            Queue(inventory, () => errors[0] = Record.Exception(() => inventory.InTransaction((c, t) =>
            {
                var once = 0;
                raw.sqlite3_commit_hook(((SqliteConnection)c).Handle, _ => Interlocked.Exchange(ref once, 1) == 0 ? 1 : 0, null);
                return true;
            }))),
            Queue(inventory, () => errors[1] = Record.Exception(() => inventory.Record([Cert("A1")]))),
            Queue(inventory, () => errors[2] = Record.Exception(() => inventory.RedeemToken("T", Now, Cert("A2")))),
            Queue(inventory, () => errors[3] = Record.Exception(() => inventory.NextCrlNumber())),
        };
        Join(leader);
        queued.ForEach(Join);

        foreach (var error in errors)
        {
            var one = Assert.IsType<MtlsException>(error);
            Assert.Contains(_dir["ca.db"], one.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', one.Message);
            Assert.DoesNotContain("serial already recorded", one.Message, StringComparison.Ordinal); // a failed COMMIT is no duplicate serial
            Assert.IsType<SqliteException>(one.InnerException);
        }
        Assert.Empty(inventory.List());
        Assert.Null(inventory.FindToken("T")!.UsedAt);
        // The committer goes on: the next writers commit.
        Assert.Equal(1, inventory.NextCrlNumber());
        Assert.Equal(TokenRedemption.Redeemed, inventory.RedeemToken("T", Now, Cert("A3")));
    }

    /// <summary>Starts a write whose batch holds the write transaction until <paramref name="waiting"/> callers are queued behind it.</summary>
    private Thread HoldBatchUntil(CaInventory inventory, int waiting)
    {
        var committer = inventory.Committer;
        var running = new ManualResetEventSlim();
        var thread = Run(() => inventory.InTransaction((c, t) =>
        {
            running.Set();
            var deadline = DateTime.UtcNow + Patience;
            while (committer.Waiting < waiting)
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"only {committer.Waiting} of {waiting} callers queued");
                Thread.Sleep(1);
            }
            return true;
        }));
        Assert.True(running.Wait(Patience));
        return thread;
    }

    /// <summary>Starts <paramref name="work"/> (one inventory write) and returns once it is queued.</summary>
    private Thread Queue(CaInventory inventory, Action work)
    {
        var before = inventory.Committer.Waiting;
        var thread = Run(work);
        var deadline = DateTime.UtcNow + Patience;
        while (inventory.Committer.Waiting == before)
        {
            Assert.True(DateTime.UtcNow < deadline, "the write never queued");
            Thread.Sleep(1);
        }
        return thread;
    }

    private Thread Run(Action work)
    {
        var thread = new Thread(() =>
        {
            try { work(); }
            catch (Exception e) { _failures.Enqueue(e); }
        }) { IsBackground = true };
        thread.Start();
        return thread;
    }

    private void Join(Thread thread)
    {
        Assert.True(thread.Join(Patience), "a writer never finished");
        Assert.Empty(_failures);
    }
}
