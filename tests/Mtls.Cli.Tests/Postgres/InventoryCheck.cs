using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Mtls.Cli.Tests.Postgres;

/// <summary>
/// Whether an inventory survived what was done to it: the database's own check (PostgreSQL: every
/// constraint validated and present, every index checked against its table by amcheck; SQLite: PRAGMA
/// integrity_check) and a consistency query over the inventory's rules, which both share.
/// </summary>
public static class InventoryCheck
{
    private static readonly (string Rule, string Sql)[] Rules =
    [
        ("a used token names no recorded certificate", "SELECT count(*) FROM tokens t WHERE t.used_by IS NOT NULL AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.serial = t.used_by)"),
        ("one certificate recorded for two tokens", "SELECT count(*) FROM (SELECT used_by FROM tokens WHERE used_by IS NOT NULL GROUP BY used_by HAVING count(*) > 1) d"),
        ("a token with a use time but no certificate, or the reverse", "SELECT count(*) FROM tokens WHERE (used_at IS NULL) <> (used_by IS NULL)"),
        ("a renewal that names no recorded certificate", "SELECT count(*) FROM certificates a WHERE a.superseded_by IS NOT NULL AND NOT EXISTS (SELECT 1 FROM certificates b WHERE b.serial = a.superseded_by)"),
        ("a revocation without its time or reason", "SELECT count(*) FROM certificates WHERE (revoked_at IS NULL) <> (revocation_reason IS NULL)"),
        ("a certificate whose fingerprint is not SHA-256 hex", "SELECT count(*) FROM certificates WHERE length(sha256) <> 64"),
        ("a certificate valid for no time", "SELECT count(*) FROM certificates WHERE not_after <= not_before"),
        ("a counter missing from meta", "SELECT 3 - count(*) FROM meta WHERE key IN ('ca_sha256', 'crl_number', 'revocations')"),
    ];

    /// <summary>What is wrong with the PostgreSQL inventory at <paramref name="keywordForm"/>; empty when it is sound.</summary>
    public static List<string> Postgres(string keywordForm)
    {
        using var connection = new NpgsqlConnection(keywordForm);
        connection.Open();
        var problems = Consistency(connection);
        Exec(connection, "CREATE EXTENSION IF NOT EXISTS amcheck");
        // heapallindexed: every row of the table is found in the index (a primary key that lost a serial would show here).
        foreach (var index in Column(connection, "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace = current_schema()::regnamespace"))
            Exec(connection, $"SELECT bt_index_check('{index}'::regclass, true)");
        var constraints = Column(connection, "SELECT conname || ':' || convalidated FROM pg_constraint WHERE connamespace = current_schema()::regnamespace");
        foreach (var expected in new[] { "certificates_pkey", "tokens_pkey", "meta_pkey", "certificates_superseded_by_fkey", "tokens_used_by_fkey" })
            if (!constraints.Contains(expected + ":True", StringComparer.OrdinalIgnoreCase)) problems.Add($"constraint {expected} missing or not validated ({string.Join(", ", constraints)})");
        return problems;
    }

    /// <summary>What is wrong with the SQLite inventory file <paramref name="path"/>; empty when it is sound.</summary>
    public static List<string> Sqlite(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        var problems = Consistency(connection);
        var integrity = Column(connection, "PRAGMA integrity_check");
        if (integrity is not ["ok"]) problems.Add("PRAGMA integrity_check: " + string.Join("; ", integrity));
        return problems;
    }

    private static List<string> Consistency(DbConnection connection)
    {
        var problems = new List<string>();
        foreach (var (rule, sql) in Rules)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            var count = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
            if (count != 0) problems.Add($"{rule}: {count}");
        }
        return problems;
    }

    private static List<string> Column(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read()) values.Add(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture)!);
        return values;
    }

    private static void Exec(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
