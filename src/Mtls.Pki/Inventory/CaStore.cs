using System.Security.Cryptography.X509Certificates;

namespace Mtls.Pki.Inventory;

/// <summary>Opens the store that --db names: a PostgreSQL connection string, else an SQLite file (beside the CA certificate by default).</summary>
public static class CaStore
{
    /// <summary>
    /// <paramref name="db"/>: postgres://... or Host=...; for PostgreSQL, a file path for SQLite, null for
    /// the SQLite file beside <paramref name="caCertPath"/>. <paramref name="pooled"/>: a long-running
    /// server keeps SQLite connections open (PostgreSQL's are always pooled).
    /// </summary>
    public static ICaStore Open(string? db, string caCertPath, X509Certificate2 ca, bool pooled = false) =>
        db is not null && PostgresConnectionString.Matches(db)
            ? PostgresInventory.Open(db, ca)
            : CaInventory.Open(db ?? CaInventory.DefaultPath(caCertPath), ca, pooled);
}
