namespace Mtls.Ca.Acme;

/// <summary>
/// Where ACME keeps its state: nonces, accounts, orders, authorizations (with their challenges) and the
/// certificates issued. Updates are compare-and-swap (<c>expected</c> must still be the stored value),
/// so two requests racing on one object cannot both move it on (a challenge validated twice, an order
/// finalized twice). Nonces are single-use and expire.
/// </summary>
public interface IAcmeStore
{
    /// <summary>A fresh nonce (RFC 8555 6.5), good once until <paramref name="now"/> plus the store's lifetime.</summary>
    ValueTask<string> NewNonceAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>True exactly once for a nonce this store issued and that has not expired.</summary>
    ValueTask<bool> ConsumeNonceAsync(string nonce, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Adds an account and returns <paramref name="account"/> itself, or returns the one that already has its
    /// key (two newAccount requests racing): newAccount tells them apart by reference (201 or 200).
    /// </summary>
    ValueTask<AcmeAccount> AddAccountAsync(AcmeAccount account, CancellationToken cancellationToken);

    ValueTask<AcmeAccount?> FindAccountAsync(string id, CancellationToken cancellationToken);

    ValueTask<AcmeAccount?> FindAccountByKeyAsync(string keyThumbprint, CancellationToken cancellationToken);

    /// <summary>Replaces an account; false when it changed meanwhile, or when its new key belongs to another account.</summary>
    ValueTask<bool> UpdateAccountAsync(AcmeAccount expected, AcmeAccount updated, CancellationToken cancellationToken);

    ValueTask AddOrderAsync(AcmeOrder order, IReadOnlyList<AcmeAuthorization> authorizations, CancellationToken cancellationToken);

    ValueTask<AcmeOrder?> FindOrderAsync(string id, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<string>> OrderIdsAsync(string accountId, CancellationToken cancellationToken);

    ValueTask<bool> UpdateOrderAsync(AcmeOrder expected, AcmeOrder updated, CancellationToken cancellationToken);

    ValueTask<AcmeAuthorization?> FindAuthorizationAsync(string id, CancellationToken cancellationToken);

    ValueTask<bool> UpdateAuthorizationAsync(AcmeAuthorization expected, AcmeAuthorization updated, CancellationToken cancellationToken);

    ValueTask AddCertificateAsync(AcmeCertificate certificate, CancellationToken cancellationToken);

    ValueTask<AcmeCertificate?> FindCertificateAsync(string id, CancellationToken cancellationToken);

    /// <summary>The certificate whose leaf has this SHA-256 fingerprint (hex, upper case).</summary>
    ValueTask<AcmeCertificate?> FindCertificateByLeafAsync(string leafSha256, CancellationToken cancellationToken);
}
