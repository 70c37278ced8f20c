using System.Security.Cryptography.X509Certificates;
using Mtls.Client;
using Mtls.Pki.Certificates;
using Mtls.Pki.Trust;

namespace Mtls.Server.Tests;

/// <summary>
/// The client certificate verdict cache of <see cref="ClientCertificateGate"/>: a hit saves a path
/// validation, but never outlives the certificate, never holds a refusal, stays bounded and empties on demand.
/// </summary>
public class ValidationCacheTests(WorkshopPki pki) : IClassFixture<WorkshopPki>
{
    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private ClientCertificateGate Gate(Clock clock, int size = 16) =>
        new([pki.ClientCa.Certificate], new ServerLog(null, clock), cacheSize: size, time: clock);

    private X509Certificate2 AnotherClient(string name) => TestPki.Issue(pki.ClientCa, $"/O=Kame/CN={name}", CertificateProfile.Client);

    [Fact]
    public void A_returning_client_gets_the_cached_verdict()
    {
        var gate = Gate(new Clock(DateTimeOffset.UtcNow));
        var first = gate.Check(pki.Client, null);
        var second = gate.Check(pki.Client, null);

        Assert.True(first.IsValid, first.Failure?.Message);
        Assert.Same(first, second);
        Assert.Equal(1, gate.Cache.Count);
    }

    [Fact]
    public void A_cached_certificate_is_refused_once_it_has_expired()
    {
        var clock = new Clock(DateTimeOffset.UtcNow);
        var gate = Gate(clock);
        Assert.True(gate.Check(pki.Client, null).IsValid);

        clock.Now = new DateTimeOffset(pki.Client.NotAfter.ToUniversalTime()).AddSeconds(1);
        var later = gate.Check(pki.Client, null);

        Assert.Equal(FailureReason.Expired, later.Failure?.Reason);
        Assert.Equal(0, gate.Cache.Count);
    }

    [Fact]
    public void A_cached_certificate_is_still_accepted_in_its_last_second()
    {
        var clock = new Clock(DateTimeOffset.UtcNow);
        var gate = Gate(clock);
        var first = gate.Check(pki.Client, null);

        clock.Now = new DateTimeOffset(pki.Client.NotAfter.ToUniversalTime()).AddMilliseconds(999);
        Assert.Same(first, gate.Check(pki.Client, null));
    }

    [Fact]
    public void Refusals_are_never_cached()
    {
        var gate = Gate(new Clock(DateTimeOffset.UtcNow));

        Assert.Equal(FailureReason.UnknownIssuer, gate.Check(pki.ImpostorClient, null).Failure?.Reason);
        Assert.Equal(FailureReason.Expired, gate.Check(pki.ExpiredClient, null).Failure?.Reason);
        Assert.Equal(FailureReason.WrongUsage, gate.Check(pki.ServerAuthOnlyClient, null).Failure?.Reason);
        Assert.Equal(0, gate.Cache.Count);
    }

    [Fact]
    public void The_cache_is_bounded_and_forgets_the_least_recently_used()
    {
        var gate = Gate(new Clock(DateTimeOffset.UtcNow), size: 2);
        var (a, b, c) = (AnotherClient("A"), AnotherClient("B"), AnotherClient("C"));
        var verdictA = gate.Check(a, null);
        gate.Check(b, null);
        gate.Check(a, null); // A is now more recent than B
        gate.Check(c, null); // B makes room

        Assert.Equal(2, gate.Cache.Count);
        Assert.True(gate.Cache.TryGet(ValidationCache.Key(a, null), out var cachedA));
        Assert.Same(verdictA, cachedA);
        Assert.False(gate.Cache.TryGet(ValidationCache.Key(b, null), out _));
        Assert.True(gate.Cache.TryGet(ValidationCache.Key(c, null), out _));
    }

    [Fact]
    public void Size_zero_turns_caching_off()
    {
        var gate = Gate(new Clock(DateTimeOffset.UtcNow), size: 0);
        Assert.True(gate.Check(pki.Client, null).IsValid);
        Assert.Equal(0, gate.Cache.Count);
    }

    [Fact]
    public void Clear_forgets_every_verdict_and_a_validation_started_before_it_is_not_kept()
    {
        var gate = Gate(new Clock(DateTimeOffset.UtcNow));
        var first = gate.Check(pki.Client, null);
        var before = gate.Cache.Generation;

        gate.Cache.Clear();
        Assert.Equal(0, gate.Cache.Count);
        gate.Cache.Add(ValidationCache.Key(pki.Client, null), first, before); // a late verdict from before the clear
        Assert.Equal(0, gate.Cache.Count);
        Assert.NotSame(first, gate.Check(pki.Client, null)); // validated again
        Assert.Equal(1, gate.Cache.Count);
    }

    [Fact]
    public void The_key_is_what_the_client_sent_certificates_included()
    {
        var alone = ValidationCache.Key(pki.Client, null);
        var withCa = ValidationCache.Key(pki.Client, [pki.ClientCa.Certificate]);

        Assert.Equal(alone, ValidationCache.Key(pki.Client, []));
        Assert.NotEqual(alone, withCa);
        Assert.NotEqual(alone, ValidationCache.Key(pki.ImpostorClient, null));
    }

    [Fact]
    public async Task The_server_remembers_a_client_across_connections_until_cleared()
    {
        await using var server = await RunningServer.StartAsync(pki.Server, pki.ClientCa.Certificate);
        var options = new MtlsClientOptions { TrustedCas = [pki.ServerCa.Certificate], ClientCertificate = pki.Client };
        for (var i = 0; i < 2; i++)
            Assert.Equal(200, (await MtlsClient.GetAsync(new Uri(server.Url), options)).StatusCode);
        Assert.Equal(1, server.Server.CachedClientCertificates);

        server.Server.ClearClientCertificateCache();
        Assert.Equal(0, server.Server.CachedClientCertificates);
        Assert.Equal(200, (await MtlsClient.GetAsync(new Uri(server.Url), options)).StatusCode);
        Assert.Equal(1, server.Server.CachedClientCertificates);

        var refused = await MtlsClient.GetAsync(new Uri(server.Url), new MtlsClientOptions { TrustedCas = [pki.ServerCa.Certificate], ClientCertificate = pki.ImpostorClient });
        Assert.Equal(403, refused.StatusCode);
        Assert.Equal(1, server.Server.CachedClientCertificates);
    }
}
