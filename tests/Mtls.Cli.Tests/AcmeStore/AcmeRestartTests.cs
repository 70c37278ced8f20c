using Microsoft.Data.Sqlite;
using Mtls.Cli.Tests.Postgres;

namespace Mtls.Cli.Tests.AcmeStore;

/// <summary>
/// ACME state survives a restart of `mtls ca serve --acme` on its SQLite inventory: lego's account (and
/// the orders behind its certificate) are still known after the node is killed and started again, so
/// `lego renew`, which never registers again, renews and `lego revoke` revokes. With ACME in memory the
/// renewal failed: the new process answered accountDoesNotExist.
/// </summary>
[Trait("Category", "Acme")]
public sealed class AcmeRestartTests : IDisposable
{
    private readonly TestCa _ca = new("CN=ACME Restart Test CA");

    [Fact]
    public async Task Lego_account_is_still_known_after_ca_serve_restarts_and_a_second_run_renews()
    {
        LegoClient.Require();
        var db = _ca["ca.db"];
        using var balancer = new TcpSwitch(); // one address across the restart, as a CA's name would be
        var lego = new LegoClient(_ca.Folder, _ca.Cert, balancer.Url);
        string firstSerial;
        using (var before = await _ca.StartNodeAsync(db, lego.ServeOptions))
        {
            balancer.Target = before.Url;
            var first = lego.Run("run");
            Assert.True(first.ExitCode == 0, first.ToString());
            Assert.True(LegoClient.Registered(first), "lego did not say it registered an account:\n" + first);
            firstSerial = lego.VerifiedSerial();
            before.Kill();
        }

        using var after = await _ca.StartNodeAsync(db, lego.ServeOptions);
        balancer.Target = after.Url;
        var renewed = lego.Run("renew", "--days", "9999", "--no-random-sleep");
        Assert.True(renewed.ExitCode == 0, renewed.ToString());
        Assert.False(LegoClient.Registered(renewed), "lego registered again after the restart:\n" + renewed);
        var secondSerial = lego.VerifiedSerial();
        Assert.NotEqual(firstSerial, secondSerial);
        Assert.Contains(after.Output, l => l.Contains($"acme: issued {secondSerial} ", StringComparison.Ordinal));
        var revoked = lego.Run("revoke");
        Assert.True(revoked.ExitCode == 0, revoked.ToString());
        Assert.Contains(after.Output, l => l.Contains($"acme: revoked {secondSerial} ", StringComparison.Ordinal));

        using var connection = new SqliteConnection($"Data Source={db};Pooling=False");
        connection.Open();
        using var accounts = new SqliteCommand("SELECT count(*) FROM acme_accounts", connection);
        Assert.Equal(1L, accounts.ExecuteScalar());
        using var integrity = new SqliteCommand("PRAGMA integrity_check", connection);
        Assert.Equal("ok", integrity.ExecuteScalar());
    }

    public void Dispose() => _ca.Dispose();
}
