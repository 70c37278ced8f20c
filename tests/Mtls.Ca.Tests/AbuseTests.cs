using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Certificates;
using Mtls.Pki.Names;

namespace Mtls.Ca.Tests;

/// <summary>Issue 15, item 5: every abuse case gets its own problem type, a clear detail, and is recorded.</summary>
public class AbuseTests
{
    [Fact]
    public async Task Replayed_unknown_and_expired_tokens_are_refused()
    {
        await using var ca = await RunningCa.StartAsync();
        using var client = ca.Client();
        var token = ca.Token();
        Assert.NotNull((await client.EnrollAsync(token, RunningCa.Csr().Csr, null)).Issued);

        var replay = ca.Refused(await client.EnrollAsync(token, RunningCa.Csr().Csr, null), "token-used");
        Assert.Equal(403, replay.Status);
        Assert.Contains("already used", replay.Detail);
        ca.Refused(await client.EnrollAsync("not-a-token-this-ca-made", RunningCa.Csr().Csr, null), "token-unknown");
        var expiring = ca.Token(ttl: TimeSpan.FromMinutes(1));
        ca.Clock.Advance(TimeSpan.FromMinutes(2));
        ca.Refused(await client.EnrollAsync(expiring, RunningCa.Csr().Csr, null), "token-expired");
    }

    [Fact]
    public async Task Names_the_token_does_not_allow_are_refused_and_both_sets_are_said()
    {
        await using var ca = await RunningCa.StartAsync();
        using var client = ca.Client();
        var (_, csr) = RunningCa.Csr("localhost", "DNS:localhost", "DNS:bank.example");
        var problem = ca.Refused(await client.EnrollAsync(ca.Token("server", null, "DNS:localhost"), csr, null), "names-not-allowed");
        Assert.Contains("DNS:bank.example", problem.Detail);
        Assert.Contains("the token allows: DNS:localhost", problem.Detail);
        var (_, otherCn) = RunningCa.Csr("admin");
        Assert.Contains("CN=admin", ca.Refused(await client.EnrollAsync(ca.Token(), otherCn, null), "names-not-allowed").Detail);
    }

    [Fact]
    public async Task A_bad_csr_signature_and_weak_keys_are_refused()
    {
        await using var ca = await RunningCa.StartAsync();
        using var client = ca.Client();
        var (_, csr) = RunningCa.Csr();
        var der = PemEncoding.Find(csr) is var f ? Convert.FromBase64String(csr[f.Base64Data]) : [];
        der[^5] ^= 0x01; // inside the signature
        var tampered = PemEncoding.WriteString("CERTIFICATE REQUEST", der);
        ca.Refused(await client.EnrollAsync(ca.Token(), tampered, null), "bad-csr");

        using var rsa = RSA.Create(1024);
        var weak = CsrFile.ToPem(CsrFile.Create(rsa, DistinguishedName.Parse("/CN=localhost"), []));
        Assert.Contains("1024", ca.Refused(await client.EnrollAsync(ca.Token(), weak, null), "weak-key").Detail);
    }

    [Fact]
    public async Task Lifetimes_above_the_maximum_or_under_a_minute_are_refused_and_60_seconds_is_allowed()
    {
        await using var ca = await RunningCa.StartAsync();
        using var client = ca.Client();
        ca.Refused(await client.EnrollAsync(ca.Token(), RunningCa.Csr().Csr, (long)TimeSpan.FromDays(8).TotalSeconds), "lifetime-too-long");
        ca.Refused(await client.EnrollAsync(ca.Token(), RunningCa.Csr().Csr, 59), "lifetime-too-short");
        var sixty = await client.EnrollAsync(ca.Token(), RunningCa.Csr().Csr, 60);
        Assert.NotNull(sixty.Issued);
        var leaf = X509Certificate2.CreateFromPem(sixty.Issued!.Certificate);
        Assert.Equal(60, (leaf.NotAfter.ToUniversalTime() - ca.Clock.GetUtcNow().UtcDateTime).TotalSeconds, 1.0);
    }

    [Fact]
    public async Task Renewal_without_a_client_certificate_or_with_one_from_elsewhere_is_refused()
    {
        await using var ca = await RunningCa.StartAsync();
        using (var anonymous = ca.Client())
            Assert.Equal(401, ca.Refused(await anonymous.RenewAsync(null, null), "no-client-certificate").Status);
        using var stranger = TestPki.Root("/CN=Stranger CA");
        using var foreign = TestPki.Issue(stranger, "/CN=localhost", CertificateProfile.Client, ["DNS:localhost"]);
        using var client = ca.Client(foreign);
        ca.Refused(await client.RenewAsync(null, null), "not-issued-here");
    }

