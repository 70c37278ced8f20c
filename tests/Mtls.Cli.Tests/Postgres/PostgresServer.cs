using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Mtls.Cli.Tests.Postgres;

/// <summary>
/// A real, throwaway PostgreSQL for one test run (Debian's postgresql package): initdb and pg_ctl on a
/// temporary folder, a free loopback port, its unix socket in that folder, trust authentication on
/// loopback only. PostgreSQL refuses to run as root, so as root it runs as the postgres user (runuser).
/// Started once for the collection, stopped and deleted at the end. When it cannot start, the
/// constructor throws and every test of the collection fails with the reason.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private readonly string _folder;
    private readonly string _bin;
    private int _databases;

    public PostgresServer()
    {
        _bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb"))).OrderBy(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0).LastOrDefault() ?? ""
            : "";
        if (_bin.Length == 0)
            throw new InvalidOperationException("PostgreSQL is not installed: no /usr/lib/postgresql/*/bin/initdb (apt-get install postgresql; .ci/run installs it)");
        _folder = Directory.CreateTempSubdirectory("mtls-pg-").FullName;
        try
        {
            if (AsRoot) Run("chown", "postgres:postgres", _folder);
            Port = FreePort();
            var data = Path.Combine(_folder, "data");
            RunAsPostgres("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync");
            // Loopback only; fsync off: the tests kill CA nodes, not PostgreSQL.
            RunAsPostgres("pg_ctl", "-D", data, "-l", Path.Combine(_folder, "log"), "-w", "-t", "60", "-o",
                $"-p {Port} -k {_folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start");
            Started = true;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int Port { get; }

    private bool Started { get; }

    private static bool AsRoot => Environment.UserName == "root";

    /// <summary>A new, empty database; its URI (user postgres, no password: trust on loopback).</summary>
    public string NewDatabase()
    {
        var name = "ca_" + Interlocked.Increment(ref _databases).ToString(CultureInfo.InvariantCulture) + "_" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        using var connection = new NpgsqlConnection(KeywordForm("postgres"));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE {name}";
        command.ExecuteNonQuery();
        return $"postgres://postgres@127.0.0.1:{Port}/{name}";
    }

    /// <summary>The same database in Npgsql's keyword form.</summary>
    public string KeywordForm(string database) => $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=false";

    public static string DatabaseOf(string uri) => uri[(uri.LastIndexOf('/') + 1)..];

    private void RunAsPostgres(string program, params string[] args)
    {
        var path = Path.Combine(_bin, program);
        if (AsRoot) Run("runuser", ["-u", "postgres", "--", path, .. args]);
        else Run(path, args);
    }

    private void Run(string file, params string[] args)
    {
        var result = Tool.Run(file, args, _folder, timeout: TimeSpan.FromSeconds(90));
        if (result.ExitCode != 0)
        {
            var log = Path.Combine(_folder, "log");
            throw new InvalidOperationException($"PostgreSQL could not start: {file} {string.Join(' ', args)} failed: {result}"
                + (File.Exists(log) ? "\nserver log: " + File.ReadAllText(log) : ""));
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (Started)
        {
            try { RunAsPostgres("pg_ctl", "-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop"); }
            catch (InvalidOperationException) { }
        }
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
