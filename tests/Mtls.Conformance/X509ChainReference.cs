using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Mtls.Conformance;

/// <summary>
/// The platform baseline: .NET's X509Chain with CustomRootTrust, measured in the same run as mtls so the
/// comparison is like for like. It cannot check a local CRL offline on Linux, so CRL cases are skipped.
/// </summary>
public sealed class X509ChainReference : IConformanceVerifier
{
    public string Name => "x509chain";

    public Verdict Run(LimboCase c)
    {
        if (c.Features.Contains("has-crl")) return Verdict.Skip("X509Chain cannot check a local CRL offline on Linux");
        X509Certificate2 leaf;
        var trusted = new X509Certificate2Collection();
        var extra = new X509Certificate2Collection();
        try
        {
            leaf = X509CertificateLoader.LoadCertificate(c.Peer);
            foreach (var t in c.Trusted) trusted.Add(X509CertificateLoader.LoadCertificate(t));
            foreach (var u in c.Untrusted) extra.Add(X509CertificateLoader.LoadCertificate(u));
        }
        catch (CryptographicException e)
        {
            return Verdict.Fail($"unreadable certificate: {e.Message}");
        }
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(trusted);
        policy.ExtraStore.AddRange(extra);
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = (c.ValidationTime ?? DateTimeOffset.UtcNow).UtcDateTime;
        foreach (var eku in c.ExtendedKeyUsage.DefaultIfEmpty(c.ValidationKind == "CLIENT" ? "clientAuth" : "serverAuth"))
            policy.ApplicationPolicy.Add(new Oid(eku == "clientAuth" ? "1.3.6.1.5.5.7.3.2" : "1.3.6.1.5.5.7.3.1"));
        try
        {
            if (!chain.Build(leaf))
                return Verdict.Fail(string.Join("; ", chain.ChainStatus.Select(s => s.Status.ToString())));
            if (c.MaxChainDepth is { } depth && chain.ChainElements.Count - 2 > depth)
                return Verdict.Fail("chain too deep");
            if (c.ExpectedPeerName is { } name && !leaf.MatchesHostname(name.Value, allowWildcards: true, allowCommonName: false))
                return Verdict.Fail($"host mismatch: {name.Value}");
            return Verdict.Pass();
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return Verdict.Fail(e.Message);
        }
        finally
        {
            foreach (var cert in trusted) cert.Dispose();
            foreach (var cert in extra) cert.Dispose();
            leaf.Dispose();
        }
    }
}
