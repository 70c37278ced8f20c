namespace Mtls.Pki.Inventory;

/// <summary>
/// The statements of the ACME state (<see cref="AcmeTables"/>), in <see cref="InventorySql"/>'s conventions:
/// one text for SQLite and PostgreSQL, @name parameters, times as BIGINT Unix seconds, conditional
/// statements whose row count is the answer. Objects are kept as JSON documents (written by the ACME
/// module) with the columns the store looks them up by beside them; an update is a compare-and-swap on
/// the whole document (WHERE document = @expected), so two nodes racing on one order cannot both move it.
/// The one dialect difference is the comment /*skip_locked*/ in the purges, which <see cref="Render"/>
/// turns into FOR UPDATE SKIP LOCKED for PostgreSQL: nodes purging at once take disjoint rows instead of
/// waiting on (or deadlocking over) each other's.
/// </summary>
public static class AcmeSql
{
    /// <summary>The statement <paramref name="sql"/> in <paramref name="dialect"/>.</summary>
    public static string Render(string sql, InventoryDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(sql);
        return sql.Replace("/*skip_locked*/", dialect == InventoryDialect.Postgres ? " FOR UPDATE SKIP LOCKED" : "", StringComparison.Ordinal);
    }

    /// <summary>Version 3 to 4: ACME's nonces, accounts, orders, authorizations and certificates, shared by every CA node.</summary>
    public const string V4 = """
        CREATE TABLE acme_nonces (
            nonce      TEXT PRIMARY KEY,
            expires_at BIGINT NOT NULL
        );
        CREATE INDEX acme_nonces_expires ON acme_nonces (expires_at);
        CREATE TABLE acme_accounts (
            id             TEXT PRIMARY KEY,
            key_thumbprint TEXT NOT NULL UNIQUE,
            status         TEXT NOT NULL,
            created_at     BIGINT NOT NULL,
            document       TEXT NOT NULL
        );
        CREATE TABLE acme_orders (
            id         TEXT PRIMARY KEY,
            account_id TEXT NOT NULL,
            status     TEXT NOT NULL,
            expires_at BIGINT NOT NULL,
            document   TEXT NOT NULL
        );
        CREATE INDEX acme_orders_account ON acme_orders (account_id);
        CREATE INDEX acme_orders_expires ON acme_orders (expires_at);
        CREATE TABLE acme_authorizations (
            id         TEXT PRIMARY KEY,
            account_id TEXT NOT NULL,
            status     TEXT NOT NULL,
            expires_at BIGINT NOT NULL,
            document   TEXT NOT NULL
        );
        CREATE INDEX acme_authorizations_expires ON acme_authorizations (expires_at);
        CREATE TABLE acme_certificates (
            id          TEXT PRIMARY KEY,
            account_id  TEXT NOT NULL,
            leaf_sha256 TEXT NOT NULL UNIQUE,
            document    TEXT NOT NULL
        );
        """;

    public const string InsertNonce = "INSERT INTO acme_nonces (nonce, expires_at) VALUES (@nonce, @expires)";

    /// <summary>Uses a nonce: one row deleted means this caller had it; 0 means unknown, used (by any node) or expired.</summary>
    public const string ConsumeNonce = "DELETE FROM acme_nonces WHERE nonce = @nonce AND expires_at > @now";

    /// <summary>At most @limit expired nonces, so each purge is cheap however many piled up.</summary>
    public const string PurgeNonces = """
        DELETE FROM acme_nonces WHERE nonce IN (SELECT nonce FROM acme_nonces WHERE expires_at <= @now LIMIT @limit/*skip_locked*/)
        """;

    /// <summary>Adds an account unless its key (or id) is taken; the caller then reads the account that has the key.</summary>
    public const string InsertAccount = """
        INSERT INTO acme_accounts (id, key_thumbprint, status, created_at, document) VALUES (@id, @key, @status, @created, @document)
        ON CONFLICT DO NOTHING
        """;

    public const string SelectAccount = "SELECT document FROM acme_accounts WHERE id = @id";
    public const string SelectAccountByKey = "SELECT document FROM acme_accounts WHERE key_thumbprint = @key";

    /// <summary>Replaces an account still as <c>@expected</c> whose new key no other account has (the UNIQUE key settles a race).</summary>
    public const string UpdateAccount = """
        UPDATE acme_accounts SET key_thumbprint = @key, status = @status, document = @document
        WHERE id = @id AND document = @expected
          AND NOT EXISTS (SELECT 1 FROM acme_accounts other WHERE other.key_thumbprint = @key AND other.id <> @id)
        """;

    public const string InsertOrder = """
        INSERT INTO acme_orders (id, account_id, status, expires_at, document) VALUES (@id, @account, @status, @expires, @document)
        """;

    public const string SelectOrder = "SELECT document FROM acme_orders WHERE id = @id";
    public const string SelectOrderIds = "SELECT id FROM acme_orders WHERE account_id = @account ORDER BY expires_at, id";
    public const string UpdateOrder = "UPDATE acme_orders SET status = @status, expires_at = @expires, document = @document WHERE id = @id AND document = @expected";

    /// <summary>Orders expired before @cutoff, at most @limit of them.</summary>
    public const string PurgeOrders = """
        DELETE FROM acme_orders WHERE id IN (SELECT id FROM acme_orders WHERE expires_at < @cutoff LIMIT @limit/*skip_locked*/)
        """;

    public const string InsertAuthorization = """
        INSERT INTO acme_authorizations (id, account_id, status, expires_at, document) VALUES (@id, @account, @status, @expires, @document)
        """;

    public const string SelectAuthorization = "SELECT document FROM acme_authorizations WHERE id = @id";
    public const string UpdateAuthorization = """
        UPDATE acme_authorizations SET status = @status, expires_at = @expires, document = @document WHERE id = @id AND document = @expected
        """;

    /// <summary>Authorizations (which expire with their order) expired before @cutoff, at most @limit of them.</summary>
    public const string PurgeAuthorizations = """
        DELETE FROM acme_authorizations WHERE id IN (SELECT id FROM acme_authorizations WHERE expires_at < @cutoff LIMIT @limit/*skip_locked*/)
        """;

    public const string InsertCertificate = """
        INSERT INTO acme_certificates (id, account_id, leaf_sha256, document) VALUES (@id, @account, @leaf, @document)
        """;

    public const string SelectCertificate = "SELECT document FROM acme_certificates WHERE id = @id";
    public const string SelectCertificateByLeaf = "SELECT document FROM acme_certificates WHERE leaf_sha256 = @leaf";
}
