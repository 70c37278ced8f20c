using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Client.Online;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inventory;
using Mtls.Pki.Keys;
using Mtls.Pki.Names;
using Mtls.Pki.Online;

namespace Mtls.Ca.Tests;

/// <summary>
/// An online CA on a loopback port in this process: a root (offline), an issuing CA under it, the
/// SQLite inventory in a temp folder, and the test's clock. Clients are the real Mtls.Client over real TLS.
/// </summary>
public sealed class RunningCa : IAsyncDisposable
{
    private RunningCa(TempDir dir, CertificateAuthority root, CertificateAuthority issuing, CaInventory store, CaApplication app, TestClock clock)
    {
        Dir = dir;
        Root = root;
        Issuing = issuing;
        Store = store;
        App = app;
        Clock = clock;
    }

    public TempDir Dir { get; }
    public CertificateAuthority Root { get; }
    public CertificateAuthority Issuing { get; }
    public CaInventory Store { get; }
    public CaApplication App { get; }
    public TestClock Clock { get; }
    public Uri Url => App.Url;
    public string RootPath => Dir["root.crt"];

    public static async Task<RunningCa> StartAsync(Func<CaServerOptions, CaServerOptions>? configure = null)
    {
        var dir = new TempDir();
        var clock = new TestClock(DateTimeOffset.UtcNow);
        var root = TestPki.Root("/CN=Test Online Root", now: clock.GetUtcNow().AddDays(-1));
        var issuing = root.CreateIntermediate(DistinguishedName.Parse("/CN=Test Issuing CA"), KeySpec.P256, 365, clock.GetUtcNow().AddDays(-1), pathLength: 0).Intermediate;
        File.WriteAllText(dir["root.crt"], CertificateFile.ToPem(root.Certificate));
        var store = CaInventory.Open(dir["issuing.db"], issuing.Certificate, pooled: true);
        var options = new CaServerOptions
        {
            Authority = issuing,
            Store = store,
            Chain = [issuing.Certificate],
            Roots = [root.Certificate],
            Port = 0,
            Bind = [IPAddress.Loopback],
            Time = clock,
            MaxLifetime = TimeSpan.FromDays(7),
        };
        var app = await CaApplication.StartAsync(configure?.Invoke(options) ?? options);
        return new RunningCa(dir, root, issuing, store, app, clock);
    }

    public OnlineCaClient Client(X509Certificate2? certificate = null) =>
        new(Url, CaTrust.Roots([Root.Certificate]), certificate, [Issuing.Certificate]);

    public string Token(string profile = "server", TimeSpan? ttl = null, params string[] names)
    {
        var token = EnrollmentToken.New();
        var now = Clock.GetUtcNow();
        Store.AddToken(new TokenRecord(EnrollmentToken.Hash(token), names.Length == 0 ? ["DNS:localhost"] : names, profile, now, now + (ttl ?? TimeSpan.FromMinutes(15))));
        return token;
    }

    /// <summary>A fresh token that binds the subject CN <paramref name="cn"/> and the names given (perhaps none).</summary>
    public string CnToken(string cn, string profile = "client", params string[] names)
    {
        var token = EnrollmentToken.New();
        var now = Clock.GetUtcNow();
        Store.AddToken(new TokenRecord(EnrollmentToken.Hash(token), names, profile, now, now + TimeSpan.FromMinutes(15), CommonName: cn));
        return token;
    }

    /// <summary>A fresh P-256 key and its CSR (subject CN=<paramref name="cn"/>, the SANs given).</summary>
    public static (ECDsa Key, string Csr) Csr(string? cn = "localhost", params string[] sans)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        if (cn is not null) subject.AddCommonName(cn);
        return (key, CsrFile.ToPem(CsrFile.Create(key, subject.Build(), sans.Select(SubjectAlternativeName.Parse).ToList())));
    }

    /// <summary>Enrolls a fresh key with a fresh token; the certificate with its key, for renewals.</summary>
    public async Task<X509Certificate2> EnrollAsync(long? lifetimeSeconds = null, string profile = "server")
    {
        var (key, csr) = Csr();
        using var client = Client();
        var result = await client.EnrollAsync(Token(profile), csr, lifetimeSeconds);
        Assert.True(result.Issued is not null, $"enroll failed: {result.Problem?.Type} {result.Problem?.Detail} {result.Unreachable}");
        return X509Certificate2.CreateFromPem(result.Issued!.Certificate).CopyWithPrivateKey(key);
    }

    /// <summary>The refusal's problem, checked to be recorded in the store's events under its type.</summary>
    public Problem Refused(IssueResult result, string type)
    {
        Assert.True(result.Problem is not null, $"expected {type}, got {(result.Issued is not null ? "a certificate" : result.Unreachable)}");
        Assert.Equal("urn:mtls:error:" + type, result.Problem!.Type);
        Assert.Contains(Store.Events(), e => e.Kind == "refused" && e.Type == type);
        return result.Problem;
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        Store.Dispose();
        Issuing.Dispose();
        Root.Dispose();
        Dir.Dispose();
    }
}
