using System.Data.Common;
using static Mtls.Pki.Inventory.SqlInventory;

namespace Mtls.Pki.Inventory;

/// <summary>
/// ACME's state in the CA's inventory (schema version 4, <see cref="AcmeSql"/>), so every `mtls ca serve`
/// node on one database sees the same nonces, accounts and orders, and a restarted node still knows them.
/// Objects are opaque JSON documents here (the ACME module reads and writes them) with the columns they
/// are looked up by. The rules hold by the database alone: a nonce is deleted by exactly one consumer,
/// one account per key (a UNIQUE column), an update succeeds only on the document it read.
/// </summary>
public sealed class AcmeTables
{
    /// <summary>The most rows one purge deletes: a purge rides on an insert, so it must stay cheap.</summary>
    public const int PurgeLimit = 64;

    private readonly SqlInventory _inventory;
    private readonly string _purgeNonces;
    private readonly string _purgeOrders;
    private readonly string _purgeAuthorizations;

    internal AcmeTables(SqlInventory inventory)
    {
        _inventory = inventory;
        _purgeNonces = AcmeSql.Render(AcmeSql.PurgeNonces, inventory.Dialect);
        _purgeOrders = AcmeSql.Render(AcmeSql.PurgeOrders, inventory.Dialect);
        _purgeAuthorizations = AcmeSql.Render(AcmeSql.PurgeAuthorizations, inventory.Dialect);
    }

    /// <summary>Records a nonce good until <paramref name="expires"/>, and purges up to <see cref="PurgeLimit"/> that expired by <paramref name="now"/>.</summary>
    public void AddNonce(string nonce, DateTimeOffset expires, DateTimeOffset now) => _inventory.InTransaction((c, t) =>
    {
        Execute(c, t, _purgeNonces, ("@now", now.ToUnixTimeSeconds()), ("@limit", PurgeLimit));
        return Execute(c, t, AcmeSql.InsertNonce, ("@nonce", nonce), ("@expires", expires.ToUnixTimeSeconds()));
    });

    /// <summary>True for exactly one caller, on any node, for a nonce recorded and not expired at <paramref name="now"/>.</summary>
    public bool ConsumeNonce(string nonce, DateTimeOffset now) =>
        _inventory.InTransaction((c, t) => Execute(c, t, AcmeSql.ConsumeNonce, ("@nonce", nonce), ("@now", now.ToUnixTimeSeconds())) == 1);

    /// <summary>Adds an account; the document of the account that has <paramref name="keyThumbprint"/> afterwards (this one, or the one that won a race for the key).</summary>
    public string AddAccount(string id, string keyThumbprint, string status, DateTimeOffset createdAt, string document)
    {
        _inventory.InTransaction((c, t) => Execute(c, t, AcmeSql.InsertAccount, ("@id", id), ("@key", keyThumbprint), ("@status", status),
            ("@created", createdAt.ToUnixTimeSeconds()), ("@document", document)));
        return FindAccountByKey(keyThumbprint)
            ?? throw new InvalidOperationException($"ACME account {id} was neither added nor found by its key (an account id reused?)");
    }

    public string? FindAccount(string id) => Document(AcmeSql.SelectAccount, ("@id", id));

    public string? FindAccountByKey(string keyThumbprint) => Document(AcmeSql.SelectAccountByKey, ("@key", keyThumbprint));

    /// <summary>Replaces the account still stored as <paramref name="expected"/>; false when it changed meanwhile or another account has <paramref name="keyThumbprint"/>.</summary>
    public bool UpdateAccount(string id, string expected, string keyThumbprint, string status, string document)
    {
        try
        {
            return _inventory.InTransaction((c, t) => Execute(c, t, AcmeSql.UpdateAccount, ("@id", id), ("@expected", expected), ("@key", keyThumbprint),
                ("@status", status), ("@document", document)) == 1);
        }
        catch (MtlsException e) when (e.InnerException is DbException db && _inventory.IsUniqueViolation(db))
        {
            return false; // another account took the key in the same instant
        }
    }

    /// <summary>Adds an order and its authorizations in one transaction.</summary>
    public void AddOrder(AcmeRow order, IEnumerable<AcmeRow> authorizations)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(authorizations);
        _inventory.InTransaction((c, t) =>
        {
            foreach (var a in authorizations) Insert(c, t, AcmeSql.InsertAuthorization, a);
            return Insert(c, t, AcmeSql.InsertOrder, order);
        });
    }

    /// <summary>Forgets up to <see cref="PurgeLimit"/> orders, and as many authorizations, that expired before <paramref name="cutoff"/>.</summary>
    public void PurgeOrders(DateTimeOffset cutoff) => _inventory.InTransaction((c, t) =>
        Execute(c, t, _purgeOrders, ("@cutoff", cutoff.ToUnixTimeSeconds()), ("@limit", PurgeLimit))
        + Execute(c, t, _purgeAuthorizations, ("@cutoff", cutoff.ToUnixTimeSeconds()), ("@limit", PurgeLimit)));

    public string? FindOrder(string id) => Document(AcmeSql.SelectOrder, ("@id", id));

    /// <summary>The ids of an account's orders, soonest expiry first.</summary>
    public IReadOnlyList<string> OrderIds(string accountId) => _inventory.Use(c =>
    {
        using var command = Command(c, null, AcmeSql.SelectOrderIds, ("@account", accountId));
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read()) ids.Add(reader.GetString(0));
        return ids;
    });

    /// <summary>Replaces the order still stored as <paramref name="expected"/>; false when another request moved it first.</summary>
    public bool UpdateOrder(string expected, AcmeRow updated) => Swap(AcmeSql.UpdateOrder, expected, updated);

    public string? FindAuthorization(string id) => Document(AcmeSql.SelectAuthorization, ("@id", id));

    public bool UpdateAuthorization(string expected, AcmeRow updated) => Swap(AcmeSql.UpdateAuthorization, expected, updated);

    public void AddCertificate(string id, string accountId, string leafSha256, string document) => _inventory.InTransaction((c, t) =>
        Execute(c, t, AcmeSql.InsertCertificate, ("@id", id), ("@account", accountId), ("@leaf", leafSha256), ("@document", document)));

    public string? FindCertificate(string id) => Document(AcmeSql.SelectCertificate, ("@id", id));

    public string? FindCertificateByLeaf(string leafSha256) => Document(AcmeSql.SelectCertificateByLeaf, ("@leaf", leafSha256));

    private bool Swap(string sql, string expected, AcmeRow updated)
    {
        ArgumentNullException.ThrowIfNull(updated);
        return _inventory.InTransaction((c, t) => Execute(c, t, sql, ("@id", updated.Id), ("@expected", expected), ("@status", updated.Status),
            ("@expires", updated.Expires.ToUnixTimeSeconds()), ("@document", updated.Document)) == 1);
    }

    private static int Insert(DbConnection c, DbTransaction t, string sql, AcmeRow row) => Execute(c, t, sql, ("@id", row.Id), ("@account", row.AccountId),
        ("@status", row.Status), ("@expires", row.Expires.ToUnixTimeSeconds()), ("@document", row.Document));

    private string? Document(string sql, params (string, object?)[] parameters) =>
        _inventory.Use(c => Scalar(c, null, sql, parameters) as string);
}
