using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Certificates;

namespace Mtls.Cli.Tests;

/// <summary>
/// `mtls serve`'s stdout lines come in the order of the events: good requests and refused ones made
/// one after another (each answered before the next is sent) are logged in that order.
/// </summary>
[Trait("Category", "Interop")]
public sealed class ServeLogOrderTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly X509Certificate2 _serverCa;
    private readonly X509Certificate2 _client;

    public ServeLogOrderTests()
    {
        using var serverCa = TestPki.Root("/O=Kame/CN=ca.server.example.com");
        using var clientCa = TestPki.Root("/O=Kame/CN=ca.client.example.com");
        TestPki.Save(TestPki.Issue(serverCa, "/O=Kame/CN=localhost", CertificateProfile.Server, ["DNS:localhost"]), _dir.Path, "server");
        TestPki.SaveCa(clientCa, _dir.Path, "client-ca");
        _serverCa = X509CertificateLoader.LoadCertificate(serverCa.Certificate.RawData);
        _client = TestPki.Issue(clientCa, "/O=Kame/CN=Super Client", CertificateProfile.Client);
    }

    public void Dispose()
    {
        _dir.Dispose();
        _serverCa.Dispose();
        _client.Dispose();
    }

    /// <summary>A keep-alive HTTPS client trusting our server CA, with or without the client certificate.</summary>
    private HttpClient Client(bool withCertificate) => new(new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && new Mtls.Pki.Trust.ChainVerifier([_serverCa])
                .Verify(X509CertificateLoader.LoadCertificate(cert.GetRawCertData()), null, new Mtls.Pki.Trust.VerifyOptions { Purpose = Mtls.Pki.Trust.Purpose.Server, Host = "localhost" }).IsValid,
            LocalCertificateSelectionCallback = (_, _, _, _, _) => withCertificate ? _client : null!,
        },
    });

    [Fact]
    public async Task Good_and_refused_requests_one_after_another_are_logged_in_their_order()
    {
        using var serve = await ServeProcess.StartAsync(_dir.Path, "--cert", "server.crt", "--key", "server.key", "--client-ca", "client-ca.crt", "--port", "0", "--bind", "127.0.0.1");
        using var good = Client(withCertificate: true);
        using var refused = Client(withCertificate: false);
        const int Pairs = 300;
        var sent = new List<string>();
        for (var i = 0; i < Pairs; i++)
        {
            // Each answer is read in full before the next request goes: the events have one order.
            Assert.Equal(200, (int)(await good.GetAsync($"https://localhost:{serve.Port}/good-{i}")).StatusCode);
            Assert.Equal(403, (int)(await refused.GetAsync($"https://localhost:{serve.Port}/refused-{i}")).StatusCode);
            sent.AddRange([$"/good-{i}", $"/refused-{i}"]);
        }

        var logged = new List<string>();
        while (logged.Count < sent.Count && await serve.ReadLineAsync() is { } line)
        {
            var path = line.Split(' ').FirstOrDefault(w => w.StartsWith("/good-", StringComparison.Ordinal) || w.StartsWith("/refused-", StringComparison.Ordinal));
            if (path is not null) logged.Add(path);
        }
        var firstOutOfOrder = sent.Zip(logged).Select((p, i) => (p, i)).FirstOrDefault(x => x.p.First != x.p.Second);
        Assert.True(firstOutOfOrder.p.First is null, $"line {firstOutOfOrder.i}: expected {firstOutOfOrder.p.First}, logged {firstOutOfOrder.p.Second}");
        Assert.Equal(sent, logged);
    }
}
