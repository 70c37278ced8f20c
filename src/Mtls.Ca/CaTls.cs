using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inventory;
using Mtls.Pki.Names;

namespace Mtls.Ca;

/// <summary>
/// The CA's own TLS certificate: issued by the CA itself at start (a fresh P-256 key, the server
/// profile, the names of <see cref="CaServerOptions.ServerNames"/>), recorded in its inventory like any
/// other, and renewed by itself at two thirds of its life; new handshakes get the new one. Client
/// certificates are asked for but optional at the TLS level (enrollment and ACME come without one); a
/// presented one is judged by the endpoint that needs it (<see cref="CaContext.Verify"/>), never by the
/// machine's trust store.
/// </summary>
internal sealed class CaTls : IDisposable
{
    private readonly CaContext _ca;
    private readonly ITimer _timer;
    private SslStreamCertificateContext _context;
    private X509Certificate2 _certificate;

    public CaTls(CaContext ca)
    {
        _ca = ca;
        (_certificate, _context) = IssueOwn(null);
        _timer = ca.Time.CreateTimer(_ => Renew(), null, RenewIn(_certificate), Timeout.InfiniteTimeSpan);
    }

    /// <summary>The certificate served now.</summary>
    public X509Certificate2 Certificate => Volatile.Read(ref _certificate);

    public SslServerAuthenticationOptions CreateOptions() => new()
    {
        ServerCertificateContext = Volatile.Read(ref _context),
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        ApplicationProtocols = [SslApplicationProtocol.Http11],
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        ClientCertificateRequired = true, // asked for; the callback lets a client without one in
        AllowRenegotiation = false,
        // The platform trusts nothing here (no system store read, no verdict used): the endpoint decides.
        CertificateChainPolicy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        },
        RemoteCertificateValidationCallback = (_, _, _, _) => true,
    };

    private TimeSpan RenewIn(X509Certificate2 certificate)
    {
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime()) + CertificateAuthority.ClockSkew;
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
        var at = notBefore + (notAfter - notBefore) * 2 / 3;
        var wait = at - _ca.Time.GetUtcNow();
        return wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait;
    }

    /// <summary>Renews now rather than at 2/3 of the life (tests; the timer calls the same code).</summary>
    internal void RenewNow() => Renew();

    private void Renew()
    {
        try
        {
            var old = Certificate;
            var (certificate, context) = IssueOwn(old);
            Volatile.Write(ref _context, context);
            Volatile.Write(ref _certificate, certificate);
            _ca.Log(CaText.Format("Log_OwnRenewed", _ca.Options.Language, InventoryRecord.SerialOf(certificate), certificate.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)));
            _timer.Change(RenewIn(certificate), Timeout.InfiniteTimeSpan);
        }
        catch (Exception e) when (e is Pki.MtlsException or CryptographicException or CaRefusal)
        {
            _ca.Log(CaText.Format("Log_OwnRenewFailed", _ca.Options.Language, e.Message));
            _timer.Change(TimeSpan.FromSeconds(30), Timeout.InfiniteTimeSpan);
        }
    }

    // The key lives as long as the certificate that carries it (not disposed here).
    private (X509Certificate2, SslStreamCertificateContext) IssueOwn(X509Certificate2? old)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var names = _ca.Options.ServerNames;
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(names.FirstOrDefault(n => n.Kind == SanKind.Dns)?.Value ?? "mtls ca serve");
        var request = CsrFile.Create(key, subject.Build(), names);
        var now = _ca.Time.GetUtcNow();
        using var issued = _ca.Issue(request, CertificateProfile.Server, _ca.Lifetime(null), now);
        var record = InventoryRecord.From(issued, CertificateProfile.Server.Name, now, null);
        if (old is null) _ca.Store.Record([record]);
        else _ca.Store.TryRecordRenewal(InventoryRecord.SerialOf(old), record);
        var withKey = issued.CopyWithPrivateKey(key);
        var context = SslStreamCertificateContext.Create(withKey, new X509Certificate2Collection(_ca.Options.Chain.ToArray()), offline: true);
        return (withKey, context);
    }

    public void Dispose() => _timer.Dispose();
}
