using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Certificates;

namespace Mtls.Server.Tests;

/// <summary>
/// One throwaway PKI for the whole test class (made at test time): a server CA and a client CA as in the
/// workshop, the server's certificate, a good client, and every kind of client the server must refuse.
/// Written to a temp folder too, for curl and openssl.
/// </summary>
public sealed class WorkshopPki : IDisposable
{
    public TempDir Dir { get; } = new();
    public CertificateAuthority ServerCa { get; } = TestPki.Root("/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=ca.server.example.com");
    // Made 60 days ago so that it can have issued the expired client certificate.
    public CertificateAuthority ClientCa { get; } = TestPki.Root("/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=ca.client.example.com", DateTimeOffset.UtcNow.AddDays(-60));
    /// <summary>Same name as the client CA, different key: must not be trusted.</summary>
    public CertificateAuthority ImpostorCa { get; } = TestPki.Root("/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=ca.client.example.com");
    public X509Certificate2 Server { get; }
    public X509Certificate2 Client { get; }
    public X509Certificate2 ImpostorClient { get; }
    public X509Certificate2 ExpiredClient { get; }
    public X509Certificate2 FutureClient { get; }
    public X509Certificate2 ServerAuthOnlyClient { get; }

    public WorkshopPki()
    {
        var now = DateTimeOffset.UtcNow;
        Server = TestPki.Issue(ServerCa, "/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=localhost", CertificateProfile.Server, ["DNS:localhost", "IP:127.0.0.1", "IP:::1"]);
        Client = TestPki.Issue(ClientCa, "/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=Super Client", CertificateProfile.Client);
        ImpostorClient = TestPki.Issue(ImpostorCa, "/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=Super Client", CertificateProfile.Client);
        ExpiredClient = TestPki.Issue(ClientCa, "/O=Kame/CN=Expired Client", CertificateProfile.Client, now: now.AddDays(-40), days: 10);
        FutureClient = TestPki.Issue(ClientCa, "/O=Kame/CN=Future Client", CertificateProfile.Client, now: now.AddDays(10), days: 10);
        ServerAuthOnlyClient = TestPki.Issue(ClientCa, "/O=Kame/CN=Server Only", CertificateProfile.Server, ["DNS:server-only.example"]);

        TestPki.SaveCa(ServerCa, Dir.Path, "server-ca");
        TestPki.SaveCa(ClientCa, Dir.Path, "client-ca");
        TestPki.Save(Server, Dir.Path, "server");
        TestPki.Save(Client, Dir.Path, "client");
        TestPki.Save(ImpostorClient, Dir.Path, "impostor");
        TestPki.Save(ExpiredClient, Dir.Path, "expired");
        TestPki.Save(FutureClient, Dir.Path, "future");
        TestPki.Save(ServerAuthOnlyClient, Dir.Path, "serverauth");
    }

    public string this[string file] => Dir[file];

    public void Dispose() => Dir.Dispose();
}
