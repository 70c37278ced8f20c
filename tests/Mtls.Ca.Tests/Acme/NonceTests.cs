using Mtls.Ca.Acme;

namespace Mtls.Ca.Tests.Acme;

/// <summary>Nonces of the in-memory store: good once, not after they expire, never invented, bounded in number.</summary>
[Trait("Category", "Acme")]
public sealed class NonceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ANonce_IsGoodOnce()
    {
        var store = new InMemoryAcmeStore();
        var nonce = await store.NewNonceAsync(T0, default);
        Assert.True(await store.ConsumeNonceAsync(nonce, T0.AddSeconds(1), default));
        Assert.False(await store.ConsumeNonceAsync(nonce, T0.AddSeconds(2), default));
    }

    [Fact]
    public async Task ANonce_ExpiresAfterItsLifetime()
    {
        var store = new InMemoryAcmeStore { NonceLifetime = TimeSpan.FromMinutes(10) };
        var early = await store.NewNonceAsync(T0, default);
        var late = await store.NewNonceAsync(T0, default);
        Assert.True(await store.ConsumeNonceAsync(early, T0.AddMinutes(10).AddSeconds(-1), default));
        Assert.False(await store.ConsumeNonceAsync(late, T0.AddMinutes(10), default));
    }

    [Fact]
    public async Task UnusedNonces_AreBounded_OldestFirst()
    {
        var store = new InMemoryAcmeStore { MaxNonces = 3 };
        var nonces = new List<string>();
        for (var i = 0; i < 5; i++) nonces.Add(await store.NewNonceAsync(T0, default));
        Assert.False(await store.ConsumeNonceAsync(nonces[0], T0, default));
        Assert.False(await store.ConsumeNonceAsync(nonces[1], T0, default));
        Assert.True(await store.ConsumeNonceAsync(nonces[4], T0, default));
    }
}
