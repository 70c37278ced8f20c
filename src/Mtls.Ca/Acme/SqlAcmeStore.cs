using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Mtls.Pki.Inventory;

namespace Mtls.Ca.Acme;

/// <summary>
/// <see cref="IAcmeStore"/> in the CA's inventory (<see cref="AcmeTables"/>: the SQLite file or the
/// PostgreSQL database `mtls ca serve --db` names), so every node of a CA shares ACME's nonces, accounts
/// and orders, and a restart forgets none of them. Objects are stored as source-generated JSON; an update
/// is a compare-and-swap on the document read (a record serializes to the same text each time), so the
/// database, not this process, decides which of two racing requests moves an object on. Nonces expire
/// after <see cref="NonceLifetime"/> and are purged, a few at a time, as new ones are made; orders and
/// their authorizations are forgotten <see cref="KeepExpired"/> after they expire (a purge at most once a
/// minute per process, as orders are added); issued certificates stay downloadable.
/// </summary>
public sealed class SqlAcmeStore(AcmeTables tables) : IAcmeStore
{
    private long _nextSweepTicks;

    /// <summary>How long a nonce stays good (default 10 minutes; clients use theirs within seconds).</summary>
    public TimeSpan NonceLifetime { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long an expired order stays readable before it is forgotten (default 1 day).</summary>
    public TimeSpan KeepExpired { get; init; } = TimeSpan.FromDays(1);

    /// <summary>The clock of the order purge.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public ValueTask<string> NewNonceAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var nonce = JoseBase64.Encode(RandomNumberGenerator.GetBytes(16));
        tables.AddNonce(nonce, now + NonceLifetime, now);
        return ValueTask.FromResult(nonce);
    }

    public ValueTask<bool> ConsumeNonceAsync(string nonce, DateTimeOffset now, CancellationToken cancellationToken) =>
        ValueTask.FromResult(tables.ConsumeNonce(nonce, now));

    public ValueTask<AcmeAccount> AddAccountAsync(AcmeAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var stored = Read(tables.AddAccount(account.Id, account.KeyThumbprint, account.Status, account.CreatedAt, Json(account, AcmeJsonContext.Default.AcmeAccount)),
            AcmeJsonContext.Default.AcmeAccount);
        // The caller's own instance when it was added (newAccount answers 201 for it, 200 for an account that already had the key).
        return ValueTask.FromResult(stored.Id == account.Id ? account : stored);
    }

    public ValueTask<AcmeAccount?> FindAccountAsync(string id, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ReadOrNull(tables.FindAccount(id), AcmeJsonContext.Default.AcmeAccount));

    public ValueTask<AcmeAccount?> FindAccountByKeyAsync(string keyThumbprint, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ReadOrNull(tables.FindAccountByKey(keyThumbprint), AcmeJsonContext.Default.AcmeAccount));

    public ValueTask<bool> UpdateAccountAsync(AcmeAccount expected, AcmeAccount updated, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(updated);
        return ValueTask.FromResult(expected.Id == updated.Id && tables.UpdateAccount(expected.Id, Json(expected, AcmeJsonContext.Default.AcmeAccount),
            updated.KeyThumbprint, updated.Status, Json(updated, AcmeJsonContext.Default.AcmeAccount)));
    }

    public ValueTask AddOrderAsync(AcmeOrder order, IReadOnlyList<AcmeAuthorization> authorizations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(authorizations);
        PurgeOrders();
        tables.AddOrder(Row(order), authorizations.Select(Row));
        return ValueTask.CompletedTask;
    }

    private void PurgeOrders()
    {
        var now = Time.GetUtcNow();
        var next = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < next || Interlocked.CompareExchange(ref _nextSweepTicks, now.UtcTicks + TimeSpan.TicksPerMinute, next) != next) return;
        tables.PurgeOrders(now - KeepExpired);
    }

    public ValueTask<AcmeOrder?> FindOrderAsync(string id, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ReadOrNull(tables.FindOrder(id), AcmeJsonContext.Default.AcmeOrder));

    public ValueTask<IReadOnlyList<string>> OrderIdsAsync(string accountId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(tables.OrderIds(accountId));

    public ValueTask<bool> UpdateOrderAsync(AcmeOrder expected, AcmeOrder updated, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(updated);
        return ValueTask.FromResult(expected.Id == updated.Id && tables.UpdateOrder(Json(expected, AcmeJsonContext.Default.AcmeOrder), Row(updated)));
    }

    public ValueTask<AcmeAuthorization?> FindAuthorizationAsync(string id, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ReadOrNull(tables.FindAuthorization(id), AcmeJsonContext.Default.AcmeAuthorization));

    public ValueTask<bool> UpdateAuthorizationAsync(AcmeAuthorization expected, AcmeAuthorization updated, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(updated);
        return ValueTask.FromResult(expected.Id == updated.Id
            && tables.UpdateAuthorization(Json(expected, AcmeJsonContext.Default.AcmeAuthorization), Row(updated)));
    }

    public ValueTask AddCertificateAsync(AcmeCertificate certificate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        tables.AddCertificate(certificate.Id, certificate.AccountId, certificate.LeafSha256, Json(certificate, AcmeJsonContext.Default.AcmeCertificate));
        return ValueTask.CompletedTask;
    }

    public ValueTask<AcmeCertificate?> FindCertificateAsync(string id, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ReadOrNull(tables.FindCertificate(id), AcmeJsonContext.Default.AcmeCertificate));

    public ValueTask<AcmeCertificate?> FindCertificateByLeafAsync(string leafSha256, CancellationToken cancellationToken) =>
        ValueTask.FromResult(ReadOrNull(tables.FindCertificateByLeaf(leafSha256), AcmeJsonContext.Default.AcmeCertificate));

    private static AcmeRow Row(AcmeOrder o) => new(o.Id, o.AccountId, o.Status, o.Expires, Json(o, AcmeJsonContext.Default.AcmeOrder));

    private static AcmeRow Row(AcmeAuthorization a) => new(a.Id, a.AccountId, a.Status, a.Expires, Json(a, AcmeJsonContext.Default.AcmeAuthorization));

    private static string Json<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.Serialize(value, type);

    private static T Read<T>(string document, JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(document, type) ?? throw new InvalidOperationException($"a stored ACME {typeof(T).Name} is null");

    private static T? ReadOrNull<T>(string? document, JsonTypeInfo<T> type) where T : class => document is null ? null : Read(document, type);
}
