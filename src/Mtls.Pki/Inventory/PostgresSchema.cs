using System.Globalization;
using Mtls.Pki.Text;
using Npgsql;
using static Mtls.Pki.Inventory.SqlInventory;

namespace Mtls.Pki.Inventory;

/// <summary>
/// The PostgreSQL twin of <see cref="InventorySchema"/>: the same tables (<see cref="InventorySql"/>'s
/// V1, V2 and V3 rendered for PostgreSQL: 64-bit times, renewals and used tokens that must name a recorded
/// certificate; then <see cref="AcmeSql.V4"/>, ACME's state), the version kept as meta's schema_version row (PostgreSQL has no user_version), and
/// the same refusals: a newer schema, tables that are not an inventory, another CA's inventory.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>Any fixed number: the advisory lock that makes nodes starting at once on an empty database create the tables once.</summary>
    private const long CreationLock = 0x6d746c73_696e76; // "mtlsinv"

    public static void Ensure(NpgsqlConnection connection, string caFingerprint, string description)
    {
        using var transaction = connection.BeginTransaction();
        Execute(connection, transaction, "SELECT pg_advisory_xact_lock(@lock)", ("@lock", CreationLock));
        var hasMeta = Scalar(connection, transaction, "SELECT to_regclass('meta') IS NOT NULL") is true;
        int version;
        if (!hasMeta)
        {
            var ours = Convert.ToInt64(Scalar(connection, transaction,
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ('certificates', 'tokens', 'events')"),
                CultureInfo.InvariantCulture);
            if (ours > 0) throw NotOurs(description);
            Execute(connection, transaction, InventorySql.Render(InventorySql.V1, InventoryDialect.Postgres));
            Execute(connection, transaction, InventorySql.MetaInit, ("@v", caFingerprint));
            Execute(connection, transaction, InventorySql.Render(InventorySql.V2, InventoryDialect.Postgres));
            Execute(connection, transaction, InventorySql.Render(InventorySql.V3, InventoryDialect.Postgres));
            Execute(connection, transaction, InventorySql.MetaVersionInit, ("@v", "3"));
            version = 3; // the steps below bring it to the current version
        }
        else
        {
            var text = Scalar(connection, transaction, InventorySql.MetaGet, ("@k", "schema_version")) as string;
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out version)) throw NotOurs(description);
        }
        if (version > InventorySchema.Version)
            throw new MtlsException(Catalogue.Text("Inventory_Newer", description, version, InventorySchema.Version));
        var owner = Scalar(connection, transaction, InventorySql.MetaGet, ("@k", "ca_sha256")) as string;
        if (owner != caFingerprint)
            throw MtlsException.Refused(Catalogue.Text("Inventory_OtherCa", description, owner), MtlsErrorKind.InventoryOfAnotherCa);
        // Version 2 is PostgreSQL's first: later versions migrate here, each step in this transaction
        // (under the advisory lock, so nodes starting at once on an older database migrate it once).
        if (version < 3) Execute(connection, transaction, InventorySql.Render(InventorySql.V3, InventoryDialect.Postgres));
        if (version < 4) Execute(connection, transaction, AcmeSql.V4);
        if (version < InventorySchema.Version)
            Execute(connection, transaction, InventorySql.MetaVersionSet, ("@v", InventorySchema.Version.ToString(CultureInfo.InvariantCulture)));
        transaction.Commit();
    }

    private static MtlsException NotOurs(string description) =>
        new(new Phrase(Resources.PostgresText.ResourceManager, "Postgres_NotOurs", description).ToString()) { Kind = MtlsErrorKind.InventoryPath };
}
