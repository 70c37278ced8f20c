using System.Security.Cryptography.X509Certificates;
using Mtls.Client;
using Mtls.Pki.Certificates;

namespace Mtls.Server.Tests;

/// <summary><see cref="MtlsClient"/> against real servers: ours, openssl s_server, and plain TCP peers for failures.</summary>
public class ClientTests(WorkshopPki pki) : IClassFixture<WorkshopPki>
{
    private MtlsClientOptions Trusting(X509Certificate2? client = null) => new() { TrustedCas = [pki.ServerCa.Certificate], ClientCertificate = client };

    private static Task<GetResult> Get(string url, MtlsClientOptions options) => MtlsClient.GetAsync(new Uri(url), options);

    [Fact]
    public async Task Gets_from_our_server_without_client_auth()
    {
        await using var server = await RunningServer.StartAsync(pki.Server);
        var result = await Get(server.Url, Trusting(pki.Client));

        Assert.True(result.Success, result.Failure?.Message);
        Assert.Equal(200, result.StatusCode);
        Assert.StartsWith("Hello! (no client certificate) TLS 1.3", result.Body);
        var tls = result.Tls!;
        Assert.Equal("TLS 1.3", tls.Protocol);
        Assert.StartsWith("TLS_", tls.Cipher);
        Assert.False(tls.ClientCertificateRequested);
        Assert.Null(tls.ClientCertificateSent); // not asked, not sent
        Assert.Equal("CN=localhost,O=Kame,L=Chuo,ST=Tokyo,C=JP", Assert.Single(tls.ServerChain).Subject);
    }

    [Fact]
    public async Task Gets_from_our_mtls_server_with_a_client_certificate_and_reports_the_request()
    {
        await using var server = await RunningServer.StartAsync(pki.Server, pki.ClientCa.Certificate);
        var result = await Get(server.Url, Trusting(pki.Client));

        Assert.True(result.Success, result.Failure?.Message);
        Assert.StartsWith("Hello, CN=Super Client,O=Kame,L=Chuo,ST=Tokyo,C=JP!", result.Body);
        Assert.True(result.Tls!.ClientCertificateRequested);
        Assert.Equal(["CN=ca.client.example.com,O=Kame,L=Chuo,ST=Tokyo,C=JP"], result.Tls.AcceptableIssuers);
        Assert.Equal("CN=Super Client,O=Kame,L=Chuo,ST=Tokyo,C=JP", result.Tls.ClientCertificateSent);
        Assert.Equal("CN=Super Client,O=Kame,L=Chuo,ST=Tokyo,C=JP", server.Single(ServerLogKind.Request).ClientSubject);
    }

    [Fact]
    public async Task Json_is_asked_for_with_Accept()
    {
        await using var server = await RunningServer.StartAsync(pki.Server, pki.ClientCa.Certificate);
        var result = await Get(server.Url, new MtlsClientOptions { TrustedCas = [pki.ServerCa.Certificate], ClientCertificate = pki.Client, Accept = "application/json" });
        using var json = System.Text.Json.JsonDocument.Parse(result.Body);
        Assert.Equal("CN=Super Client,O=Kame,L=Chuo,ST=Tokyo,C=JP", json.RootElement.GetProperty("client").GetProperty("subject").GetString());
        Assert.Equal("TLS 1.3", json.RootElement.GetProperty("tlsProtocol").GetString());
    }

    [Fact]
    public async Task The_servers_own_certificate_as_cacert_is_pinned_and_insecure_accepts_anything()
    {
        await using var server = await RunningServer.StartAsync(pki.Server);
        Assert.True((await Get(server.Url, new MtlsClientOptions { TrustedCas = [CertificateFile.Load(pki["server.crt"])] })).Success);
        Assert.True((await Get(server.Url, new MtlsClientOptions { TrustedCas = [pki.ClientCa.Certificate], Insecure = true })).Success);
    }

    [Fact]
    public async Task Works_against_openssl_s_server_requiring_a_client_certificate()
    {
        using var server = await OpensslServer.StartAsync("-cert", pki["server.crt"], "-key", pki["server.key"], "-Verify", "1", "-CAfile", pki["client-ca.crt"],
            "-verify_return_error", "-www");
        var url = $"https://localhost:{server.Port}/";

        var result = await Get(url, Trusting(pki.Client));
        Assert.True(result.Success, result.Failure?.Message);
        Assert.Contains("Super Client", result.Body); // s_server -www prints the session, with the peer's subject
        Assert.True(result.Tls!.ClientCertificateRequested);
        Assert.Contains("CN=ca.client.example.com,O=Kame,L=Chuo,ST=Tokyo,C=JP", result.Tls.AcceptableIssuers);

        var without = await Get(url, Trusting());
        Assert.Equal(ClientFailureKind.ClientCertificateRequired, without.Failure?.Kind);
        // The library names the remedy; `mtls get` says it with its flags (--cert, --key).
        Assert.Equal(ClientRemedy.SendClientCertificate, without.Failure!.Remedy);
        Assert.Contains("the server requires a client certificate and none was sent", without.Failure.Message);

        var impostor = await Get(url, Trusting(pki.ImpostorClient));
        Assert.Equal(ClientFailureKind.ClientCertificateRejected, impostor.Failure?.Kind);
        Assert.Contains("rejected our client certificate CN=Super Client", impostor.Failure!.Message);
    }

