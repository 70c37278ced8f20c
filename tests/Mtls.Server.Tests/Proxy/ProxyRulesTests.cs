using Mtls.Pki;
using Mtls.Pki.Certificates;
using Mtls.Server.Proxy;

namespace Mtls.Server.Tests.Proxy;

/// <summary>The allow rules, the spoofable-header test and the proxy's start-up checks as truth tables.</summary>
public class ProxyRulesTests(WorkshopPki pki) : IClassFixture<WorkshopPki>
{
    [Theory]
    [InlineData("spiffe://example.org/ns/*/sa/web", "spiffe://example.org/ns/prod/sa/web", true)]
    [InlineData("spiffe://example.org/ns/*/sa/web", "spiffe://example.org/ns/prod/extra/sa/web", false)]
    [InlineData("spiffe://example.org/ns/*/sa/web", "spiffe://example.org/ns//sa/web", true)]
    [InlineData("spiffe://example.org/**", "spiffe://example.org/ns/prod/sa/web", true)]
    [InlineData("spiffe://example.org/**", "spiffe://example.org.evil/ns", false)]
    [InlineData("spiffe://example.org/**", "spiffe://other.org/example.org/x", false)]
    [InlineData("spiffe://example.org/ns/prod/sa/web", "spiffe://example.org/ns/prod/sa/web", true)]
    [InlineData("spiffe://example.org/ns/prod/sa/web", "spiffe://example.org/ns/prod/sa/web2", false)]
    [InlineData("spiffe://example.org/ns/prod/sa/web", "SPIFFE://example.org/ns/prod/sa/web", false)]
    [InlineData("spiffe://example.org/ns/*", "spiffe://example.org/ns/a/b", false)]
    [InlineData("spiffe://example.org/ns/web-*", "spiffe://example.org/ns/web-1", true)]
    [InlineData("spiffe://*/ns/web", "spiffe://any.org/ns/web", true)]
    public void Uri_patterns_match_one_segment_with_a_star_and_anything_with_two(string pattern, string uri, bool matches) =>
        Assert.Equal(matches, new UriPattern(pattern).Matches(uri));

    [Theory]
    [InlineData("X-Client-Subject", true)]
    [InlineData("x_client_subject", true)]
    [InlineData("X-CLIENT-ANYTHING", true)]
    [InlineData("Client-Cert", true)]
    [InlineData("client_cert_chain", true)]
    [InlineData("Client-Certificate", true)]
    [InlineData("X-Forwarded-For", true)]
    [InlineData("X_Forwarded_Host", true)]
    [InlineData("x-forwarded-client-cert", true)]
    [InlineData("Forwarded", true)]
    [InlineData("FORWARDED", true)]
    [InlineData("X-SSL-Client-Verify", true)]
    [InlineData("SSL_CLIENT_S_DN", true)]
    [InlineData("ssl-client-cert", true)]
    [InlineData("Forwarded-Extra", false)]
    [InlineData("X-Client", false)]
    [InlineData("Client", false)]
    [InlineData("Content-Type", false)]
    [InlineData("X-Request-Id", false)]
    [InlineData("Authorization", false)]
    [InlineData("", false)]
    public void Spoofable_headers_are_recognised_in_any_case_and_with_underscores(string name, bool spoofable) =>
        Assert.Equal(spoofable, SpoofableHeaders.IsSpoofable(name));

