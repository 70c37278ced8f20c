using System.Data.Common;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Text;
using Npgsql;

namespace Mtls.Pki.Inventory;

/// <summary>
/// A CA's inventory in PostgreSQL, for several `mtls ca serve` nodes (and the offline commands) sharing
/// one CA. The operations and their concurrency rules are <see cref="SqlInventory"/>'s, unchanged: under
/// PostgreSQL's READ COMMITTED a conditional UPDATE that finds its row locked by another node waits for
/// it, then re-checks its condition on the committed row, so a token is used once and a certificate
/// renews once; serials are a primary key; counters are one UPDATE ... RETURNING. A node killed in a
/// transaction loses only that transaction (the server rolls it back when the connection drops).
/// Npgsql's slim data source: no reflection, Native-AOT publishable.
/// </summary>
public sealed class PostgresInventory : SqlInventory
{
    private readonly NpgsqlDataSource _source;

    private PostgresInventory(NpgsqlDataSource source, string description)
    {
        _source = source;
        Path = description;
    }

    /// <summary>postgres://user@host:port/database: where the inventory is, without the password.</summary>
    public override string Path { get; }

    public override InventoryDialect Dialect => InventoryDialect.Postgres;

    internal override bool IsUniqueViolation(DbException error) => error is PostgresException { SqlState: "23505" }; // unique_violation

    /// <summary>
    /// Opens the inventory of <paramref name="ca"/> in the database <paramref name="connectionString"/>
    /// names (a postgres:// URI or Npgsql's Host=... form), creating its tables on first use; refuses a
    /// database with another CA's inventory, or a newer schema.
    /// </summary>
    public static PostgresInventory Open(string connectionString, X509Certificate2 ca)
    {
        ArgumentNullException.ThrowIfNull(ca);
        var builder = PostgresConnectionString.Parse(connectionString);
        var description = PostgresConnectionString.Describe(builder);
        var sourceBuilder = new NpgsqlSlimDataSourceBuilder(builder.ConnectionString);
        sourceBuilder.EnableTransportSecurity(); // sslmode=require / verify-full
        var inventory = new PostgresInventory(sourceBuilder.Build(), description);
        try
        {
            inventory.Use(connection =>
            {
                PostgresSchema.Ensure((NpgsqlConnection)connection, Convert.ToHexString(ca.GetCertHash(HashAlgorithmName.SHA256)), description);
                return 0;
            });
            return inventory;
        }
        catch
        {
            inventory.Dispose();
            throw;
        }
    }

    protected override DbConnection OpenConnection() => _source.OpenConnection();

    protected override DbTransaction BeginWrite(DbConnection connection) => ((NpgsqlConnection)connection).BeginTransaction();

    /// <summary>PostgreSQL's and Npgsql's errors in one line naming host and database (never the password) and what to do.</summary>
    protected override MtlsException Explain(DbException error) => error switch
    {
        PostgresException { SqlState: "28P01" or "28000" } e => Say("Postgres_Login", ExitCode.Failed, e, e.MessageText),
        PostgresException { SqlState: "3D000" } e => Say("Postgres_NoDatabase", ExitCode.Failed, e, e.MessageText),
        PostgresException { SqlState: "42501" } e => Say("Postgres_Denied", ExitCode.Failed, e, e.MessageText),
        PostgresException { SqlState: "23505", TableName: "certificates" } e => // unique_violation: a serial recorded twice
            new MtlsException(Catalogue.Text("Inventory_DuplicateSerial", Path, e.MessageText.TrimEnd('.')), ExitCode.Failed, e),
        PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "53300" } e => Say("Postgres_Unreachable", ExitCode.Failed, e, e.MessageText),
        PostgresException e => Say("Postgres_Error", ExitCode.Failed, e, $"{e.SqlState}: {e.MessageText}"),
        NpgsqlException { InnerException: SocketException or TimeoutException or IOException } e =>
            Say("Postgres_Unreachable", ExitCode.Failed, e, $"{e.Message.TrimEnd('.')}: {e.InnerException!.Message}"),
        _ => Say("Postgres_Error", ExitCode.Failed, error, error.Message),
    };

    private MtlsException Say(string key, ExitCode code, Exception cause, string detail) =>
        new(new Phrase(Resources.PostgresText.ResourceManager, key, Path, detail.TrimEnd('.')).ToString(), code, cause);

    protected override void Dispose(bool disposing)
    {
        if (disposing) _source.Dispose();
    }
}
