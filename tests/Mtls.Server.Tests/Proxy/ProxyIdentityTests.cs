using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Mtls.Pki.Certificates;
using Mtls.Pki.Names;
using Mtls.Server.Proxy;

namespace Mtls.Server.Tests.Proxy;

/// <summary>
/// Issue 16, acceptance 1: curl with the workshop's client certificate through mtls proxy to a backend
/// that echoes what it received: the backend sees the client's identity headers, set by the proxy;
/// identity headers forged by the client (case and underscore variants, duplicated, over HTTP/1.1 and
/// HTTP/2, and as trailers) reach it with none of the forged values.
/// </summary>
[Trait("Category", "Proxy")]
public class ProxyIdentityTests(WorkshopPki pki) : IClassFixture<WorkshopPki>
{
    /// <summary>Every spoofable family, in case, underscore and duplicate variants; each value says "forged".</summary>
    private static readonly string[] Forged =
    [
        "X-Client-Subject: forged-1", "x-client-subject: forged-2", "X_CLIENT_SUBJECT: forged-3", "x_Client-San_Dns: forged-4",
        "Client-Cert: :Zm9yZ2Vk:", "CLIENT-CERT: :Zm9yZ2Vk:", "client_cert_chain: forged-5", "X-Client-Cert-Sha256: forged-6",
        "X-Forwarded-For: forged-7", "X-Forwarded-For: forged-8", "x_forwarded_proto: forged-9", "X-Forwarded-Host: forged-10",
        "Forwarded: for=forged-11", "X-SSL-Client-Verify: forged-12", "ssl_client_s_dn: forged-13", "X-Forwarded-Client-Cert: forged-14",
    ];

    private static ProxyOptions Options(string target, IdentityHeaderSet set = IdentityHeaderSet.Rfc9440 | IdentityHeaderSet.Simple, bool chain = false) => new()
    {
        Target = target,
        Allow = new AllowList { CommonNames = ["Super Client"], UriPatterns = ["spiffe://example.org/ns/*/sa/web"] },
        IdentityHeaders = set,
        ForwardChain = chain,
    };

