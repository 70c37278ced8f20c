using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Certificates;
using Mtls.Pki.Revocation;
using Mtls.Pki.Trust;
using Mtls.Server.Proxy;

namespace Mtls.Server.Tests.Proxy;

/// <summary>
/// Issue 16, acceptance 2: refused clients (no certificate, impostor CA, expired, revoked via --crl,
/// valid but not on the allow list), each with real curl; the backend's log stays empty for every one,
/// and the 403 says why (and, for the allow list, which rules would admit the client).
/// </summary>
[Trait("Category", "Proxy")]
public class ProxyRefusalTests(WorkshopPki pki) : IClassFixture<WorkshopPki>
{
    [Fact]
    public async Task Every_refused_client_gets_a_403_with_the_reason_and_the_backend_never_hears_of_it()
    {
        var revoked = TestPki.Issue(pki.ClientCa, "/O=Kame/CN=Super Client", CertificateProfile.Client);
        TestPki.Save(revoked, pki.Dir.Path, "revoked");
        var other = TestPki.Issue(pki.ClientCa, "/O=Kame/OU=Sales/CN=Other Client", CertificateProfile.Client, ["DNS:other.example"]);
        TestPki.Save(other, pki.Dir.Path, "other");
        var now = DateTimeOffset.UtcNow;
        var crl = pki.ClientCa.CreateCrl([new RevokedCertificate(Convert.ToHexString(revoked.SerialNumberBytes.Span), now.AddMinutes(-1), X509RevocationReason.KeyCompromise)],
            BigInteger.One, now.AddMinutes(-1), now.AddDays(1));
        File.WriteAllText(pki["refusals.crl"], CrlFile.ToPem(crl));

        await using var backend = await EchoBackend.StartAsync();
        await using var proxy = await RunningProxy.StartAsync(pki, new ProxyOptions
        {
            Target = backend.Url,
            Allow = new AllowList { CommonNames = ["Super Client"], OrganizationalUnits = ["Ops"], UriPatterns = ["spiffe://example.org/**"] },
        }, crls: [pki["refusals.crl"]]);

        foreach (var (client, reason, words) in new (string?, string, string)[]
        {
            (null, nameof(FailureReason.NoCertificate), "none was sent"),
            ("impostor", nameof(FailureReason.UnknownIssuer), "the trusted CA of that name has key id"),
            ("expired", nameof(FailureReason.Expired), "expired"),
            ("revoked", nameof(FailureReason.Revoked), "keyCompromise"),
            ("other", "NotAllowed", "CN one of: Super Client; OU one of: Ops; URI SAN matching: spiffe://example.org/**"),
        })
        {
            var r = proxy.Curl(pki, client, "/secret", "-i");
            Assert.True(r.ExitCode == 0, $"{client}: {r}");
            Assert.Contains("403 Forbidden", r.Stdout);
            Assert.Contains("x-mtls-reject-reason: " + reason, r.Stdout, StringComparison.OrdinalIgnoreCase);
            Assert.Contains(words, r.Stdout);
            Assert.Contains(proxy.Log, e => e.Kind == ServerLogKind.Rejected && e.Reason == reason);
        }
        Assert.Empty(backend.Seen);
        var notAllowed = Assert.Single(proxy.Log, e => e.Event == ServerEvent.NotAllowed);
        Assert.Contains("CN=Other Client", notAllowed.ClientSubject);
        Assert.Contains("no allow rule admits it", notAllowed.Message);
        Assert.DoesNotContain(proxy.Log, e => e.Event == ServerEvent.Request);

        // The good client passes, on the same proxy.
        Assert.Equal(0, proxy.Curl(pki, "client", "/secret", "-f").ExitCode);
        Assert.Single(backend.Seen);
    }

    [Fact]
    public async Task The_allow_verdict_is_reached_once_per_connection_and_the_refusal_is_in_japanese_when_asked()
    {
        var other = TestPki.Issue(pki.ClientCa, "/O=Kame/CN=Someone Else", CertificateProfile.Client);
        TestPki.Save(other, pki.Dir.Path, "someone");
        await using var backend = await EchoBackend.StartAsync();
        await using var proxy = await RunningProxy.StartAsync(pki, new ProxyOptions { Target = backend.Url, Allow = new AllowList { DnsNames = ["web.example"] } });
        // Two requests on one connection (curl reuses it for several URLs): two refusals, the backend untouched.
        var r = Tool.Run("curl", ["-sS", "--max-time", "15", "--cacert", pki["server-ca.crt"], "--cert", pki["someone.crt"], "--key", pki["someone.key"],
            "-H", "Accept-Language: ja", proxy.Url + "a", proxy.Url + "b"]);
        Assert.Equal(2, r.Stdout.Split("403 Forbidden").Length - 1);
        Assert.Contains("このプロキシが通すのは DNS SAN が次のいずれか: web.example だけです", r.Stdout);
        Assert.Equal(2, proxy.Log.Count(e => e.Event == ServerEvent.NotAllowed));
        Assert.Empty(backend.Seen);
    }
}
