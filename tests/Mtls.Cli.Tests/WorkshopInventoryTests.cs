using System.Text.Json;

namespace Mtls.Cli.Tests;

/// <summary>
/// The workshop's CAs are real CAs: what they sign is in their inventories, so the learner can go on
/// with ca list, cert renew and ca revoke on the workshop's own files.
/// </summary>
public sealed class WorkshopInventoryTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Ws(string relative) => Path.Combine(_dir["ws"], relative);

    private static void Ok(CliResult r) => Assert.True(r.ExitCode == 0, r.ToString());

    /// <summary>`mtls ca list --json` on a CA: (serial, subject, profile, path) of each record.</summary>
    private List<(string Serial, string Subject, string Profile, string? Path)> List(string caCert)
    {
        var r = Cli.Run("ca", "list", "--ca-cert", Ws(caCert), "--json");
        Ok(r);
        return JsonDocument.Parse(r.Stdout).RootElement.EnumerateArray()
            .Select(e => (e.GetProperty("serial").GetString()!, e.GetProperty("subject").GetString()!, e.GetProperty("profile").GetString()!, e.GetProperty("path").GetString()))
            .ToList();
    }

    /// <summary>
    /// The client CA's records without part 4's (made online on every run: the online CA's own TLS certificate,
    /// profile server, and the worker, enrolled as exactly CN=Super Client with a token that binds that CN, renewed
    /// and revoked; part 3's client is CN=Super Client with O, L, ST and C).
    /// </summary>
    private List<(string Serial, string Subject, string Profile, string? Path)> ClientCaOffline() =>
        List("client-ca/client-ca.crt").Where(e => e.Profile == "client" && e.Subject != "CN=Super Client").ToList();

    private string SerialOf(string cert) =>
        Tool.Openssl("x509", "-in", Ws(cert), "-noout", "-serial").Stdout.Trim()["serial=".Length..].TrimStart('0');

    [Fact]
    public void Ca_list_on_the_workshops_cas_lists_what_they_signed_and_renew_and_revoke_work()
    {
        Ok(Cli.Run("workshop", "--dir", _dir["ws"], "--lang", "en"));

        var server = Assert.Single(List("server-ca/server-ca.crt"));
        Assert.Equal(("CN=localhost,O=Kame,L=Chuo,ST=Tokyo,C=JP", "server", Ws("server/server.crt")), (server.Subject, server.Profile, server.Path));
        Assert.Equal(SerialOf("server/server.crt"), server.Serial.TrimStart('0'));
        var client = Assert.Single(ClientCaOffline());
        Assert.Equal(("CN=Super Client,O=Kame,L=Chuo,ST=Tokyo,C=JP", "client", Ws("client/client.crt")), (client.Subject, client.Profile, client.Path));
        Assert.Equal(SerialOf("client/client.crt"), client.Serial.TrimStart('0'));
        // Part 4's worker: enrolled online, renewed by the daemon (the renewed one is in worker.crt), then revoked.
        var workers = List("client-ca/client-ca.crt").Where(e => e.Subject == "CN=Super Client").ToList();
        Assert.Equal(2, workers.Count);
        Assert.Contains(workers, w => w.Serial.TrimStart('0') == SerialOf("worker/worker.crt"));
        var revoked = Cli.Run("ca", "list", "--ca-cert", Ws("client-ca/client-ca.crt"), "--revoked", "--json");
        Ok(revoked);
        Assert.Contains(SerialOf("worker/worker.crt"), revoked.Stdout.Replace("\"0", "\"", StringComparison.Ordinal));
        var impostor = Assert.Single(List("impostor/impostor-ca.crt"));
        Assert.Equal(SerialOf("impostor/client.crt"), impostor.Serial.TrimStart('0'));

        // The learner goes on with the workshop's CA: renew the client, revoke the old one.
        Ok(Cli.Run("cert", "renew", Ws("client/client.crt"), "--ca-cert", Ws("client-ca/client-ca.crt"), "--ca-key", Ws("client-ca/client-ca.key"), "--out", Ws("client/client-renewed.crt")));
        Ok(Cli.Run("ca", "revoke", Ws("client/client.crt"), "--ca-cert", Ws("client-ca/client-ca.crt"), "--ca-key", Ws("client-ca/client-ca.key"), "--reason", "superseded"));
        Assert.Equal(2, ClientCaOffline().Count);
    }

    [Fact]
    public void A_rerun_records_once_adopts_an_unrecorded_certificate_and_fresh_starts_a_new_inventory()
    {
        Ok(Cli.Run("workshop", "--dir", _dir["ws"], "--lang", "en"));
        var first = Assert.Single(ClientCaOffline());

        Ok(Cli.Run("workshop", "--dir", _dir["ws"], "--lang", "en")); // reuses client.crt: recorded once
        Assert.Equal(first, Assert.Single(ClientCaOffline()));

        File.Delete(Ws("client-ca/client-ca.db")); // a folder made before the workshop kept inventories
        Ok(Cli.Run("workshop", "--dir", _dir["ws"], "--lang", "en"));
        Assert.Equal(first.Serial, Assert.Single(ClientCaOffline()).Serial);

        Ok(Cli.Run("workshop", "--dir", _dir["ws"], "--lang", "en", "--fresh")); // a new CA: a new inventory, not the old CA's
        var fresh = Assert.Single(ClientCaOffline());
        Assert.NotEqual(first.Serial, fresh.Serial);
        Assert.Equal(SerialOf("client/client.crt"), fresh.Serial.TrimStart('0'));
    }
}