    [Fact]
    public async Task Client_certificate_required_and_rejected_by_our_server_quote_its_reason()
    {
        await using var server = await RunningServer.StartAsync(pki.Server, pki.ClientCa.Certificate);

        var none = await Get(server.Url, Trusting());
        Assert.Equal(ClientFailureKind.ClientCertificateRequired, none.Failure?.Kind);
        Assert.Equal(403, none.StatusCode);
        Assert.Contains("accepts certificates issued by CN=ca.client.example.com", none.Failure!.Message);

        var expired = await Get(server.Url, Trusting(pki.ExpiredClient));
        Assert.Equal(ClientFailureKind.ClientCertificateRejected, expired.Failure?.Kind);
        Assert.Contains("server said: client certificate rejected: CN=Expired Client,O=Kame: expired on", expired.Failure!.Message);
    }

    [Fact]
    public async Task Untrusted_server_names_its_issuer_and_suggests_cacert()
    {
        await using var server = await RunningServer.StartAsync(pki.Server);
        var result = await Get(server.Url, new MtlsClientOptions { TrustedCas = [pki.ClientCa.Certificate] });
        Assert.Equal(ClientFailureKind.UntrustedServer, result.Failure?.Kind);
        Assert.Contains("issued by CN=ca.server.example.com", result.Failure!.Message);
        Assert.Equal(ClientRemedy.TrustServerCa, result.Failure.Remedy); // `mtls get` turns it into --cacert
        Assert.Single(result.Tls!.ServerChain); // still reported, for --verbose
    }

    [Fact]
    public async Task Untrusted_by_the_system_store_when_no_cacert_is_given()
    {
        await using var server = await RunningServer.StartAsync(pki.Server);
        var result = await Get(server.Url, new MtlsClientOptions());
        Assert.Equal(ClientFailureKind.UntrustedServer, result.Failure?.Kind);
        Assert.Contains("which the system does not trust", result.Failure!.Message);
    }

    [Fact]
    public async Task Host_mismatch_lists_the_certificates_names()
    {
        var other = TestPki.Issue(pki.ServerCa, "/O=Kame/CN=api.example", CertificateProfile.Server, ["DNS:api.example"]);
        await using var server = await RunningServer.StartAsync(other);
        var result = await Get(server.Url, Trusting());
        Assert.Equal(ClientFailureKind.HostMismatch, result.Failure?.Kind);
        Assert.Contains("not for 'localhost'", result.Failure!.Message);
        Assert.Contains("DNS:api.example", result.Failure.Message);
    }

    [Fact]
    public async Task Expired_server_certificate()
    {
        var expired = TestPki.Issue(pki.ClientCa, "/O=Kame/CN=localhost", CertificateProfile.Server, ["DNS:localhost"], now: DateTimeOffset.UtcNow.AddDays(-40), days: 10);
        await using var server = await RunningServer.StartAsync(expired);
        Assert.Contains(server.Log, e => e.Kind == ServerLogKind.Warning && e.Message.Contains("expired"));
        var result = await Get(server.Url, new MtlsClientOptions { TrustedCas = [pki.ClientCa.Certificate] });
        Assert.Equal(ClientFailureKind.ServerExpired, result.Failure?.Kind);
        Assert.Contains("expired on", result.Failure!.Message);
    }

    [Fact]
    public async Task Connection_refused_names_host_and_port()
    {
        int port;
        using (var peer = PlainPeer.Silent()) port = peer.Port; // a port that nothing listens on any more
        var result = await Get($"https://localhost:{port}/", Trusting());
        Assert.Equal(ClientFailureKind.ConnectionRefused, result.Failure?.Kind);
        Assert.Contains($"cannot connect to localhost:{port}: connection refused", result.Failure!.Message);
    }

    [Fact]
    public async Task A_plain_http_port_is_recognised()
    {
        using var peer = PlainPeer.Http(400, "Bad Request", "speak HTTP");
        var result = await Get($"https://localhost:{peer.Port}/", Trusting());
        Assert.Equal(ClientFailureKind.PlainHttpPort, result.Failure?.Kind);
        Assert.Contains($"use http://localhost:{peer.Port}/", result.Failure!.Message);
    }

    [Fact]
    public async Task Http_url_against_our_https_server_says_use_https()
    {
        await using var server = await RunningServer.StartAsync(pki.Server);
        var result = await Get($"http://localhost:{server.Port}/", Trusting());
        Assert.Equal(ClientFailureKind.NotHttps, result.Failure?.Kind);
        Assert.Equal(400, result.StatusCode);
        Assert.Contains($"use https://localhost:{server.Port}/", result.Failure!.Message);
    }

    [Fact]
    public async Task Http_error_status_is_a_failure_with_the_servers_words()
    {
        using var peer = PlainPeer.Http(404, "Not Found", "no such page\n");
        var result = await Get($"http://localhost:{peer.Port}/missing", Trusting());
        Assert.Equal(ClientFailureKind.HttpError, result.Failure?.Kind);
        Assert.Equal("the server answered 404 Not Found: no such page", result.Failure!.Message);
        Assert.Equal(404, result.StatusCode);
    }

    [Fact]
    public async Task A_silent_server_times_out()
    {
        using var peer = PlainPeer.Silent();
        var quick = await MtlsClient.GetAsync(new Uri($"https://localhost:{peer.Port}/"), new MtlsClientOptions { TrustedCas = [pki.ServerCa.Certificate], Timeout = TimeSpan.FromMilliseconds(500) });
        Assert.Equal(ClientFailureKind.Timeout, quick.Failure?.Kind);
        Assert.Contains($"no answer from localhost:{peer.Port} within 0.5 s", quick.Failure!.Message);
    }
}
