using Mtls.Ca.Acme;

namespace Mtls.Ca.Tests.Acme;

/// <summary>
/// The in-memory store, except that recording a challenge's outcome (an authorization leaving "processing")
/// throws the first <see cref="Failures"/> times, as a database that is restarting would.
/// </summary>
public sealed class OutcomeFailingStore(int failures) : IAcmeStore
{
    private readonly InMemoryAcmeStore _store = new();
    private int _failed;

    public int Failures { get; } = failures;

    public int Failed => Volatile.Read(ref _failed);

    public ValueTask<bool> UpdateAuthorizationAsync(AcmeAuthorization expected, AcmeAuthorization updated, CancellationToken cancellationToken)
    {
        var recordsOutcome = updated.Challenges.Any(c => c.Status is AcmeStatus.Valid or AcmeStatus.Invalid);
        if (recordsOutcome && Interlocked.Increment(ref _failed) <= Failures)
            throw new InvalidOperationException("the database is restarting");
        return _store.UpdateAuthorizationAsync(expected, updated, cancellationToken);
    }

    public ValueTask<string> NewNonceAsync(DateTimeOffset now, CancellationToken cancellationToken) => _store.NewNonceAsync(now, cancellationToken);
    public ValueTask<bool> ConsumeNonceAsync(string nonce, DateTimeOffset now, CancellationToken cancellationToken) => _store.ConsumeNonceAsync(nonce, now, cancellationToken);
    public ValueTask<AcmeAccount> AddAccountAsync(AcmeAccount account, CancellationToken cancellationToken) => _store.AddAccountAsync(account, cancellationToken);
    public ValueTask<AcmeAccount?> FindAccountAsync(string id, CancellationToken cancellationToken) => _store.FindAccountAsync(id, cancellationToken);
    public ValueTask<AcmeAccount?> FindAccountByKeyAsync(string keyThumbprint, CancellationToken cancellationToken) => _store.FindAccountByKeyAsync(keyThumbprint, cancellationToken);
    public ValueTask<bool> UpdateAccountAsync(AcmeAccount expected, AcmeAccount updated, CancellationToken cancellationToken) => _store.UpdateAccountAsync(expected, updated, cancellationToken);
    public ValueTask AddOrderAsync(AcmeOrder order, IReadOnlyList<AcmeAuthorization> authorizations, CancellationToken cancellationToken) => _store.AddOrderAsync(order, authorizations, cancellationToken);
    public ValueTask<AcmeOrder?> FindOrderAsync(string id, CancellationToken cancellationToken) => _store.FindOrderAsync(id, cancellationToken);
    public ValueTask<IReadOnlyList<string>> OrderIdsAsync(string accountId, CancellationToken cancellationToken) => _store.OrderIdsAsync(accountId, cancellationToken);
    public ValueTask<bool> UpdateOrderAsync(AcmeOrder expected, AcmeOrder updated, CancellationToken cancellationToken) => _store.UpdateOrderAsync(expected, updated, cancellationToken);
    public ValueTask<AcmeAuthorization?> FindAuthorizationAsync(string id, CancellationToken cancellationToken) => _store.FindAuthorizationAsync(id, cancellationToken);
    public ValueTask AddCertificateAsync(AcmeCertificate certificate, CancellationToken cancellationToken) => _store.AddCertificateAsync(certificate, cancellationToken);
    public ValueTask<AcmeCertificate?> FindCertificateAsync(string id, CancellationToken cancellationToken) => _store.FindCertificateAsync(id, cancellationToken);
    public ValueTask<AcmeCertificate?> FindCertificateByLeafAsync(string leafSha256, CancellationToken cancellationToken) => _store.FindCertificateByLeafAsync(leafSha256, cancellationToken);
}
