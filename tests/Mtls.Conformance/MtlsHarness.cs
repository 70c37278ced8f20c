using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Trust;

namespace Mtls.Conformance;

/// <summary>Feeds a limbo case to mtls's verifier.</summary>
public sealed class MtlsHarness : IConformanceVerifier
{
    public string Name => "mtls";

    public Verdict Run(LimboCase c)
    {
        try
        {
            var leaf = X509CertificateLoader.LoadCertificate(c.Peer);
            var verifier = new ChainVerifier(c.Trusted.Select(t => X509CertificateLoader.LoadCertificate(t)));
            var options = new VerifyOptions
            {
                At = c.ValidationTime,
                Purpose = c.ValidationKind == "CLIENT" ? Purpose.Client : Purpose.Server,
                Host = c.ExpectedPeerName?.Value,
            };
            var result = verifier.Verify(leaf, c.Untrusted.Select(u => X509CertificateLoader.LoadCertificate(u)).ToList(), options);
            return result.IsValid ? Verdict.Pass() : Verdict.Fail(result.Failure!.Message);
        }
        catch (CryptographicException e)
        {
            return Verdict.Fail(e.Message);
        }
    }
}