    [Fact]
    public void Allow_rules_are_ored_and_name_the_rule_that_admitted()
    {
        var cert = TestPki.Issue(pki.ClientCa, "/O=Kame/OU=Ops/OU=Night/CN=web-1", CertificateProfile.Client, ["DNS:Web-1.Example", "URI:spiffe://example.org/ns/prod/sa/web"]);
        var fingerprint = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(cert.RawData));
        AllowVerdict Eval(AllowList list) => new AllowRules(list).Evaluate(cert);
        Assert.Equal("cn=web-1", Eval(new AllowList { CommonNames = ["other", "web-1"] }).Rule);
        Assert.False(Eval(new AllowList { CommonNames = ["WEB-1"] }).Allowed); // CNs as issued, case-sensitive
        Assert.Equal("ou=Night", Eval(new AllowList { OrganizationalUnits = ["Night"] }).Rule);
        Assert.False(Eval(new AllowList { OrganizationalUnits = ["Kame"] }).Allowed); // an O is not an OU
        Assert.Equal("dns=web-1.example", Eval(new AllowList { DnsNames = ["WEB-1.Example."] }).Rule); // DNS names case-insensitive, a final dot ignored
        Assert.Equal("uri=spiffe://example.org/ns/*/sa/web", Eval(new AllowList { UriPatterns = ["spiffe://example.org/ns/*/sa/web"] }).Rule);
        Assert.Equal("fingerprint", Eval(new AllowList { Fingerprints = [string.Join(':', fingerprint.Chunk(2).Select(c => new string(c))).ToLowerInvariant()] }).Rule);
        Assert.True(Eval(new AllowList { AllowAll = true }).Allowed);
        Assert.False(Eval(new AllowList { CommonNames = ["x"], OrganizationalUnits = ["y"], DnsNames = ["z.example"], UriPatterns = ["spiffe://other/**"], Fingerprints = [new string('0', 64)] }).Allowed);
    }

    public static TheoryData<string, string, string> BadSettings => new()
    {
        { "http://127.0.0.1:8080", "none", "no allow rule" },
        { "http://10.1.2.3:8080", "all", "is not on this machine" },
        { "http://backend.example:8080", "all", "--unsafe-target" },
        { "tcp://127.0.0.1", "all", "not a backend address" },
        { "tcp://10.1.2.3:5432", "all", "is not on this machine" },
        { "ftp://127.0.0.1/", "all", "not a backend address" },
        { "unix:relative.sock", "all", "not a backend address" },
        { "http://127.0.0.1:8080", "fingerprint", "not a SHA-256 fingerprint" },
    };

    [Theory, MemberData(nameof(BadSettings))]
    public async Task Settings_the_proxy_cannot_use_stop_the_start_with_one_clear_line(string target, string allow, string expected)
    {
        var list = allow switch
        {
            "none" => new AllowList(),
            "fingerprint" => new AllowList { Fingerprints = ["AB:CD"] },
            _ => new AllowList { AllowAll = true },
        };
        var e = await Assert.ThrowsAsync<MtlsException>(() => MtlsServer.StartAsync(new MtlsServerOptions
        {
            Certificate = pki.Server, ClientCas = [pki.ClientCa.Certificate], Port = 0, Proxy = new ProxyOptions { Target = target, Allow = list },
        }));
        Assert.Contains(expected, e.Message);
        Assert.Equal(ExitCode.BadInput, e.ExitCode);
    }

    [Fact]
    public async Task A_remote_target_is_accepted_with_unsafe_target_and_a_proxy_needs_client_cas()
    {
        await using (var remote = await MtlsServer.StartAsync(new MtlsServerOptions
        {
            Certificate = pki.Server, ClientCas = [pki.ClientCa.Certificate], Port = 0, Bind = [System.Net.IPAddress.Loopback],
            Proxy = new ProxyOptions { Target = "http://10.1.2.3:8080", Allow = new AllowList { AllowAll = true }, UnsafeTarget = true },
        }))
            Assert.True(remote.Port > 0);
        var e = await Assert.ThrowsAsync<MtlsException>(() => MtlsServer.StartAsync(new MtlsServerOptions
        {
            Certificate = pki.Server, Port = 0, Proxy = new ProxyOptions { Target = "http://127.0.0.1:8080", Allow = new AllowList { AllowAll = true } },
        }));
        Assert.Contains("needs --client-ca", e.Message);
    }
}
