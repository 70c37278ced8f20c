using Mtls.Ca.Acme;

namespace Mtls.Cli.Tests.AcmeStore;

/// <summary>
/// What every <see cref="IAcmeStore"/> must do, run against each one (in memory, SQLite, PostgreSQL).
/// <see cref="Node"/> opens another handle on the same state, as a second `mtls ca serve` node (or the
/// same node after a restart) would: the races are run between two of them, so for the SQL stores it is
/// the database, not one process's locks, that decides.
/// </summary>
public abstract class AcmeStoreContract : IDisposable
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
    private const int Rounds = 40;

    /// <summary>The clock the stores' purges read.</summary>
    protected StoreClock Clock { get; } = new(T0);

    /// <summary>A handle on this test's store (a new one each call; all share the same state).</summary>
    protected abstract IAcmeStore Node();

    [Fact]
    public async Task ANonce_IsGoodOnce_OnAnyNode_AndNeverAfterItExpires_OrWhenInvented()
    {
        var a = Node();
        var b = Node();
        var nonce = await a.NewNonceAsync(T0, default);
        Assert.True(await b.ConsumeNonceAsync(nonce, T0.AddSeconds(1), default));
        Assert.False(await a.ConsumeNonceAsync(nonce, T0.AddSeconds(2), default));
        Assert.False(await b.ConsumeNonceAsync(nonce, T0.AddSeconds(2), default));

        var late = await a.NewNonceAsync(T0, default);
        Assert.False(await b.ConsumeNonceAsync(late, T0.AddMinutes(10), default)); // the default lifetime is 10 minutes
        Assert.False(await b.ConsumeNonceAsync("bm90LWlzc3VlZA", T0, default));
        Assert.NotEqual(await a.NewNonceAsync(T0, default), await b.NewNonceAsync(T0, default));
    }

    [Fact]
    public async Task TwoConsumersRacingForOneNonce_OnTwoNodes_ExactlyOneWins_EveryTime()
    {
        var a = Node();
        var b = Node();
        for (var i = 0; i < Rounds; i++)
        {
            var nonce = await a.NewNonceAsync(T0, default);
            var results = await Race(() => a.ConsumeNonceAsync(nonce, T0, default).AsTask(), () => b.ConsumeNonceAsync(nonce, T0, default).AsTask());
            Assert.Equal(1, results.Count(r => r));
        }
    }

    [Fact]
    public async Task TwoNewAccountsRacingWithOneKey_OneWins_AndBothGetTheWinner()
    {
        var a = Node();
        var b = Node();
        for (var i = 0; i < Rounds; i++)
        {
            var key = $"thumbprint-{i}";
            var fromA = Account($"a-{i}", key);
            var fromB = Account($"b-{i}", key);
            var results = await Race(() => a.AddAccountAsync(fromA, default).AsTask(), () => b.AddAccountAsync(fromB, default).AsTask());
            Assert.Equal(results[0].Id, results[1].Id);
            Assert.Single(new[] { ReferenceEquals(results[0], fromA), ReferenceEquals(results[1], fromB) }, won => won); // the winner gets its own back (201), the other the winner (200)
            Assert.Contains(results[0].Id, new[] { $"a-{i}", $"b-{i}" });
            Assert.Equal(results[0].Id, (await a.FindAccountByKeyAsync(key, default))!.Id);
            Assert.Null(await b.FindAccountAsync(results[0].Id == $"a-{i}" ? $"b-{i}" : $"a-{i}", default));
        }
    }

    [Fact]
    public async Task AnAccount_RoundTrips_AndUpdatesOnlyFromWhatItWas_AndNeverOntoAnotherAccountsKey()
    {
        var a = Node();
        var b = Node();
        var fresh = Account("acc", "key-1", "mailto:ops@example.test");
        var added = await a.AddAccountAsync(fresh, default);
        Assert.Same(fresh, added); // newAccount answers 201 for exactly this
        var read = (await b.FindAccountAsync("acc", default))!;
        Assert.Equivalent(added, read, strict: true);
        Assert.Equivalent(added, await b.FindAccountByKeyAsync("key-1", default), strict: true);
        Assert.Null(await b.FindAccountAsync("nobody", default));
        Assert.Null(await b.FindAccountByKeyAsync("no-key", default));

        var contact = read with { Contact = ["mailto:new@example.test"] };
        Assert.True(await b.UpdateAccountAsync(read, contact, default));
        Assert.False(await a.UpdateAccountAsync(read, read with { Status = AcmeStatus.Deactivated }, default)); // stale: it changed meanwhile
        Assert.Equal(["mailto:new@example.test"], (await a.FindAccountAsync("acc", default))!.Contact);

        await a.AddAccountAsync(Account("other", "key-2"), default);
        var current = (await a.FindAccountAsync("acc", default))!;
        Assert.False(await a.UpdateAccountAsync(current, current with { KeyThumbprint = "key-2" }, default)); // key-2 is another account's
        Assert.True(await b.UpdateAccountAsync(current, current with { KeyThumbprint = "key-3" }, default)); // key change (RFC 8555 7.3.5)
        Assert.Equal("acc", (await a.FindAccountByKeyAsync("key-3", default))!.Id);
        Assert.Null(await a.FindAccountByKeyAsync("key-1", default));
        Assert.Equal("other", (await a.FindAccountByKeyAsync("key-2", default))!.Id);
    }

    [Fact]
    public async Task TwoAccountsRacingToRollOverToOneNewKey_ExactlyOneGetsIt_TheOtherIsRefusedNotBroken()
    {
        var a = Node();
        var b = Node();
        for (var i = 0; i < Rounds; i++)
        {
            var first = await a.AddAccountAsync(Account($"first-{i}", $"old-1-{i}"), default);
            var second = await b.AddAccountAsync(Account($"second-{i}", $"old-2-{i}"), default);
            var key = $"new-{i}";
            var results = await Race(() => a.UpdateAccountAsync(first, first with { KeyThumbprint = key }, default).AsTask(),
                () => b.UpdateAccountAsync(second, second with { KeyThumbprint = key }, default).AsTask());
            Assert.Equal(1, results.Count(r => r));
            Assert.Equal(results[0] ? first.Id : second.Id, (await b.FindAccountByKeyAsync(key, default))!.Id);
            Assert.NotNull(await a.FindAccountByKeyAsync(results[0] ? $"old-2-{i}" : $"old-1-{i}", default)); // the loser keeps its key
        }
    }

    [Fact]
    public async Task AnOrder_AndItsAuthorizations_RoundTrip_AndAreListedByAccount()
    {
        var a = Node();
        var b = Node();
        var (order, authorizations) = Order("o1", "acc", T0.AddDays(7), "a.test", "b.test");
        await a.AddOrderAsync(order, authorizations, default);
        await a.AddOrderAsync(Order("o2", "acc", T0.AddDays(8), "c.test").Order, [], default);
        await a.AddOrderAsync(Order("o3", "someone-else", T0.AddDays(7), "d.test").Order, [], default);

        Assert.Equivalent(order, await b.FindOrderAsync("o1", default), strict: true);
        foreach (var authorization in authorizations)
            Assert.Equivalent(authorization, await b.FindAuthorizationAsync(authorization.Id, default), strict: true);
        Assert.Equal(["o1", "o2"], (await b.OrderIdsAsync("acc", default)).Order(StringComparer.Ordinal));
        Assert.Empty(await b.OrderIdsAsync("nobody", default));
        Assert.Null(await b.FindOrderAsync("none", default));
        Assert.Null(await b.FindAuthorizationAsync("none", default));
    }

    [Fact]
    public async Task TwoNodesRacingToMoveOneOrder_ExactlyOneDoes_AndAStaleCopyNeverDoes()
    {
        var a = Node();
        var b = Node();
        for (var i = 0; i < Rounds; i++)
        {
            var (order, _) = Order($"race-{i}", "acc", T0.AddDays(7), "a.test");
            await a.AddOrderAsync(order with { Status = AcmeStatus.Ready }, [], default);
            var readA = (await a.FindOrderAsync(order.Id, default))!;
            var readB = (await b.FindOrderAsync(order.Id, default))!;
            var results = await Race(() => a.UpdateOrderAsync(readA, readA with { Status = AcmeStatus.Processing }, default).AsTask(),
                () => b.UpdateOrderAsync(readB, readB with { Status = AcmeStatus.Processing }, default).AsTask());
            Assert.Equal(1, results.Count(r => r));
        }

        var ready = (await a.FindOrderAsync("race-0", default))!;
        var valid = ready with { Status = AcmeStatus.Valid, CertificateId = "cert-0" };
        Assert.True(await b.UpdateOrderAsync(ready, valid, default));
        Assert.False(await a.UpdateOrderAsync(ready, ready with { Status = AcmeStatus.Invalid, Error = AcmeProblem.Of("badCSR", 400, "late") }, default));
        Assert.Equivalent(valid, await a.FindOrderAsync("race-0", default), strict: true);
        var failed = valid with { Status = AcmeStatus.Invalid, Error = AcmeProblem.Of("serverInternal", 500, "the CA could not sign") };
        Assert.True(await a.UpdateOrderAsync(valid, failed, default));
        Assert.Equivalent(failed, await b.FindOrderAsync("race-0", default), strict: true);
    }

    [Fact]
    public async Task TwoNodesRacingToStartOneChallenge_ExactlyOneDoes_AndItsResultRoundTrips()
    {
        var a = Node();
        var b = Node();
        var (order, authorizations) = Order("chal", "acc", T0.AddDays(7), "a.test");
        await a.AddOrderAsync(order, authorizations, default);
        var id = authorizations[0].Id;
        for (var i = 0; i < Rounds; i++)
        {
            var readA = (await a.FindAuthorizationAsync(id, default))!;
            var readB = (await b.FindAuthorizationAsync(id, default))!;
            var results = await Race(() => a.UpdateAuthorizationAsync(readA, Started(readA, i), default).AsTask(),
                () => b.UpdateAuthorizationAsync(readB, Started(readB, i), default).AsTask());
            Assert.Equal(1, results.Count(r => r));
        }

        var current = (await b.FindAuthorizationAsync(id, default))!;
        var validated = T0.AddSeconds(3).AddTicks(1234567);
        var finished = current with
        {
            Status = AcmeStatus.Invalid,
            Challenges = [current.Challenges[0] with { Status = AcmeStatus.Invalid, Validated = validated, Error = AcmeProblem.Of("connection", 400, "refused") },
                current.Challenges[1]],
        };
        Assert.True(await a.UpdateAuthorizationAsync(current, finished, default));
        Assert.False(await b.UpdateAuthorizationAsync(current, current with { Status = AcmeStatus.Deactivated }, default));
        var read = (await b.FindAuthorizationAsync(id, default))!;
        Assert.Equivalent(finished, read, strict: true);
        Assert.Equal(validated, read.Challenges[0].Validated);
    }

    [Fact]
    public async Task ACertificate_IsFoundByIdAndByItsLeaf_OnAnyNode()
    {
        var a = Node();
        var b = Node();
        var certificate = new AcmeCertificate("cert-1", "acc", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", new string('A', 64));
        await a.AddCertificateAsync(certificate, default);
        await a.AddCertificateAsync(certificate with { Id = "cert-2", LeafSha256 = new string('B', 64) }, default);
        Assert.Equal(certificate, await b.FindCertificateAsync("cert-1", default));
        Assert.Equal(certificate, await b.FindCertificateByLeafAsync(new string('A', 64), default));
        Assert.Equal("cert-2", (await b.FindCertificateByLeafAsync(new string('B', 64), default))!.Id);
        Assert.Null(await b.FindCertificateByLeafAsync(new string('C', 64), default));
        Assert.Null(await b.FindCertificateAsync("cert-3", default));
    }

    [Fact]
    public async Task AnOrderExpiredLongerThanADay_IsForgotten_WithItsAuthorizations_OthersStay()
    {
        var a = Node();
        var (old, oldAuthorizations) = Order("old", "acc", T0.AddDays(7), "a.test");
        var (young, youngAuthorizations) = Order("young", "acc", T0.AddDays(8), "a.test");
        await a.AddOrderAsync(old, oldAuthorizations, default);
        await a.AddOrderAsync(young, youngAuthorizations, default);

        Clock.Now = T0.AddDays(8).AddHours(1); // "old" expired 25 h ago, "young" 1 h ago
        var b = Node();
        await b.AddOrderAsync(Order("new", "acc", Clock.Now.AddDays(7), "a.test").Order, [], default);

        Assert.Null(await b.FindOrderAsync("old", default));
        Assert.Null(await b.FindAuthorizationAsync(oldAuthorizations[0].Id, default));
        Assert.NotNull(await b.FindOrderAsync("young", default));
        Assert.NotNull(await b.FindAuthorizationAsync(youngAuthorizations[0].Id, default));
        Assert.NotNull(await b.FindOrderAsync("new", default));
    }

    /// <summary>For the SQL stores: expired nonces go as new ones are made, at most <see cref="Mtls.Pki.Inventory.AcmeTables.PurgeLimit"/> at a time.</summary>
    protected async Task ExpiredNoncesArePurgedAFewAtATime(Func<long> count)
    {
        ArgumentNullException.ThrowIfNull(count);
        var store = Node();
        var limit = Mtls.Pki.Inventory.AcmeTables.PurgeLimit;
        for (var i = 0; i < limit + 10; i++) await store.NewNonceAsync(T0, default);
        Assert.Equal(limit + 10, count());
        var fresh = await store.NewNonceAsync(T0.AddMinutes(11), default); // all of the above expired at T0 + 10 min
        Assert.Equal(10 + 1, count());
        await store.NewNonceAsync(T0.AddMinutes(11), default);
        Assert.Equal(2, count());
        Assert.True(await store.ConsumeNonceAsync(fresh, T0.AddMinutes(12), default));
    }

    protected static AcmeAccount Account(string id, string key, params string[] contact) =>
        new(id, key, $$"""{"crv":"P-256","kty":"EC","x":"{{id}}","y":"{{key}}"}""", contact, AcmeStatus.Valid, T0.AddTicks(42));

    protected static (AcmeOrder Order, List<AcmeAuthorization> Authorizations) Order(string id, string account, DateTimeOffset expires, params string[] names)
    {
        var authorizations = names.Select(n => new AcmeAuthorization($"{id}-{n}", account, new AcmeIdentifier("dns", n), AcmeStatus.Pending, expires,
            [new AcmeChallenge("http-01", $"{id}-{n}-h", AcmeStatus.Pending), new AcmeChallenge("tls-alpn-01", $"{id}-{n}-t", AcmeStatus.Pending)])).ToList();
        var order = new AcmeOrder(id, account, AcmeStatus.Pending, expires, names.Select(n => new AcmeIdentifier("dns", n)).ToList(),
            authorizations.Select(x => x.Id).ToList());
        return (order, authorizations);
    }

    /// <summary>The next step of a challenge race: round <paramref name="round"/> moves the first challenge on by one token.</summary>
    private static AcmeAuthorization Started(AcmeAuthorization a, int round) =>
        a with { Challenges = [a.Challenges[0] with { Status = AcmeStatus.Processing, Token = $"round-{round}" }, a.Challenges[1]] };

    /// <summary>Runs both at once (on two threads released together), so each round is a real race.</summary>
    protected static async Task<T[]> Race<T>(Func<Task<T>> first, Func<Task<T>> second)
    {
        using var start = new Barrier(2);
        var one = Task.Run(() => { start.SignalAndWait(); return first(); });
        var two = Task.Run(() => { start.SignalAndWait(); return second(); });
        return await Task.WhenAll(one, two);
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing) { }
}
