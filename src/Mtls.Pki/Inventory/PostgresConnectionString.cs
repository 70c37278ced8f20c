using System.Globalization;
using System.Text.RegularExpressions;
using Mtls.Pki.Text;
using Npgsql;

namespace Mtls.Pki.Inventory;

/// <summary>
/// What --db says when it names a PostgreSQL database rather than an SQLite file: a libpq URI
/// (postgres://user:password@host:port/database?sslmode=require) or Npgsql's keyword form
/// (Host=...;Database=...). The URI is turned into Npgsql's form here (Npgsql reads only keywords);
/// <see cref="Describe"/> is how messages name the database, never with its password.
/// </summary>
public static partial class PostgresConnectionString
{
    /// <summary>libpq's URI parameters that Npgsql spells differently (others are passed as Npgsql keywords).</summary>
    private static readonly Dictionary<string, string> LibpqNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["dbname"] = "Database",
        ["user"] = "Username",
        ["sslmode"] = "SSL Mode",
        ["sslrootcert"] = "Root Certificate",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["sslpassword"] = "SSL Password",
        ["connect_timeout"] = "Timeout",
        ["application_name"] = "Application Name",
        ["target_session_attrs"] = "Target Session Attributes",
    };

    /// <summary>True when <paramref name="db"/> is a PostgreSQL connection string, not a file path.</summary>
    public static bool Matches(string db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || db.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            || KeywordHost().IsMatch(db);
    }

    /// <summary>The Npgsql form of <paramref name="db"/>; a string it cannot use is one line saying which part (never the password).</summary>
    public static NpgsqlConnectionStringBuilder Parse(string db)
    {
        ArgumentNullException.ThrowIfNull(db);
        try
        {
            return db.Contains("://", StringComparison.Ordinal) ? FromUri(db) : new NpgsqlConnectionStringBuilder(db);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            throw new MtlsException(new Phrase(Resources.PostgresText.ResourceManager, "Postgres_BadConnectionString", e.Message.TrimEnd('.')).ToString());
        }
    }

    /// <summary>The database as messages name it: postgres://user@host:port/database, without the password.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var user = string.IsNullOrEmpty(builder.Username) ? "" : builder.Username + "@";
        var host = builder.Host ?? "localhost";
        var port = host.Contains(',', StringComparison.Ordinal) || host.StartsWith('/') ? "" : ":" + builder.Port.ToString(CultureInfo.InvariantCulture);
        return $"postgres://{user}{host}{port}/{builder.Database ?? builder.Username ?? ""}";
    }

    private static NpgsqlConnectionStringBuilder FromUri(string uri)
    {
        var rest = uri[(uri.IndexOf("://", StringComparison.Ordinal) + 3)..];
        string? query = null;
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0) (rest, query) = (rest[..q], rest[(q + 1)..]);
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash >= 0 ? rest[..slash] : rest;
        var database = slash >= 0 ? Uri.UnescapeDataString(rest[(slash + 1)..]) : "";
        var builder = new NpgsqlConnectionStringBuilder();
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = authority[..at];
            authority = authority[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon >= 0 ? userInfo[..colon] : userInfo);
            if (colon >= 0) builder.Password = Uri.UnescapeDataString(userInfo[(colon + 1)..]);
        }
        if (authority.Length > 0) SetHost(builder, Uri.UnescapeDataString(authority));
        if (database.Length > 0) builder.Database = database;
        foreach (var pair in (query ?? "").Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw new ArgumentException($"URI parameter '{pair}' has no value");
            var key = Uri.UnescapeDataString(pair[..eq]);
            var value = Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            if (key.Equals("host", StringComparison.OrdinalIgnoreCase)) SetHost(builder, value);
            else if (key.Equals("sslmode", StringComparison.OrdinalIgnoreCase)) builder["SSL Mode"] = value.Replace("-", "", StringComparison.Ordinal); // verify-full -> VerifyFull
            else builder[LibpqNames.GetValueOrDefault(key, key)] = value;
        }
        return builder;
    }

    /// <summary>host, host:port, [v6]:port, or several of them comma-separated (passed on as Npgsql's Host list).</summary>
    private static void SetHost(NpgsqlConnectionStringBuilder builder, string authority)
    {
        if (authority.Contains(',', StringComparison.Ordinal) || authority.StartsWith('/'))
        {
            builder.Host = authority;
            return;
        }
        var close = authority.LastIndexOf(']');
        var colon = authority.LastIndexOf(':');
        if (colon > close && (close >= 0 || authority.IndexOf(':', StringComparison.Ordinal) == colon))
        {
            builder.Port = int.Parse(authority[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture);
            authority = authority[..colon];
        }
        builder.Host = authority.Trim('[', ']');
    }

    [GeneratedRegex(@"(^|;)\s*(host|server)\s*=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KeywordHost();
}
