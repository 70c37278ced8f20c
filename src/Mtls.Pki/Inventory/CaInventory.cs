using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Data.Sqlite;
using static Mtls.Pki.Inventory.InventorySchema;
using Mtls.Pki.Text;

namespace Mtls.Pki.Inventory;

/// <summary>
/// What a CA issued, kept in an SQLite file beside the CA certificate (server-ca.crt -> server-ca.db).
/// WAL mode and a busy timeout let several signers share one CA; every change is one transaction, so a
/// signer killed at any moment leaves the file consistent. Signers record a certificate before writing
/// its file: a crash can leave a recorded certificate that was never handed out, never the reverse.
/// </summary>
public sealed class CaInventory : IDisposable
{
    private readonly SqliteConnection _connection;

    private CaInventory(SqliteConnection connection, string path)
    {
        _connection = connection;
        Path = path;
    }

    public string Path { get; }

    /// <summary>The inventory file that goes with a CA certificate file: same name, extension .db.</summary>
    public static string DefaultPath(string caCertPath) => System.IO.Path.ChangeExtension(caCertPath, ".db");

    /// <summary>Opens (creating on first use) the inventory of <paramref name="ca"/>; refuses another CA's file.</summary>
    public static CaInventory Open(string path, X509Certificate2 ca)
    {
        if (Directory.Exists(path))
            throw new MtlsException(Catalogue.Text("Inventory_IsDirectory", path)) { Kind = MtlsErrorKind.InventoryPath };
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        if (!Directory.Exists(dir))
            throw new MtlsException(Catalogue.Text("Inventory_NoFolder", path, dir)) { Kind = MtlsErrorKind.InventoryPath };
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false, // close the file when disposed: tests delete folders, signers are short-lived
            DefaultTimeout = 60,
        };
        var connection = new SqliteConnection(builder.ToString());
        return Guard(path, () =>
        {
            try
            {
                connection.Open();
                Execute(connection, null, "PRAGMA busy_timeout = 60000");
                Scalar(connection, null, "PRAGMA journal_mode = WAL");
                Execute(connection, null, "PRAGMA synchronous = FULL"); // a CA's record must survive a power cut
                Ensure(connection, Convert.ToHexString(ca.GetCertHash(HashAlgorithmName.SHA256)), path);
                return new CaInventory(connection, path);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        });
    }

    /// <summary>Records newly issued certificates in one transaction.</summary>
    public void Record(IEnumerable<InventoryRecord> records) => Guard(Path, () =>
    {
        using var transaction = _connection.BeginTransaction(deferred: false);
        foreach (var record in records) Insert(transaction, record);
        transaction.Commit();
        return 0;
    });

    /// <summary>Records a renewal: the new certificate, and the old one marked superseded by it, at once.</summary>
    public void RecordRenewal(string oldSerial, InventoryRecord renewed) => Guard(Path, () =>
    {
        using var transaction = _connection.BeginTransaction(deferred: false);
        Insert(transaction, renewed);
        Execute(_connection, transaction, "UPDATE certificates SET superseded_by = $new WHERE serial = $old",
            ("$new", renewed.Serial), ("$old", oldSerial));
        transaction.Commit();
        return 0;
    });

    public InventoryRecord? Find(string serial) =>
        Query("WHERE serial = $s", ("$s", InventoryRecord.NormalizeSerial(serial))).FirstOrDefault();

    /// <summary>Every recorded certificate, soonest expiry first.</summary>
    public IReadOnlyList<InventoryRecord> List() => Query("");

    public IReadOnlyList<InventoryRecord> Revoked() => Query("WHERE revoked_at IS NOT NULL");

    /// <summary>Marks a certificate revoked; false when it already was (the first revocation stands).</summary>
    public bool Revoke(string serial, DateTimeOffset at, X509RevocationReason reason) => Guard(Path, () =>
        Execute(_connection, null, "UPDATE certificates SET revoked_at = $at, revocation_reason = $r WHERE serial = $s AND revoked_at IS NULL",
            ("$at", at.ToUnixTimeSeconds()), ("$r", (int)reason), ("$s", serial)) == 1);

    /// <summary>Takes the next CRL number (RFC 5280 5.2.3: monotonically increasing), kept across runs.</summary>
    public long NextCrlNumber() => Guard(Path, () =>
    {
        using var transaction = _connection.BeginTransaction(deferred: false);
        var next = Convert.ToInt64(Scalar(_connection, transaction, "SELECT value FROM meta WHERE key = 'crl_number'"), System.Globalization.CultureInfo.InvariantCulture) + 1;
        Execute(_connection, transaction, "UPDATE meta SET value = $n WHERE key = 'crl_number'", ("$n", next.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        transaction.Commit();
        return next;
    });

    private void Insert(SqliteTransaction transaction, InventoryRecord r) => Execute(_connection, transaction, """
        INSERT INTO certificates (serial, subject, sans, profile, not_before, not_after, sha256, issued_at, path)
        VALUES ($serial, $subject, $sans, $profile, $nb, $na, $sha, $at, $path)
        """,
        ("$serial", r.Serial), ("$subject", r.Subject), ("$sans", string.Join('\n', r.SubjectAltNames)), ("$profile", r.Profile),
        ("$nb", r.NotBefore.ToUnixTimeSeconds()), ("$na", r.NotAfter.ToUnixTimeSeconds()), ("$sha", r.Sha256Fingerprint),
        ("$at", r.IssuedAt.ToUnixTimeSeconds()), ("$path", r.Path));

    private List<InventoryRecord> Query(string where, params (string, object?)[] parameters) => Guard(Path, () =>
    {
        using var command = Command(_connection, null, $"""
            SELECT serial, subject, sans, profile, not_before, not_after, sha256, issued_at, path, revoked_at, revocation_reason, superseded_by
            FROM certificates {where} ORDER BY not_after, serial
            """, parameters);
        using var reader = command.ExecuteReader();
        var list = new List<InventoryRecord>();
        while (reader.Read())
        {
            var sans = reader.GetString(2);
            list.Add(new InventoryRecord(
                reader.GetString(0), reader.GetString(1),
                sans.Length == 0 ? [] : sans.Split('\n'),
                reader.GetString(3),
                DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(4)), DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(5)),
                reader.GetString(6), DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(7)),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(9)),
                reader.IsDBNull(10) ? null : (X509RevocationReason)reader.GetInt32(10),
                reader.IsDBNull(11) ? null : reader.GetString(11)));
        }
        return list;
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

    public void Dispose() => _connection.Dispose();
}
