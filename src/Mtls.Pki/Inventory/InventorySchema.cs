using Microsoft.Data.Sqlite;
using Mtls.Pki.Text;

namespace Mtls.Pki.Inventory;

/// <summary>
/// The inventory's tables, versioned with SQLite's user_version. A newer mtls migrates older files
/// forward (each step in the same transaction as the version change); an older mtls refuses a newer file
/// rather than guessing. The statements are <see cref="InventorySql"/>'s.
/// </summary>
internal static class InventorySchema
{
    public const int Version = 2;

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
            Execute(connection, transaction, InventorySql.V1);
            Execute(connection, transaction, InventorySql.MetaInit, ("@v", caFingerprint));
            version = 1;
        }
        var owner = Scalar(connection, transaction, InventorySql.MetaGet, ("@k", "ca_sha256")) as string;
        if (owner != caFingerprint)
            throw MtlsException.Refused(Catalogue.Text("Inventory_OtherCa", path, owner), MtlsErrorKind.InventoryOfAnotherCa);
        if (version < 2) Execute(connection, transaction, InventorySql.V2);
        if (version < Version) Execute(connection, transaction, $"PRAGMA user_version = {Version}");
        transaction.Commit();
    }

    public static object? Scalar(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteScalar();
    }

    public static int Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }
}
