namespace Mtls.Pki.Inventory;

/// <summary>
/// Every statement the inventory runs, in one place, written in the SQL that SQLite and PostgreSQL share
/// (named parameters as @name, conditional updates whose row count is the answer, times in Unix seconds
/// as BIGINT: SQLite's INTEGER is 64-bit like it, PostgreSQL's INTEGER would end in 2038): both
/// implementations of <see cref="ICaStore"/> run these same texts. The schema texts are valid SQLite as
/// written; their one dialect difference is the comment /*certificate_ref*/, which <see cref="Render"/>
/// turns into a foreign key for PostgreSQL (a renewal or a used token must name a recorded certificate,
/// checked at commit) and SQLite ignores (its files never had foreign keys enforced).
/// </summary>
public static class InventorySql
{
    /// <summary>The schema text <paramref name="sql"/> in <paramref name="dialect"/>.</summary>
    public static string Render(string sql, InventoryDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(sql);
        return dialect == InventoryDialect.Postgres
            ? sql.Replace("/*certificate_ref*/", " REFERENCES certificates (serial) DEFERRABLE INITIALLY DEFERRED", StringComparison.Ordinal)
            : sql;
    }

    /// <summary>Schema version 1 (mtls before the online CA).</summary>
    public const string V1 = """
        CREATE TABLE meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE certificates (
            serial            TEXT PRIMARY KEY,
            subject           TEXT NOT NULL,
            sans              TEXT NOT NULL,
            profile           TEXT NOT NULL,
            not_before        BIGINT NOT NULL,
            not_after         BIGINT NOT NULL,
            sha256            TEXT NOT NULL,
            issued_at         BIGINT NOT NULL,
            path              TEXT,
            revoked_at        BIGINT,
            revocation_reason INTEGER,
            superseded_by     TEXT/*certificate_ref*/
        );
        CREATE INDEX certificates_not_after ON certificates (not_after);
        """;

    /// <summary>Version 1 to 2 (the online CA): enrollment tokens (hashes only), the events record, the revocation version.</summary>
    public const string V2 = """
        CREATE TABLE tokens (
            hash       TEXT PRIMARY KEY,
            names      TEXT NOT NULL,
            profile    TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL,
            used_at    BIGINT,
            used_by    TEXT/*certificate_ref*/
        );
        CREATE TABLE events (
            at     BIGINT NOT NULL,
            kind   TEXT NOT NULL,
            type   TEXT NOT NULL,
            detail TEXT NOT NULL,
            serial TEXT,
            remote TEXT
        );
        CREATE INDEX events_at ON events (at);
        INSERT INTO meta (key, value) VALUES ('revocations', '0');
        """;

    /// <summary>
    /// Version 2 to 3: a token may bind the subject CN the certificate will carry (a client's identity is
    /// its CN: `ca token --cn "Super Client"`); NULL for tokens that bind names only, as every v2 token did.
    /// </summary>
    public const string V3 = """
        ALTER TABLE tokens ADD COLUMN common_name TEXT;
        """;

    /// <summary>PostgreSQL has no user_version: the schema version is a row of meta (written by <see cref="PostgresSchema"/>).</summary>
    public const string MetaVersionInit = "INSERT INTO meta (key, value) VALUES ('schema_version', @v)";

    public const string MetaInit = "INSERT INTO meta (key, value) VALUES ('ca_sha256', @v), ('crl_number', '0')";
    public const string MetaGet = "SELECT value FROM meta WHERE key = @k";
    public const string MetaVersionSet = "UPDATE meta SET value = @v WHERE key = 'schema_version'";
    public const string MetaSet = "UPDATE meta SET value = @v WHERE key = @k";
    /// <summary>Adds one to a counter in meta (crl_number, revocations) and returns the new value.</summary>
    public const string MetaIncrement = "UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS TEXT) WHERE key = @k RETURNING value";

    public const string InsertCertificate = """
        INSERT INTO certificates (serial, subject, sans, profile, not_before, not_after, sha256, issued_at, path)
        VALUES (@serial, @subject, @sans, @profile, @nb, @na, @sha, @at, @path)
        """;

    /// <summary>The offline renewal (ca holder): marks the old certificate whatever it was.</summary>
    public const string Supersede = "UPDATE certificates SET superseded_by = @new WHERE serial = @old";

    /// <summary>The online renewal: only a certificate not yet renewed may be; 0 rows means another renewal won.</summary>
    public const string SupersedeIfNewest = "UPDATE certificates SET superseded_by = @new WHERE serial = @old AND superseded_by IS NULL";

    public const string SelectCertificates = """
        SELECT serial, subject, sans, profile, not_before, not_after, sha256, issued_at, path, revoked_at, revocation_reason, superseded_by
        FROM certificates
        """;
    public const string WhereSerial = " WHERE serial = @s";
    public const string WhereRevoked = " WHERE revoked_at IS NOT NULL";
    public const string OrderByExpiry = " ORDER BY not_after, serial";

    public const string Revoke = "UPDATE certificates SET revoked_at = @at, revocation_reason = @r WHERE serial = @s AND revoked_at IS NULL";

    public const string InsertToken = """
        INSERT INTO tokens (hash, names, profile, common_name, created_at, expires_at) VALUES (@hash, @names, @profile, @cn, @created, @expires)
        """;
    public const string SelectToken = "SELECT hash, names, profile, created_at, expires_at, used_at, used_by, common_name FROM tokens WHERE hash = @hash";

    /// <summary>Uses a token: one row changed means this caller used it; 0 means unknown, used or expired.</summary>
    public const string RedeemToken = "UPDATE tokens SET used_at = @now, used_by = @serial WHERE hash = @hash AND used_at IS NULL AND expires_at > @now";

    public const string InsertEvent = "INSERT INTO events (at, kind, type, detail, serial, remote) VALUES (@at, @kind, @type, @detail, @serial, @remote)";
    public const string SelectEvents = "SELECT at, kind, type, detail, serial, remote FROM events ORDER BY at";
}
