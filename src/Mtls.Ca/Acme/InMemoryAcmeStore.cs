using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Mtls.Ca.Acme;

/// <summary>
/// <see cref="IAcmeStore"/> in this process's memory: for tests and a CA without an inventory (a restart
/// forgets accounts and orders). `mtls ca serve` keeps ACME in its inventory instead (<see cref="SqlAcmeStore"/>).
/// Nonces expire after <see cref="NonceLifetime"/> and are swept as new ones are made, and there are at
/// most <see cref="MaxNonces"/> outstanding (the oldest go first), so unused nonces cannot fill memory.
/// Orders and their authorizations are forgotten <see cref="KeepExpired"/> after they expire (swept at
/// most once a minute, as orders are added); issued certificates stay downloadable.
/// </summary>
public sealed class InMemoryAcmeStore : IAcmeStore
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _nonces = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Nonce, DateTimeOffset Expires)> _nonceOrder = new();
    private readonly ConcurrentDictionary<string, AcmeAccount> _accounts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _accountByKey = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AcmeOrder> _orders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AcmeAuthorization> _authorizations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AcmeCertificate> _certificates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _certificateByLeaf = new(StringComparer.Ordinal);
    private readonly Lock _accountLock = new();

    /// <summary>How long a nonce stays good (default 10 minutes; clients use theirs within seconds).</summary>
    public TimeSpan NonceLifetime { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The most nonces outstanding at once (default 100,000).</summary>
    public int MaxNonces { get; init; } = 100_000;

    /// <summary>How long an expired order stays readable before it is forgotten (default 1 day).</summary>
    public TimeSpan KeepExpired { get; init; } = TimeSpan.FromDays(1);

    /// <summary>The clock of the order sweep.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    private long _nextSweepTicks;

    public ValueTask<string> NewNonceAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        Sweep(now);
        var nonce = JoseBase64.Encode(RandomNumberGenerator.GetBytes(16));
        var expires = now + NonceLifetime;
        _nonces[nonce] = expires;
        _nonceOrder.Enqueue((nonce, expires));
        return ValueTask.FromResult(nonce);
    }

    public ValueTask<bool> ConsumeNonceAsync(string nonce, DateTimeOffset now, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_nonces.TryRemove(nonce, out var expires) && expires > now);

    // The queue is in issue order, so expired (or excess) nonces are at its head.
    private void Sweep(DateTimeOffset now)
    {
        while (_nonceOrder.TryPeek(out var head) && (head.Expires <= now || _nonces.Count >= MaxNonces))
            if (_nonceOrder.TryDequeue(out head))
                _nonces.TryRemove(head.Nonce, out _);
    }

    public ValueTask<AcmeAccount> AddAccountAsync(AcmeAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        lock (_accountLock)
        {
            if (_accountByKey.TryGetValue(account.KeyThumbprint, out var existing))
                return ValueTask.FromResult(_accounts[existing]);
            _accounts[account.Id] = account;
            _accountByKey[account.KeyThumbprint] = account.Id;
            return ValueTask.FromResult(account);
        }
    }

    public ValueTask<AcmeAccount?> FindAccountAsync(string id, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_accounts.GetValueOrDefault(id));

    public ValueTask<AcmeAccount?> FindAccountByKeyAsync(string keyThumbprint, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_accountByKey.TryGetValue(keyThumbprint, out var id) ? _accounts.GetValueOrDefault(id) : null);

    public ValueTask<bool> UpdateAccountAsync(AcmeAccount expected, AcmeAccount updated, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(updated);
        lock (_accountLock)
        {
            if (!ReferenceEquals(_accounts.GetValueOrDefault(expected.Id), expected)) return ValueTask.FromResult(false);
            if (updated.KeyThumbprint != expected.KeyThumbprint)
            {
                if (_accountByKey.ContainsKey(updated.KeyThumbprint)) return ValueTask.FromResult(false);
                _accountByKey.TryRemove(expected.KeyThumbprint, out _);
                _accountByKey[updated.KeyThumbprint] = updated.Id;
            }
            _accounts[updated.Id] = updated;
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask AddOrderAsync(AcmeOrder order, IReadOnlyList<AcmeAuthorization> authorizations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(authorizations);
        SweepOrders();
        foreach (var a in authorizations) _authorizations[a.Id] = a;
        _orders[order.Id] = order;
        return ValueTask.CompletedTask;
    }

    private void SweepOrders()
    {
        var now = Time.GetUtcNow();
        var next = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < next || Interlocked.CompareExchange(ref _nextSweepTicks, now.UtcTicks + TimeSpan.TicksPerMinute, next) != next) return;
        foreach (var order in _orders.Values.Where(o => o.Expires + KeepExpired < now))
        {
            _orders.TryRemove(order.Id, out _);
            foreach (var id in order.AuthorizationIds) _authorizations.TryRemove(id, out _);
        }
    }

    public ValueTask<AcmeOrder?> FindOrderAsync(string id, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_orders.GetValueOrDefault(id));

    public ValueTask<IReadOnlyList<string>> OrderIdsAsync(string accountId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<string>>(_orders.Values.Where(o => o.AccountId == accountId).Select(o => o.Id).ToList());

    public ValueTask<bool> UpdateOrderAsync(AcmeOrder expected, AcmeOrder updated, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Swap(_orders, expected.Id, expected, updated));

    public ValueTask<AcmeAuthorization?> FindAuthorizationAsync(string id, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_authorizations.GetValueOrDefault(id));

    public ValueTask<bool> UpdateAuthorizationAsync(AcmeAuthorization expected, AcmeAuthorization updated, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Swap(_authorizations, expected.Id, expected, updated));

    public ValueTask AddCertificateAsync(AcmeCertificate certificate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        _certificates[certificate.Id] = certificate;
        _certificateByLeaf[certificate.LeafSha256] = certificate.Id;
        return ValueTask.CompletedTask;
    }

    public ValueTask<AcmeCertificate?> FindCertificateAsync(string id, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_certificates.GetValueOrDefault(id));

    public ValueTask<AcmeCertificate?> FindCertificateByLeafAsync(string leafSha256, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_certificateByLeaf.TryGetValue(leafSha256, out var id) ? _certificates.GetValueOrDefault(id) : null);

    // Compare-and-swap on the stored instance itself (records compare by value; the stored one is the one read).
    private static bool Swap<T>(ConcurrentDictionary<string, T> map, string id, T expected, T updated) where T : class
    {
        while (map.TryGetValue(id, out var current))
        {
            if (!ReferenceEquals(current, expected)) return false;
            if (map.TryUpdate(id, updated, current)) return true;
        }
        return false;
    }
}
