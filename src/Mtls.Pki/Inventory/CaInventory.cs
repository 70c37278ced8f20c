using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Data.Sqlite;
using static Mtls.Pki.Inventory.InventorySchema;
using Mtls.Pki.Text;

namespace Mtls.Pki.Inventory;

/// <summary>
/// What a CA issued, kept in an SQLite file beside the CA certificate (server-ca.crt -> server-ca.db).
/// WAL mode and a busy timeout let several signers (and several `mtls ca serve` processes) share one CA;
/// every change is one transaction, so a signer killed at any moment leaves the file consistent. Signers
/// record a certificate before writing its file: a crash can leave a recorded certificate that was never
/// handed out, never the reverse. Each operation uses its own connection (pooled when
/// <see cref="Open"/> is asked to share), so one instance serves concurrent requests; the rules that
/// matter under concurrency are conditional statements (<see cref="InventorySql"/>), not locks.
/// </summary>
public sealed class CaInventory : ICaStore
{
    private readonly string _connectionString;
    private readonly bool _pooled;

    private CaInventory(string connectionString, string path, bool pooled)
    {
        _connectionString = connectionString;
        _pooled = pooled;
        Path = path;
    }

    public string Path { get; }

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
            Ensure(connection, Convert.ToHexString(ca.GetCertHash(HashAlgorithmName.SHA256)), path);
            return 0;
        });
        return inventory;
    }

    public void Record(IEnumerable<InventoryRecord> records) => InTransaction((c, t) =>
    {
        foreach (var record in records) Insert(c, t, record);
        return true;
    });

    public void RecordRenewal(string oldSerial, InventoryRecord renewed) => InTransaction((c, t) =>
    {
        Insert(c, t, renewed);
        Execute(c, t, InventorySql.Supersede, ("@new", renewed.Serial), ("@old", oldSerial));
        return true;
    });

    public bool TryRecordRenewal(string oldSerial, InventoryRecord renewed) => InTransaction((c, t) =>
    {
        // The mark first: when another renewal of the old certificate won, nothing is inserted.
        if (Execute(c, t, InventorySql.SupersedeIfNewest, ("@new", renewed.Serial), ("@old", oldSerial)) != 1) return false;
        Insert(c, t, renewed);
        return true;
    });

    public InventoryRecord? Find(string serial) =>
        Query(InventorySql.WhereSerial, ("@s", InventoryRecord.NormalizeSerial(serial))).FirstOrDefault();

    public IReadOnlyList<InventoryRecord> List() => Query("");

    public IReadOnlyList<InventoryRecord> Revoked() => Query(InventorySql.WhereRevoked);

    public bool Revoke(string serial, DateTimeOffset at, X509RevocationReason reason) => InTransaction((c, t) =>
    {
        if (Execute(c, t, InventorySql.Revoke, ("@at", at.ToUnixTimeSeconds()), ("@r", (int)reason), ("@s", serial)) != 1) return false;
        Scalar(c, t, InventorySql.MetaIncrement, ("@k", "revocations"));
        return true;
    });

    public long RevocationVersion() => Use(c => Number(Scalar(c, null, InventorySql.MetaGet, ("@k", "revocations"))));

    public long NextCrlNumber() => InTransaction((c, t) => Number(Scalar(c, t, InventorySql.MetaIncrement, ("@k", "crl_number"))));

    public void AddToken(TokenRecord token)
    {
        ArgumentNullException.ThrowIfNull(token);
        Use(c => Execute(c, null, InventorySql.InsertToken, ("@hash", token.Hash), ("@names", string.Join('\n', token.Names)), ("@profile", token.Profile),
            ("@created", token.CreatedAt.ToUnixTimeSeconds()), ("@expires", token.ExpiresAt.ToUnixTimeSeconds())));
    }

    public TokenRecord? FindToken(string hash) => Use(c =>
    {
        using var command = Command(c, null, InventorySql.SelectToken, ("@hash", hash));
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return null;
        var names = reader.GetString(1);
        return new TokenRecord(reader.GetString(0), names.Length == 0 ? [] : names.Split('\n'), reader.GetString(2),
            Time(reader.GetInt64(3)), Time(reader.GetInt64(4)),
            reader.IsDBNull(5) ? null : Time(reader.GetInt64(5)), reader.IsDBNull(6) ? null : reader.GetString(6));
    });

    public TokenRedemption RedeemToken(string hash, DateTimeOffset now, InventoryRecord issued)
    {
        ArgumentNullException.ThrowIfNull(issued);
        var redeemed = InTransaction((c, t) =>
        {
            if (Execute(c, t, InventorySql.RedeemToken, ("@now", now.ToUnixTimeSeconds()), ("@serial", issued.Serial), ("@hash", hash)) != 1) return false;
            Insert(c, t, issued);
            return true;
        });
        if (redeemed) return TokenRedemption.Redeemed;
        var token = FindToken(hash);
        return token is null ? TokenRedemption.Unknown : token.UsedAt is not null ? TokenRedemption.AlreadyUsed : TokenRedemption.Expired;
    }

    public void RecordEvent(CaEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        Use(c => Execute(c, null, InventorySql.InsertEvent, ("@at", e.At.ToUnixTimeSeconds()), ("@kind", e.Kind), ("@type", e.Type),
            ("@detail", e.Detail), ("@serial", e.Serial), ("@remote", e.Remote)));
    }

    public IReadOnlyList<CaEvent> Events() => Use(c =>
    {
        using var command = Command(c, null, InventorySql.SelectEvents);
        using var reader = command.ExecuteReader();
        var list = new List<CaEvent>();
        while (reader.Read())
            list.Add(new CaEvent(Time(reader.GetInt64(0)), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
        return list;
    });

    private static void Insert(SqliteConnection c, SqliteTransaction t, InventoryRecord r) => Execute(c, t, InventorySql.InsertCertificate,
        ("@serial", r.Serial), ("@subject", r.Subject), ("@sans", string.Join('\n', r.SubjectAltNames)), ("@profile", r.Profile),
        ("@nb", r.NotBefore.ToUnixTimeSeconds()), ("@na", r.NotAfter.ToUnixTimeSeconds()), ("@sha", r.Sha256Fingerprint),
        ("@at", r.IssuedAt.ToUnixTimeSeconds()), ("@path", r.Path));

    private List<InventoryRecord> Query(string where, params (string, object?)[] parameters) => Use(c =>
    {
        using var command = Command(c, null, InventorySql.SelectCertificates + where + InventorySql.OrderByExpiry, parameters);
        using var reader = command.ExecuteReader();
        var list = new List<InventoryRecord>();
        while (reader.Read())
        {
            var sans = reader.GetString(2);
            list.Add(new InventoryRecord(
                reader.GetString(0), reader.GetString(1),
                sans.Length == 0 ? [] : sans.Split('\n'),
                reader.GetString(3),
                Time(reader.GetInt64(4)), Time(reader.GetInt64(5)),
                reader.GetString(6), Time(reader.GetInt64(7)),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : Time(reader.GetInt64(9)),
                reader.IsDBNull(10) ? null : (X509RevocationReason)reader.GetInt32(10),
                reader.IsDBNull(11) ? null : reader.GetString(11)));
        }
        return list;
    });

    private static DateTimeOffset Time(long seconds) => DateTimeOffset.FromUnixTimeSeconds(seconds);

    private static long Number(object? value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);

    /// <summary>Runs <paramref name="action"/> in an immediate transaction (the write lock taken at once: no upgrade deadlock); commits when it returns.</summary>
    private T InTransaction<T>(Func<SqliteConnection, SqliteTransaction, T> action) => Use(c =>
    {
        using var transaction = c.BeginTransaction(deferred: false);
        var result = action(c, transaction);
        transaction.Commit();
        return result;
    });

    /// <summary>Runs <paramref name="action"/> on a connection of its own, with SQLite's errors said in one line.</summary>
    private T Use<T>(Func<SqliteConnection, T> action) => Guard(Path, () =>
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, null, "PRAGMA busy_timeout = 60000");
        Execute(connection, null, "PRAGMA synchronous = FULL"); // a CA's record must survive a power cut
        return action(connection);
    });

    /// <summary>Turns SQLite's errors into one line that names the file and says what to do.</summary>
    private static T Guard<T>(string path, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 26 or 11) // SQLITE_NOTADB, SQLITE_CORRUPT
        {
            throw new MtlsException(Catalogue.Text("Inventory_Corrupt", path, e.Message.TrimEnd('.')), ExitCode.BadInput, e) { Kind = MtlsErrorKind.InventoryUnusable };
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 8 or 14 or 23) // READONLY, CANTOPEN, AUTH
        {
            throw new MtlsException(Catalogue.Text("Inventory_ReadOnly", path, e.Message.TrimEnd('.')), ExitCode.BadInput, e) { Kind = MtlsErrorKind.InventoryUnusable };
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6) // BUSY, LOCKED after the timeout
        {
            throw new MtlsException(Catalogue.Text("Inventory_Locked", path), ExitCode.Failed, e);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19) // CONSTRAINT: a serial recorded twice
        {
            throw new MtlsException(Catalogue.Text("Inventory_DuplicateSerial", path, e.Message.TrimEnd('.')), ExitCode.Failed, e);
        }
        catch (SqliteException e)
        {
            throw new MtlsException(Catalogue.Text("Inventory_Error", path, e.Message.TrimEnd('.')), ExitCode.Failed, e);
        }
    }

    public void Dispose()
    {
        if (_pooled) { using var connection = new SqliteConnection(_connectionString); SqliteConnection.ClearPool(connection); }
    }
}
