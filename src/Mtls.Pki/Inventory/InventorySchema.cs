using Microsoft.Data.Sqlite;
using Mtls.Pki.Text;

namespace Mtls.Pki.Inventory;

/// <summary>
/// The inventory's tables, versioned with SQLite's user_version. A newer mtls migrates older files
/// forward; an older mtls refuses a newer file rather than guessing.
/// </summary>
internal static class InventorySchema
{
    public const int Version = 1;

    private const string V1 = """
        CREATE TABLE meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE certificates (
            serial            TEXT PRIMARY KEY,
            subject           TEXT NOT NULL,
            sans              TEXT NOT NULL,
            profile           TEXT NOT NULL,
            not_before        INTEGER NOT NULL,
            not_after         INTEGER NOT NULL,
            sha256            TEXT NOT NULL,
            issued_at         INTEGER NOT NULL,
            path              TEXT,
            revoked_at        INTEGER,
            revocation_reason INTEGER,
            superseded_by     TEXT
        );
        CREATE INDEX certificates_not_after ON certificates (not_after);
        """;

    /// <summary>
    /// Creates the tables on first use and checks the file belongs to this CA. Runs in an immediate
    /// transaction so that two signers opening a new file at once do not both create it.
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
            Execute(connection, transaction, V1);
            Execute(connection, transaction, $"PRAGMA user_version = {Version}");
            Execute(connection, transaction, "INSERT INTO meta (key, value) VALUES ('ca_sha256', $v), ('crl_number', '0')", ("$v", caFingerprint));
        }
        var owner = Scalar(connection, transaction, "SELECT value FROM meta WHERE key = 'ca_sha256'") as string;
        if (owner != caFingerprint)
            throw MtlsException.Refused(Catalogue.Text("Inventory_OtherCa", path, owner), MtlsErrorKind.InventoryOfAnotherCa);
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
