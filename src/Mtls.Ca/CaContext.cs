using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inventory;
using Mtls.Pki.Names;
using Mtls.Pki.Trust;

namespace Mtls.Ca;

/// <summary>
/// The CA's services, as every endpoint set (<see cref="ICaEndpoints"/>) gets them: the authority and its
/// store, the policy on lifetimes, the one signing path (<see cref="Issue"/>), the check of a presented
/// certificate (<see cref="Verify"/>), the clock and the log.
/// </summary>
public sealed class CaContext
{
    private readonly ChainVerifier _verifier;

    public CaContext(CaServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _verifier = new ChainVerifier([options.Authority.Certificate]);
        ChainPem = string.Concat(options.Chain.Select(CertificateFile.ToPem));
        CaSha256 = Convert.ToHexString(options.Authority.Certificate.GetCertHash(HashAlgorithmName.SHA256));
        CaSubject = DistinguishedName.Format(options.Authority.Certificate.SubjectName);
    }

    public CaServerOptions Options { get; }
    public CertificateAuthority Authority => Options.Authority;
    public ICaStore Store => Options.Store;
    public TimeProvider Time => Options.Time;

    /// <summary>The intermediates sent after every leaf (PEM; empty when the CA is a root).</summary>
    public string ChainPem { get; }

    public string CaSha256 { get; }
    public string CaSubject { get; }

    public void Log(string line) => Options.Log(line);

    /// <summary>
    /// The lifetime to issue for a request that asked for <paramref name="seconds"/> (null: the default),
    /// or the refusal: under a minute, or above --max-lifetime.
    /// </summary>
    public TimeSpan Lifetime(long? seconds)
    {
        if (seconds is null) return Options.DefaultLifetime < Options.MaxLifetime ? Options.DefaultLifetime : Options.MaxLifetime;
        var asked = TimeSpan.FromSeconds(Math.Clamp(seconds.Value, long.MinValue / TimeSpan.TicksPerSecond, long.MaxValue / TimeSpan.TicksPerSecond));
        if (asked < CaServerOptions.MinLifetime)
            throw Refuse(RefusalNames.LifetimeTooShort, CaText.Say("Refuse_LifetimeTooShort", seconds, (long)CaServerOptions.MinLifetime.TotalSeconds));
        if (asked > Options.MaxLifetime)
            throw Refuse(RefusalNames.LifetimeTooLong, CaText.Say("Refuse_LifetimeTooLong", seconds, (long)Options.MaxLifetime.TotalSeconds));
        return asked;
    }

    /// <summary>
    /// Signs under <paramref name="profile"/> for <paramref name="lifetime"/> (never past the CA's own
    /// notAfter: Issue shortens it). The request is untrusted: only its subject, key and SANs are used.
    /// </summary>
    public X509Certificate2 Issue(CertificateRequest request, CertificateProfile profile, TimeSpan lifetime, DateTimeOffset now)
    {
        try
        {
            return Authority.Issue(request, profile, lifetime, [], now).Certificate;
        }
        catch (Pki.MtlsException e) when (Authority.Certificate.NotAfter.ToUniversalTime() <= now.UtcDateTime)
        {
            throw Refuse(RefusalNames.CaExpired, e.Message);
        }
        catch (Pki.MtlsException e)
        {
            throw Refuse(RefusalNames.BadCsr, e.Message);
        }
    }

    /// <summary>Path validation of a presented certificate against this CA only (Pki's validator), at <paramref name="at"/>.</summary>
    public VerifyResult Verify(X509Certificate2 leaf, DateTimeOffset at) =>
        _verifier.Verify(leaf, null, new VerifyOptions { Purpose = Purpose.Any, At = at });

    public static CaRefusal Refuse(string name, string detail, string? serial = null) =>
        new(name, RefusalNames.All[name].Status, detail, serial);
}
