using Mtls.Ca.Acme;

namespace Mtls.Ca.Tests.Acme;

/// <summary>The in-memory store forgets expired orders (and their authorizations), so a long-running CA does not keep every order ever placed.</summary>
[Trait("Category", "Acme")]
public sealed class OrderSweepTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AnOrderExpiredLongerThanKeepExpired_IsForgotten_WithItsAuthorizations_OthersStay()
    {
        var clock = new ManualClock(T0);
        var store = new InMemoryAcmeStore { Time = clock, KeepExpired = TimeSpan.FromDays(1) };
        await store.AddOrderAsync(Order("old", T0.AddDays(7)), [Authorization("old-a", T0.AddDays(7))], default);
        await store.AddOrderAsync(Order("young", T0.AddDays(8)), [Authorization("young-a", T0.AddDays(8))], default);

        clock.Now = T0.AddDays(8).AddHours(1); // "old" expired 25 h ago, "young" 1 h ago
        await store.AddOrderAsync(Order("new", clock.Now.AddDays(7)), [], default);

        Assert.Null(await store.FindOrderAsync("old", default));
        Assert.Null(await store.FindAuthorizationAsync("old-a", default));
        Assert.NotNull(await store.FindOrderAsync("young", default));
        Assert.NotNull(await store.FindAuthorizationAsync("young-a", default));
        Assert.NotNull(await store.FindOrderAsync("new", default));
    }

    private static AcmeOrder Order(string id, DateTimeOffset expires) =>
        new(id, "account", AcmeStatus.Pending, expires, [new AcmeIdentifier("dns", "a.test")], [id + "-a"]);

    private static AcmeAuthorization Authorization(string id, DateTimeOffset expires) =>
        new(id, "account", new AcmeIdentifier("dns", "a.test"), AcmeStatus.Pending, expires, []);
}
