using Microsoft.Data.Sqlite;
using static Mtls.Pki.Inventory.SqlInventory;
using Mtls.Pki.Text;

namespace Mtls.Pki.Inventory;

/// <summary>
/// The SQLite inventory's tables, versioned with SQLite's user_version. A newer mtls migrates older files
/// forward (each step in the same transaction as the version change); an older mtls refuses a newer file
/// rather than guessing. The statements are <see cref="InventorySql"/>'s (the PostgreSQL twin: <see cref="PostgresSchema"/>).
/// </summary>
internal static class InventorySchema
{
    public const int Version = 4;

    /// <summary>
    /// Creates the tables on first use, migrates an older file, and checks the file belongs to this CA.
    /// Runs in an immediate transaction so that two signers opening a new file at once do not both create it.
    /// </summary>
    public static void Ensure(SqliteConnection connection, string caFingerprint, string path)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        var version = Convert.ToInt32(Scalar(connection, transaction, "PRAGMA user_version"), System.Globalization.CultureInfo.InvariantCulture);
        if (version > Version)
            throw new MtlsException(Catalogue.Text("Inventory_Newer", path, version, Version));
        if (version == 0)
        {
            if (Convert.ToInt64(Scalar(connection, transaction, "SELECT count(*) FROM sqlite_master"), System.Globalization.CultureInfo.InvariantCulture) > 0)
                throw new MtlsException(Catalogue.Text("Inventory_NotOurs", path)) { Kind = MtlsErrorKind.InventoryPath };
            Execute(connection, transaction, InventorySql.Render(InventorySql.V1, InventoryDialect.Sqlite));
            Execute(connection, transaction, InventorySql.MetaInit, ("@v", caFingerprint));
            version = 1;
        }
        var owner = Scalar(connection, transaction, InventorySql.MetaGet, ("@k", "ca_sha256")) as string;
        if (owner != caFingerprint)
            throw MtlsException.Refused(Catalogue.Text("Inventory_OtherCa", path, owner), MtlsErrorKind.InventoryOfAnotherCa);
        if (version < 2) Execute(connection, transaction, InventorySql.Render(InventorySql.V2, InventoryDialect.Sqlite));
        if (version < 3) Execute(connection, transaction, InventorySql.Render(InventorySql.V3, InventoryDialect.Sqlite));
        if (version < 4) Execute(connection, transaction, AcmeSql.V4);
        if (version < Version) Execute(connection, transaction, $"PRAGMA user_version = {Version}");
        transaction.Commit();
    }
}
