using Mtls.Pki.Inventory;
using Npgsql;

namespace Mtls.Cli.Tests.Postgres;

/// <summary>
/// --db with a PostgreSQL connection string in the offline commands (ca sign, list, revoke, crl, token),
/// the schema's version and owner checks, and connection failures said in one line that names host and
/// database, never the password.
/// </summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresCliTests(PostgresServer postgres) : IDisposable
{
    private readonly TestCa _ca = new();

    [Fact]
    public void Sign_list_revoke_and_crl_share_one_database_in_either_connection_string_form()
    {
        var uri = postgres.NewDatabase();
        var keywords = postgres.KeywordForm(PostgresServer.DatabaseOf(uri));
        var csr = Tool.OpensslIn(_ca.Folder, "openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout s.key -subj /CN=api.internal -out s.csr");
        Assert.True(csr.ExitCode == 0, csr.ToString());
        var signed = Cli.Run("ca", "sign", _ca["s.csr"], "--ca-cert", _ca.Cert, "--ca-key", _ca.Key, "--profile", "server", "--out", _ca["s.crt"], "--db", uri);
        Assert.True(signed.ExitCode == 0, signed.ToString());
        Assert.Contains($"postgres://postgres@127.0.0.1:{postgres.Port}/{PostgresServer.DatabaseOf(uri)}", signed.Stdout + signed.Stderr, StringComparison.Ordinal);

        var listed = Cli.Run("ca", "list", "--ca-cert", _ca.Cert, "--db", keywords, "--json");
        Assert.True(listed.ExitCode == 0, listed.ToString());
        var serial = Tool.Openssl("x509", "-in", _ca["s.crt"], "-noout", "-serial").Stdout.Trim().Split('=')[1];
        Assert.Contains(serial, listed.Stdout, StringComparison.OrdinalIgnoreCase);

        var revoked = Cli.Run("ca", "revoke", _ca["s.crt"], "--ca-cert", _ca.Cert, "--ca-key", _ca.Key, "--db", keywords);
        Assert.True(revoked.ExitCode == 0, revoked.ToString());
        for (var i = 1; i <= 2; i++)
        {
            var crl = Cli.Run("ca", "crl", "--ca-cert", _ca.Cert, "--ca-key", _ca.Key, "--db", uri, "--out", _ca[$"{i}.crl"]);
            Assert.True(crl.ExitCode == 0, crl.ToString());
            var read = Tool.Openssl("crl", "-in", _ca[$"{i}.crl"], "-noout", "-crlnumber", "-text");
            Assert.Contains($"crlNumber=0x0{i}", read.Stdout, StringComparison.Ordinal);
            Assert.Contains(serial, read.Stdout, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Empty(InventoryCheck.Postgres(keywords));
    }

    [Fact]
    public void Another_cas_database_and_a_newer_schema_are_refused()
    {
        var uri = postgres.NewDatabase();
        Assert.Equal(0, Cli.Run("ca", "list", "--ca-cert", _ca.Cert, "--db", uri).ExitCode);
        using var other = new TestCa("CN=Other CA");
        var refused = Cli.Run("ca", "list", "--ca-cert", other.Cert, "--db", uri);
        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith("mtls: error: ", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("another CA", refused.Stderr, StringComparison.Ordinal);

        using (var connection = new NpgsqlConnection(postgres.KeywordForm(PostgresServer.DatabaseOf(uri))))
        {
            connection.Open();
            using var command = new NpgsqlCommand("UPDATE meta SET value = '99' WHERE key = 'schema_version'", connection);
            Assert.Equal(1, command.ExecuteNonQuery());
        }
        var newer = Cli.Run("ca", "list", "--ca-cert", _ca.Cert, "--db", uri);
        Assert.NotEqual(0, newer.ExitCode);
        Assert.Contains("schema version 99", newer.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_version_2_database_migrates_to_the_current_version_keeping_its_tokens()
    {
        var uri = postgres.NewDatabase();
        var keywords = postgres.KeywordForm(PostgresServer.DatabaseOf(uri));
        using (var connection = new NpgsqlConnection(keywords))
        {
            // The database as mtls made it before tokens could bind a CN: schema version 2, one token.
            connection.Open();
            var fingerprint = Convert.ToHexString(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(_ca.Cert)
                .GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256));
            using var command = new NpgsqlCommand(
                InventorySql.Render(InventorySql.V1, InventoryDialect.Postgres) + InventorySql.Render(InventorySql.V2, InventoryDialect.Postgres) +
                $"INSERT INTO meta (key, value) VALUES ('ca_sha256', '{fingerprint}'), ('crl_number', '0'), ('schema_version', '2');" +
                "INSERT INTO tokens (hash, names, profile, created_at, expires_at) VALUES ('OLD', 'DNS:api.internal', 'server', 0, 9999999999);",
                connection);
            command.ExecuteNonQuery();
        }
        var token = Cli.Run("ca", "token", "--ca-cert", _ca.Cert, "--db", uri, "--san", "localhost");
        Assert.True(token.ExitCode == 0, token.ToString());
        using (var connection = new NpgsqlConnection(keywords))
        {
            connection.Open();
            using var version = new NpgsqlCommand("SELECT value FROM meta WHERE key = 'schema_version'", connection);
            Assert.Equal("4", version.ExecuteScalar()); // through 3 (tokens binding a CN) to the current 4 (ACME state)
            using var tokens = new NpgsqlCommand("SELECT count(*), count(common_name) FROM tokens", connection);
            using var reader = tokens.ExecuteReader();
            Assert.True(reader.Read());
            Assert.Equal(2L, reader.GetInt64(0)); // the v2 token kept, the new one added
            Assert.Equal(0L, reader.GetInt64(1)); // neither binds a CN
        }
        // Tokens that bind a CN, a batch in one transaction, on the migrated database.
        var batch = Cli.Run("ca", "token", "--ca-cert", _ca.Cert, "--db", uri, "--profile", "client", "--cn", "Super Client", "--count", "3");
        Assert.True(batch.ExitCode == 0, batch.ToString());
        Assert.Equal(3, batch.Stdout.TrimEnd('\n').Split('\n').Length);
        using (var connection = new NpgsqlConnection(keywords))
        {
            connection.Open();
            using var bound = new NpgsqlCommand("SELECT count(*) FROM tokens WHERE common_name = 'Super Client' AND names = '' AND profile = 'client'", connection);
            Assert.Equal(3L, bound.ExecuteScalar());
        }
        Assert.Equal(0, Cli.Run("ca", "list", "--ca-cert", _ca.Cert, "--db", uri).ExitCode); // a current database opens unchanged
    }

    [Fact]
    public void Tables_that_are_not_an_inventory_are_refused_not_used()
    {
        var uri = postgres.NewDatabase();
        using (var connection = new NpgsqlConnection(postgres.KeywordForm(PostgresServer.DatabaseOf(uri))))
        {
            connection.Open();
            using var command = new NpgsqlCommand("CREATE TABLE certificates (id int)", connection);
            command.ExecuteNonQuery();
        }
        var refused = Cli.Run("ca", "token", "--ca-cert", _ca.Cert, "--db", uri, "--san", "localhost");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("not an mtls inventory", refused.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres://mtls:Sekr3t-pw@127.0.0.1:1/mtls_ca", "postgres://mtls@127.0.0.1:1/mtls_ca", "cannot connect")]
    [InlineData("Host=127.0.0.1;Port=1;Database=mtls_ca;Username=mtls;Password=Sekr3t-pw", "postgres://mtls@127.0.0.1:1/mtls_ca", "cannot connect")]
    public void An_unreachable_server_is_one_line_naming_host_and_database_without_the_password(string db, string named, string said)
    {
        var result = Cli.Run("ca", "list", "--ca-cert", _ca.Cert, "--db", db);
        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.Stderr.TrimEnd().Split('\n'));
        Assert.StartsWith("mtls: error: " + named + ": " + said, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Sekr3t", result.Stderr + result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_database_is_named_with_what_to_do()
    {
        var db = $"postgres://postgres:Sekr3t-pw@127.0.0.1:{postgres.Port}/no_such_db";
        var result = Cli.Run("ca", "serve", "--ca-cert", _ca.Cert, "--ca-key", _ca.Key, "--db", db, "--port", "0");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"mtls: error: postgres://postgres@127.0.0.1:{postgres.Port}/no_such_db: no such database on the PostgreSQL server (database \"no_such_db\" does not exist); create it (createdb -O USER DATABASE) or name another one in --db.",
            result.Stderr.TrimEnd());
    }

    [Theory]
    [InlineData("postgres://ca%40x:p%3Ass@db.internal:6432/mtls%20ca?sslmode=verify-full&application_name=node1", "ca@x", "p:ss", "db.internal", 6432, "mtls ca", "VerifyFull")]
    [InlineData("postgresql://db.internal/mtls", null, null, "db.internal", 5432, "mtls", "Prefer")]
    [InlineData("postgres://u@[::1]:5433/d", "u", null, "::1", 5433, "d", "Prefer")]
    [InlineData("postgres:///d?host=/var/run/postgresql", null, null, "/var/run/postgresql", 5432, "d", "Prefer")]
    [InlineData("Host=db.internal;Port=6432;Database=mtls;Username=ca;Password=pw;SSL Mode=Require", "ca", "pw", "db.internal", 6432, "mtls", "Require")]
    public void Connection_strings_are_read_as_libpq_and_npgsql_mean_them(string db, string? user, string? password, string host, int port, string database, string ssl)
    {
        Assert.True(PostgresConnectionString.Matches(db));
        var builder = PostgresConnectionString.Parse(db);
        Assert.Equal((user, password, host, port, database, ssl), (builder.Username, builder.Password, builder.Host, builder.Port, builder.Database, builder.SslMode.ToString()));
        Assert.DoesNotContain(password ?? "\0", PostgresConnectionString.Describe(builder), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ca.db")]
    [InlineData("/var/lib/mtls/server-ca.db")]
    [InlineData("./postgres/ca.db")]
    public void File_paths_stay_sqlite(string db) => Assert.False(PostgresConnectionString.Matches(db));

    public void Dispose() => _ca.Dispose();
}
