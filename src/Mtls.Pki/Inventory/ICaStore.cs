using System.Security.Cryptography.X509Certificates;

namespace Mtls.Pki.Inventory;

/// <summary>
/// A CA's inventory: what it issued, revoked and renewed, its enrollment tokens and its record of
/// events. The rules that matter under concurrency are the database's, not the process's, so several
/// CA processes may share one store: a token is used once (<see cref="RedeemToken"/>), only the newest
/// certificate of a renewal chain renews (<see cref="TryRecordRenewal"/>), a serial is recorded once.
/// Implementations: <see cref="CaInventory"/> (SQLite), <see cref="PostgresInventory"/> (PostgreSQL), both
/// <see cref="SqlInventory"/> over the statements of <see cref="InventorySql"/>; <see cref="CaStore.Open"/> picks one.
/// </summary>
public interface ICaStore : IDisposable
{
    /// <summary>Where the store is (a file path, or a connection's description without its password).</summary>
    string Path { get; }

    /// <summary>Records newly issued certificates in one transaction (a serial recorded twice fails it all).</summary>
    void Record(IEnumerable<InventoryRecord> records);

    /// <summary>Records a renewal made by the CA's holder (offline): the new certificate, and the old one marked superseded.</summary>
    void RecordRenewal(string oldSerial, InventoryRecord renewed);

    /// <summary>
    /// Records a renewal only if the old certificate has not been renewed already, atomically: false
    /// (and nothing recorded) when another renewal of it won. <paramref name="recorded"/>, if given, is
    /// recorded in the same transaction (one commit, one fsync, per renewal).
    /// </summary>
    bool TryRecordRenewal(string oldSerial, InventoryRecord renewed, CaEvent? recorded = null);

    InventoryRecord? Find(string serial);

    /// <summary>Every recorded certificate, soonest expiry first.</summary>
    IReadOnlyList<InventoryRecord> List();

    IReadOnlyList<InventoryRecord> Revoked();

    /// <summary>Marks a certificate revoked; false when it already was (the first revocation stands).</summary>
    bool Revoke(string serial, DateTimeOffset at, X509RevocationReason reason);

    /// <summary>A number that changes whenever a revocation is recorded (by any process): a CRL made at one value is current while it holds.</summary>
    long RevocationVersion();

    /// <summary>Takes the next CRL number (RFC 5280 5.2.3: monotonically increasing), kept across runs.</summary>
    long NextCrlNumber();

    void AddToken(TokenRecord token);

    /// <summary>Records several tokens in one transaction (`ca token --count`): all of them or none.</summary>
    void AddTokens(IReadOnlyList<TokenRecord> tokens);

    TokenRecord? FindToken(string hash);

    /// <summary>
    /// Uses the token <paramref name="hash"/> for <paramref name="issued"/> and records the certificate, in
    /// one transaction (with <paramref name="recorded"/>, if given); only one caller ever gets
    /// <see cref="TokenRedemption.Redeemed"/> for a token.
    /// </summary>
    TokenRedemption RedeemToken(string hash, DateTimeOffset now, InventoryRecord issued, CaEvent? recorded = null);

    void RecordEvent(CaEvent e);

    /// <summary>Recorded events, oldest first.</summary>
    IReadOnlyList<CaEvent> Events();
}