    [Theory]
    [InlineData("--http1.1", "HTTP/1.1")]
    [InlineData("--http2", "HTTP/2")]
    public async Task The_backend_sees_the_proxys_identity_headers_and_none_of_the_forged_ones(string curlProtocol, string clientProtocol)
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var proxy = await RunningProxy.StartAsync(pki, Options(backend.Url));
        var r = proxy.Curl(pki, "client", "/echo?x=1", [curlProtocol, "-w", "%{http_version}", .. Forged.SelectMany(h => new[] { "-H", h })]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.EndsWith(clientProtocol.Replace("HTTP/", "", StringComparison.Ordinal), r.Stdout);

        var seen = Assert.Single(backend.Seen);
        Assert.Equal("/echo", seen.Path);
        Assert.DoesNotContain(seen.Headers, h => h.Value.Contains("forged", StringComparison.OrdinalIgnoreCase) || h.Value == ":Zm9yZ2Vk:");
        Assert.DoesNotContain(seen.Headers, h => h.Key.Contains('_', StringComparison.Ordinal));
        var der = pki.Client.RawData;
        Assert.Equal(":" + Convert.ToBase64String(der) + ":", One(seen, "Client-Cert"));
        Assert.Equal(Uri.EscapeDataString(DistinguishedName.Format(pki.Client.SubjectName)), One(seen, "X-Client-Subject"));
        Assert.Equal("CN=Super Client,O=Kame,L=Chuo,ST=Tokyo,C=JP", Uri.UnescapeDataString(One(seen, "X-Client-Subject")));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(der)), One(seen, "X-Client-Cert-Sha256"));
        Assert.Equal("127.0.0.1", One(seen, "X-Forwarded-For"));
        Assert.Equal("https", One(seen, "X-Forwarded-Proto"));
        Assert.Equal($"localhost:{proxy.Server.Port}", One(seen, "X-Forwarded-Host"));
        Assert.DoesNotContain(seen.Headers, h => h.Key.Equals("Forwarded", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(seen.Headers, h => h.Key.Equals("X-Forwarded-Client-Cert", StringComparison.OrdinalIgnoreCase)); // xfcc not asked for
        Assert.Contains(proxy.Log, e => e.Event == ServerEvent.Request && e.Status == 200 && e.ClientSubject!.Contains("CN=Super Client", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Forged_identity_headers_sent_as_request_trailers_never_reach_the_backend()
    {
        await using var backend = await EchoBackend.StartAsync();
        await using var proxy = await RunningProxy.StartAsync(pki, Options(backend.Url));
        // HTTP/1.1 chunked body with trailers, over a real TLS connection with the client certificate (curl cannot send trailers).
        var request = "POST /echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nTrailer: X-Client-Subject, Client-Cert\r\nConnection: close\r\n\r\n" +
            "5\r\nhello\r\n0\r\nX-Client-Subject: forged-trailer\r\nClient-Cert: :Zm9yZ2Vk:\r\nx_client_subject: forged-trailer-2\r\nForwarded: for=forged\r\n\r\n";
        var answer = await RawTlsAsync(proxy.Server.Port, request);
        Assert.StartsWith("HTTP/1.1 200", answer);
        var seen = Assert.Single(backend.Seen);
        Assert.Equal("hello", seen.Body);
        Assert.Empty(seen.Trailers);
        Assert.DoesNotContain(seen.Headers, h => h.Value.Contains("forged", StringComparison.Ordinal) || h.Value == ":Zm9yZ2Vk:");
        Assert.Equal(":" + Convert.ToBase64String(pki.Client.RawData) + ":", One(seen, "Client-Cert"));
    }

    [Fact]
    public async Task Xfcc_and_the_chain_are_sent_when_asked_for_and_none_sends_no_identity()
    {
        var (intermediate, _) = pki.ClientCa.CreateIntermediate(DistinguishedName.Parse("/O=Kame/CN=Client Issuing CA"), Pki.Keys.KeySpec.P256, 30, DateTimeOffset.UtcNow);
        var leaf = TestPki.Issue(intermediate, "/O=Kame/CN=Chained Client", CertificateProfile.Client, ["URI:spiffe://example.org/ns/prod/sa/web", "DNS:web.example"]);
        var (certFile, _) = TestPki.Save(leaf, pki.Dir.Path, "chained");
        File.AppendAllText(certFile, CertificateFile.ToPem(intermediate.Certificate)); // curl sends the intermediate after the leaf
        await using var backend = await EchoBackend.StartAsync();
        await using (var proxy = await RunningProxy.StartAsync(pki, Options(backend.Url, IdentityHeaderSet.Xfcc | IdentityHeaderSet.Rfc9440 | IdentityHeaderSet.Simple, chain: true)))
        {
            var r = proxy.Curl(pki, "chained", "/echo", "-f", "-H", "X-Forwarded-Client-Cert: Hash=forged");
            Assert.True(r.ExitCode == 0, r.ToString());
        }
        var seen = Assert.Single(backend.Seen);
        var xfcc = One(seen, "X-Forwarded-Client-Cert");
        Assert.StartsWith("Hash=" + Convert.ToHexStringLower(SHA256.HashData(leaf.RawData)) + ";Cert=\"", xfcc);
        Assert.Contains(";Chain=\"" + Uri.EscapeDataString(CertificateFile.ToPem(intermediate.Certificate)) + "\"", xfcc);
        Assert.Contains(";Subject=\"CN=Chained Client,O=Kame\";URI=spiffe://example.org/ns/prod/sa/web;DNS=web.example", xfcc);
        Assert.Equal(":" + Convert.ToBase64String(intermediate.Certificate.RawData) + ":", One(seen, "Client-Cert-Chain"));
        Assert.Equal("web.example", One(seen, "X-Client-San-Dns"));
        Assert.Equal("spiffe://example.org/ns/prod/sa/web", Uri.UnescapeDataString(One(seen, "X-Client-San-Uri")));

        await using var none = await RunningProxy.StartAsync(pki, Options(backend.Url, IdentityHeaderSet.None));
        Assert.Equal(0, none.Curl(pki, "client", "/echo", "-H", "X-Client-Subject: forged").ExitCode);
        var plain = backend.Seen[^1];
        Assert.DoesNotContain(plain.Headers, h => h.Key.StartsWith("Client-Cert", StringComparison.OrdinalIgnoreCase) || h.Key.StartsWith("X-Client", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("127.0.0.1", One(plain, "X-Forwarded-For"));
    }

    private static string One(EchoBackend.SeenRequest seen, string name) =>
        Assert.Single(seen.Headers, h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    private async Task<string> RawTlsAsync(int port, string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ClientCertificates = [pki.Client],
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            RemoteCertificateValidationCallback = (_, c, _, _) => c is X509Certificate2 server && server.Issuer == pki.ServerCa.Certificate.Subject,
        });
        await tls.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(tls, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        return await reader.ReadToEndAsync(timeout.Token);
    }
}
