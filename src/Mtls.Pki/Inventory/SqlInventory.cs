using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;

namespace Mtls.Pki.Inventory;

/// <summary>
/// The inventory's operations, once, over ADO.NET: the statements are <see cref="InventorySql"/>'s and
/// the rules that matter under concurrency are theirs (conditional updates whose row count is the
/// answer, a primary key on the serial, counters taken by UPDATE ... RETURNING), so they hold on
/// whichever database and however many processes share it. A dialect supplies connections, its write
/// transaction and the one-line form of its errors: <see cref="CaInventory"/> (SQLite),
/// <see cref="PostgresInventory"/> (PostgreSQL). Each operation uses a connection of its own (from the
/// provider's pool), so one instance serves concurrent requests.
/// </summary>
public abstract class SqlInventory : ICaStore
{
    private AcmeTables? _acme;

    public abstract string Path { get; }

    /// <summary>The SQL this database speaks where the dialects differ (<see cref="InventorySql.Render"/>, <see cref="AcmeSql.Render"/>).</summary>
    public abstract InventoryDialect Dialect { get; }

    /// <summary>ACME's state (accounts, orders, nonces) in this inventory, shared by every process on it.</summary>
    public AcmeTables Acme => _acme ??= new AcmeTables(this);

    /// <summary>True when <paramref name="error"/> is a UNIQUE or PRIMARY KEY constraint refusing a duplicate.</summary>
    internal abstract bool IsUniqueViolation(DbException error);

    /// <summary>An open connection, set up for the inventory.</summary>
    protected abstract DbConnection OpenConnection();

    /// <summary>A transaction that may write (SQLite takes its write lock at once: no upgrade deadlock).</summary>
    protected abstract DbTransaction BeginWrite(DbConnection connection);

    /// <summary>The database's error as an <see cref="MtlsException"/> naming the store and what to do.</summary>
    protected abstract MtlsException Explain(DbException error);

    /// <summary>
    /// This process's group committer for the database, or null for one transaction per call. SQLite has
    /// one writer per file and one fdatasync per commit: its writers share transactions (<see cref="GroupCommit"/>).
    /// PostgreSQL flushes concurrent commits together itself and keeps one transaction per call.
    /// </summary>
    internal virtual GroupCommit? Committer => null;

    public void Record(IEnumerable<InventoryRecord> records) => InTransaction((c, t) =>
    {
        foreach (var record in records) Insert(c, t, record);
        return true;
    });

    public void RecordRenewal(string oldSerial, InventoryRecord renewed) => InTransaction((c, t) =>
    {
        ArgumentNullException.ThrowIfNull(renewed);
        Insert(c, t, renewed);
        Execute(c, t, InventorySql.Supersede, ("@new", renewed.Serial), ("@old", oldSerial));
        return true;
    });

