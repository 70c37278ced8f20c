using System.Collections.Concurrent;
using System.Data.Common;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Data.Sqlite;
using Mtls.Pki.Text;

namespace Mtls.Pki.Inventory;

/// <summary>
/// What a CA issued, kept in an SQLite file beside the CA certificate (server-ca.crt -> server-ca.db).
/// WAL mode and a busy timeout let several signers (and several `mtls ca serve` processes on one
/// machine) share one CA; every change is one transaction, so a signer killed at any moment leaves the
/// file consistent. Signers record a certificate before writing its file: a crash can leave a recorded
/// certificate that was never handed out, never the reverse. The operations are
/// <see cref="SqlInventory"/>'s; this class is SQLite's connections, write lock and errors.
/// </summary>
public sealed class CaInventory : SqlInventory
{
    private readonly string _connectionString;
    private readonly bool _pooled;

    private CaInventory(string connectionString, string path, bool pooled)
    {
        _connectionString = connectionString;
        _pooled = pooled;
        Path = path;
        Committer = Committers.GetOrAdd(System.IO.Path.GetFullPath(path), _ => new GroupCommit());
    }

    public override string Path { get; }

    public override InventoryDialect Dialect => InventoryDialect.Sqlite;

    internal override bool IsUniqueViolation(DbException error) => error is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 }; // CONSTRAINT_UNIQUE, CONSTRAINT_PRIMARYKEY

    /// <summary>The inventory file that goes with a CA certificate file: same name, extension .db.</summary>
    public static string DefaultPath(string caCertPath) => System.IO.Path.ChangeExtension(caCertPath, ".db");

    /// <summary>
    /// Opens (creating on first use, migrating an older schema) the inventory of <paramref name="ca"/>;
    /// refuses another CA's file. <paramref name="pooled"/>: keep connections open between operations (a
    /// long-running server); one-shot commands close the file after each.
    /// </summary>
    public static CaInventory Open(string path, X509Certificate2 ca, bool pooled = false)
    {
        ArgumentNullException.ThrowIfNull(ca);
        if (Directory.Exists(path))
            throw new MtlsException(Catalogue.Text("Inventory_IsDirectory", path)) { Kind = MtlsErrorKind.InventoryPath };
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        if (!Directory.Exists(dir))
            throw new MtlsException(Catalogue.Text("Inventory_NoFolder", path, dir)) { Kind = MtlsErrorKind.InventoryPath };
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = pooled, // unpooled closes the file when disposed: tests delete folders, signers are short-lived
            DefaultTimeout = 60,
        };
        var inventory = new CaInventory(builder.ToString(), path, pooled);
        inventory.Use(connection =>
        {
            Scalar(connection, null, "PRAGMA journal_mode = WAL");
            InventorySchema.Ensure((SqliteConnection)connection, Convert.ToHexString(ca.GetCertHash(HashAlgorithmName.SHA256)), path);
            return 0;
        });
        return inventory;
    }

    protected override DbConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            Execute(connection, null, "PRAGMA busy_timeout = 60000");
            Execute(connection, null, "PRAGMA synchronous = FULL"); // a CA's record must survive a power cut
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>One committer per inventory file in this process (several instances may open the same file).</summary>
    private static readonly ConcurrentDictionary<string, GroupCommit> Committers = new(StringComparer.Ordinal);

    internal override GroupCommit Committer { get; }

    protected override DbTransaction BeginWrite(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: false);

    /// <summary>SQLite's errors in one line that names the file and says what to do.</summary>
    protected override MtlsException Explain(DbException error) => error switch
    {
        SqliteException { SqliteErrorCode: 26 or 11 } e => // SQLITE_NOTADB, SQLITE_CORRUPT
            new MtlsException(Catalogue.Text("Inventory_Corrupt", Path, e.Message.TrimEnd('.')), ExitCode.BadInput, e) { Kind = MtlsErrorKind.InventoryUnusable },
        SqliteException { SqliteErrorCode: 8 or 14 or 23 } e => // READONLY, CANTOPEN, AUTH
            new MtlsException(Catalogue.Text("Inventory_ReadOnly", Path, e.Message.TrimEnd('.')), ExitCode.BadInput, e) { Kind = MtlsErrorKind.InventoryUnusable },
        SqliteException { SqliteErrorCode: 5 or 6 } e => // BUSY, LOCKED after the timeout
            new MtlsException(Catalogue.Text("Inventory_Locked", Path), ExitCode.Failed, e),
        SqliteException { SqliteErrorCode: 19 } e when e.Message.Contains("certificates.serial", StringComparison.Ordinal) => // a serial recorded twice (other constraints: the general error)
            new MtlsException(Catalogue.Text("Inventory_DuplicateSerial", Path, e.Message.TrimEnd('.')), ExitCode.Failed, e),
        _ => new MtlsException(Catalogue.Text("Inventory_Error", Path, error.Message.TrimEnd('.')), ExitCode.Failed, error),
    };

    protected override void Dispose(bool disposing)
    {
        if (disposing && _pooled) { using var connection = new SqliteConnection(_connectionString); SqliteConnection.ClearPool(connection); }
    }
}
