using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mtls.Ca.Acme;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inventory;
using Mtls.Pki.Names;

namespace Mtls.Ca.Tests.Acme;

/// <summary>
/// The ACME module in a real Kestrel HTTPS host on a loopback port: a test root CA signs the host's TLS
/// certificate (127.0.0.1) and an issuing intermediate CA, which signs what ACME issues and records it
/// in its inventory. Clients are given <see cref="RootPath"/>.
/// </summary>
public sealed class AcmeTestServer : IAsyncDisposable
{
    public const string Name = "acme-test.localhost";

    private readonly WebApplication _app;
    private readonly CertificateAuthority _root;
    private readonly CertificateAuthority _issuing;

    private AcmeTestServer(WebApplication app, CertificateAuthority root, CertificateAuthority issuing, CaInventory inventory, string dir, string url, AcmeOptions options,
        System.Collections.Concurrent.ConcurrentQueue<string> log)
    {
        _app = app;
        _root = root;
        _issuing = issuing;
        Inventory = inventory;
        Dir = dir;
        BaseUrl = url;
        Options = options;
        Log = log;
    }

    public string Dir { get; }
    public string BaseUrl { get; }
    public string DirectoryUrl => BaseUrl + "/acme/directory";
    public AcmeOptions Options { get; }

    /// <summary>The issuer's log lines (issued, revoked).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Log { get; }
    public CaInventory Inventory { get; }
    public X509Certificate2 Root => _root.Certificate;
    public X509Certificate2 Issuing => _issuing.Certificate;
    public string RootPath => Path.Combine(Dir, "root.pem");
    public string IssuingPath => Path.Combine(Dir, "issuing.pem");

    /// <summary>Starts a server whose challenges are checked on the given ports, with <see cref="Name"/> resolving to 127.0.0.1.</summary>
    public static async Task<AcmeTestServer> StartAsync(string dir, int httpPort, int tlsPort, TimeSpan? validationTimeout = null, IAcmeStore? store = null)
    {
        var now = DateTimeOffset.UtcNow;
        var root = TestPki.Root("/O=Acme Test/CN=Acme Test Root", now);
        var (issuing, _) = root.CreateIntermediate(DistinguishedName.Parse("/O=Acme Test/CN=Acme Test Issuing CA"), Pki.Keys.KeySpec.P256, 365, now);
        var tlsCertificate = TestPki.Issue(root, "/CN=127.0.0.1", CertificateProfile.Server, ["IP:127.0.0.1", "DNS:localhost"], now);
        File.WriteAllText(Path.Combine(dir, "root.pem"), CertificateFile.ToPem(root.Certificate));
        File.WriteAllText(Path.Combine(dir, "issuing.pem"), CertificateFile.ToPem(issuing.Certificate));
        var inventory = CaInventory.Open(Path.Combine(dir, "issuing.db"), issuing.Certificate);
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var options = new AcmeOptions
        {
            Log = log.Enqueue,
            HttpPort = httpPort,
            TlsPort = tlsPort,
            Resolve = new Dictionary<string, IPAddress> { [Name] = IPAddress.Loopback },
            ValidationTimeout = validationTimeout ?? TimeSpan.FromSeconds(10),
        };

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(tlsCertificate)));
        var app = builder.Build();
        app.MapAcme(options, new CaAcmeIssuer(issuing, [issuing.Certificate], inventory, TimeSpan.FromDays(30), log: log.Enqueue), store ?? new InMemoryAcmeStore());
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        return new AcmeTestServer(app, root, issuing, inventory, dir, $"https://127.0.0.1:{port}", options, log);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Inventory.Dispose();
        _issuing.Dispose();
        _root.Dispose();
    }
}