    public bool TryRecordRenewal(string oldSerial, InventoryRecord renewed, CaEvent? recorded = null) => InTransaction((c, t) =>
    {
        ArgumentNullException.ThrowIfNull(renewed);
        // The mark first: when another renewal of the old certificate won, nothing is inserted.
        if (Execute(c, t, InventorySql.SupersedeIfNewest, ("@new", renewed.Serial), ("@old", oldSerial)) != 1) return false;
        Insert(c, t, renewed);
        if (recorded is not null) Insert(c, t, recorded);
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

    /// <summary>One UPDATE ... RETURNING: the database hands each caller, in any process, its own number.</summary>
    public long NextCrlNumber() => InTransaction((c, t) => Number(Scalar(c, t, InventorySql.MetaIncrement, ("@k", "crl_number"))));

    public void AddToken(TokenRecord token)
    {
        ArgumentNullException.ThrowIfNull(token);
        AddTokens([token]);
    }

    public void AddTokens(IReadOnlyList<TokenRecord> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        InTransaction((c, t) =>
        {
            foreach (var token in tokens)
                Execute(c, t, InventorySql.InsertToken, ("@hash", token.Hash), ("@names", string.Join('\n', token.Names)), ("@profile", token.Profile),
                    ("@cn", token.CommonName), ("@created", token.CreatedAt.ToUnixTimeSeconds()), ("@expires", token.ExpiresAt.ToUnixTimeSeconds()));
            return true;
        });
    }

    public TokenRecord? FindToken(string hash) => Use(c =>
    {
        using var command = Command(c, null, InventorySql.SelectToken, ("@hash", hash));
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return null;
        var names = reader.GetString(1);
        return new TokenRecord(reader.GetString(0), names.Length == 0 ? [] : names.Split('\n'), reader.GetString(2),
            Time(reader.GetInt64(3)), Time(reader.GetInt64(4)),
            reader.IsDBNull(5) ? null : Time(reader.GetInt64(5)), reader.IsDBNull(6) ? null : reader.GetString(6),
            reader.IsDBNull(7) ? null : reader.GetString(7));
    });

    public TokenRedemption RedeemToken(string hash, DateTimeOffset now, InventoryRecord issued, CaEvent? recorded = null)
    {
        ArgumentNullException.ThrowIfNull(issued);
        var redeemed = InTransaction((c, t) =>
        {
            // A concurrent use of the same token waits for this row and then finds used_at set: 0 rows.
            if (Execute(c, t, InventorySql.RedeemToken, ("@now", now.ToUnixTimeSeconds()), ("@serial", issued.Serial), ("@hash", hash)) != 1) return false;
            Insert(c, t, issued);
            if (recorded is not null) Insert(c, t, recorded);
            return true;
        });
        if (redeemed) return TokenRedemption.Redeemed;
        var token = FindToken(hash);
        return token is null ? TokenRedemption.Unknown : token.UsedAt is not null ? TokenRedemption.AlreadyUsed : TokenRedemption.Expired;
    }

    public void RecordEvent(CaEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        InTransaction((c, t) => Insert(c, t, e));
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

    private static void Insert(DbConnection c, DbTransaction t, InventoryRecord r) => Execute(c, t, InventorySql.InsertCertificate,
        ("@serial", r.Serial), ("@subject", r.Subject), ("@sans", string.Join('\n', r.SubjectAltNames)), ("@profile", r.Profile),
        ("@nb", r.NotBefore.ToUnixTimeSeconds()), ("@na", r.NotAfter.ToUnixTimeSeconds()), ("@sha", r.Sha256Fingerprint),
        ("@at", r.IssuedAt.ToUnixTimeSeconds()), ("@path", r.Path));

    private static int Insert(DbConnection c, DbTransaction t, CaEvent e) => Execute(c, t, InventorySql.InsertEvent,
        ("@at", e.At.ToUnixTimeSeconds()), ("@kind", e.Kind), ("@type", e.Type), ("@detail", e.Detail), ("@serial", e.Serial), ("@remote", e.Remote));

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

    /// <summary>
    /// Runs <paramref name="action"/> in a write transaction; commits when it returns, rolls back when it
    /// throws (with a <see cref="Committer"/>: in a savepoint of a transaction shared with concurrent
    /// callers, committed before this returns). The action must not write to this inventory itself.
    /// </summary>
    internal T InTransaction<T>(Func<DbConnection, DbTransaction, T> action) => Committer is { } committer
        ? committer.Run(action, OpenConnection, BeginWrite, Explain)
        : Use(c => Commit(c, action));

    private T Commit<T>(DbConnection c, Func<DbConnection, DbTransaction, T> action)
    {
        using var transaction = BeginWrite(c);
        var result = action(c, transaction);
        transaction.Commit();
        return result;
    }

    /// <summary>Runs <paramref name="action"/> on a connection of its own, with the database's errors said in one line.</summary>
    protected internal T Use<T>(Func<DbConnection, T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            using var connection = OpenConnection();
            return action(connection);
        }
        catch (DbException e)
        {
            throw Explain(e);
        }
    }

    internal static object? Scalar(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteScalar();
    }

    internal static int Execute(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    internal static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing) { }
}
