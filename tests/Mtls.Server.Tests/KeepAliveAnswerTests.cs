using System.Net;
using System.Net.Http.Headers;

namespace Mtls.Server.Tests;

/// <summary>
/// The answer's per-connection parts (client names, TLS protocol and cipher, the encoded text) are worked
/// out once per connection (ConnectionFacts); what varies per request must still vary on a kept-alive
/// connection: the HTTP version, the method and path in JSON, and the log line of each request.
/// </summary>
public class KeepAliveAnswerTests(WorkshopPki pki) : IClassFixture<WorkshopPki>
{
    private HttpClient Client(out SocketsHttpHandler handler)
    {
        handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1 };
        handler.SslOptions.ClientCertificates = [pki.Client];
        handler.SslOptions.RemoteCertificateValidationCallback = (_, c, _, _) => c is not null;
        return new HttpClient(handler);
    }

    [Theory]
    [InlineData("1.1", "HTTP/1.1")]
    [InlineData("2.0", "HTTP/2")]
    public async Task Every_request_of_one_connection_gets_its_own_answer_and_log_line(string version, string expected)
    {
        await using var server = await RunningServer.StartAsync(pki.Server, pki.ClientCa.Certificate);
        using var http = Client(out _);
        async Task<HttpResponseMessage> Send(string path, string? accept = null)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, server.Url + path.TrimStart('/'))
            {
                Version = Version.Parse(version),
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            if (accept is not null) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
            return await http.SendAsync(request);
        }

        var first = await (await Send("/")).Content.ReadAsStringAsync();
        var second = await Send("/second");
        var json = await Send("/third", "application/json");

        Assert.Matches($"^Hello, CN=Super Client,O=Kame,L=Chuo,ST=Tokyo,C=JP! TLS 1.3, TLS_[A-Z0-9_]+, {expected}\n", first);
        Assert.Contains("Your certificate: issuer CN=ca.client.example.com,O=Kame,L=Chuo,ST=Tokyo,C=JP, serial ", first);
        Assert.Equal(first, await second.Content.ReadAsStringAsync());
        Assert.Equal("text/plain; charset=utf-8", second.Content.Headers.ContentType?.ToString());
        Assert.Equal("nosniff", second.Headers.GetValues("X-Content-Type-Options").Single());
        using var doc = System.Text.Json.JsonDocument.Parse(await json.Content.ReadAsStringAsync());
        Assert.Equal("/third", doc.RootElement.GetProperty("path").GetString());
        Assert.Equal(expected, doc.RootElement.GetProperty("httpProtocol").GetString());

        var lines = server.Log.Where(e => e.Kind == ServerLogKind.Request).Select(e => e.Message).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Equal(["GET / 200", "GET /second 200", "GET /third 200"], lines.Select(l => l[..l.IndexOf(" from ", StringComparison.Ordinal)]));
        Assert.All(lines, l => Assert.Matches(" from 127\\.0\\.0\\.1:[0-9]+ client CN=Super Client,O=Kame,L=Chuo,ST=Tokyo,C=JP$", l));
        // remote is ADDR:PORT: one keep-alive connection, one port on every line.
        Assert.Single(server.Log.Where(e => e.Kind == ServerLogKind.Request).Select(e => e.Remote).Distinct());
        Assert.All(server.Log.Where(e => e.Kind == ServerLogKind.Request), e => Assert.Equal("CN=ca.client.example.com,O=Kame,L=Chuo,ST=Tokyo,C=JP", e.ClientIssuer));
    }

    [Fact]
    public async Task A_connection_without_a_client_certificate_is_refused_on_every_request()
    {
        await using var server = await RunningServer.StartAsync(pki.Server, pki.ClientCa.Certificate);
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1 };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, c, _, _) => c is not null;
        using var http = new HttpClient(handler);
        for (var i = 0; i < 2; i++)
        {
            var response = await http.GetAsync(server.Url);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("NoCertificate", response.Headers.GetValues("X-Mtls-Reject-Reason").Single());
        }
        Assert.Equal(2, server.Log.Count(e => e.Kind == ServerLogKind.Rejected));
        Assert.DoesNotContain(server.Log, e => e.Kind == ServerLogKind.Request);
    }
}