    [Fact]
    public async Task A_revoked_certificate_does_not_renew_and_the_crl_lists_it()
    {
        await using var ca = await RunningCa.StartAsync();
        using var current = await ca.EnrollAsync(3600);
        var serial = Mtls.Pki.Inventory.InventoryRecord.SerialOf(current);
        using (var http = new HttpClient(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } }))
            File.WriteAllBytes(ca.Dir["before.crl"], await http.GetByteArrayAsync(new Uri(ca.Url, "crl")));
        Assert.True(ca.Store.Revoke(serial, ca.Clock.GetUtcNow(), X509RevocationReason.KeyCompromise));
        ca.Clock.Advance(TimeSpan.FromMinutes(30));

        using var client = ca.Client(current);
        ca.Refused(await client.RenewAsync(null, null), "revoked");
        using (var http = new HttpClient(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } }))
        {
            using var response = await http.GetAsync(new Uri(ca.Url, "crl"));
            Assert.Equal("application/pkix-crl", response.Content.Headers.ContentType?.MediaType);
            File.WriteAllBytes(ca.Dir["after.crl"], await response.Content.ReadAsByteArrayAsync());
        }
        var before = Tool.Openssl("crl", "-inform", "DER", "-in", ca.Dir["before.crl"], "-noout", "-text");
        var after = Tool.Openssl("crl", "-inform", "DER", "-in", ca.Dir["after.crl"], "-noout", "-text");
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.DoesNotContain(serial, before.Stdout);
        Assert.Contains(serial, after.Stdout); // the cache was dropped by the revocation
        Assert.Contains("Key Compromise", after.Stdout);
    }

    [Fact]
    public async Task An_expired_certificate_renews_within_the_grace_and_not_after_it()
    {
        await using var ca = await RunningCa.StartAsync(o => o with { RenewGrace = TimeSpan.FromMinutes(5) });
        using var withinGrace = await ca.EnrollAsync(60);
        using var pastGrace = await ca.EnrollAsync(60);
        ca.Clock.Advance(TimeSpan.FromMinutes(3)); // both expired two minutes ago
        using (var client = ca.Client(withinGrace))
            Assert.NotNull((await client.RenewAsync(null, null)).Issued);
        ca.Clock.Advance(TimeSpan.FromMinutes(4)); // six minutes after expiry
        using (var client = ca.Client(pastGrace))
            ca.Refused(await client.RenewAsync(null, null), "expired-past-grace");
    }

    [Fact]
    public async Task Only_the_newest_certificate_of_a_renewal_chain_renews_and_early_renewals_are_refused()
    {
        await using var ca = await RunningCa.StartAsync();
        using var first = await ca.EnrollAsync(3600);
        using (var early = ca.Client(first))
        {
            var storm = ca.Refused(await early.RenewAsync(null, null), "renewing-too-often");
            Assert.Equal(429, storm.Status);
            Assert.Contains("renew after", storm.Detail);
        }
        ca.Clock.Advance(TimeSpan.FromMinutes(25));
        using var client = ca.Client(first);
        var renewed = await client.RenewAsync(null, 3600);
        Assert.NotNull(renewed.Issued);
        var again = ca.Refused(await client.RenewAsync(null, 3600), "superseded");
        Assert.Contains(renewed.Issued!.Serial, again.Detail);
        Assert.Equal(renewed.Issued.Serial, ca.Store.Find(Mtls.Pki.Inventory.InventoryRecord.SerialOf(first))!.SupersededBy);
    }

    [Fact]
    public async Task Two_concurrent_renewals_of_one_certificate_get_one_certificate()
    {
        await using var ca = await RunningCa.StartAsync();
        using var first = await ca.EnrollAsync(3600);
        ca.Clock.Advance(TimeSpan.FromMinutes(30));
        var clients = Enumerable.Range(0, 10).Select(_ => ca.Client(first)).ToList();
        var results = await Task.WhenAll(clients.Select(c => Task.Run(() => c.RenewAsync(null, null))));
        Assert.Single(results, r => r.Issued is not null);
        Assert.All(results.Where(r => r.Issued is null), r => Assert.Equal("urn:mtls:error:superseded", r.Problem?.Type));
        foreach (var c in clients) c.Dispose();
    }

    [Fact]
    public async Task A_rekey_renewal_keeps_subject_and_names_and_certifies_the_new_key()
    {
        await using var ca = await RunningCa.StartAsync();
        using var first = await ca.EnrollAsync(3600);
        ca.Clock.Advance(TimeSpan.FromMinutes(30));
        var (newKey, csr) = RunningCa.Csr("someone-else", "DNS:evil.example"); // subject and names of a rekey CSR are ignored
        using var _ = newKey;
        using var client = ca.Client(first);
        var renewed = await client.RenewAsync(csr, null);
        Assert.NotNull(renewed.Issued);
        using var leaf = X509Certificate2.CreateFromPem(renewed.Issued!.Certificate);
        Assert.Equal(first.Subject, leaf.Subject);
        Assert.Equal(newKey.ExportSubjectPublicKeyInfo(), leaf.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.Equal(["DNS:localhost"], ca.Store.Find(renewed.Issued.Serial)!.SubjectAltNames);
        Assert.Equal(3600, (leaf.NotAfter.ToUniversalTime() - ca.Clock.GetUtcNow().UtcDateTime).TotalSeconds, 2.0); // the old lifetime kept
    }
}
