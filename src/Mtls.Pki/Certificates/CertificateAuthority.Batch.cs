using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Names;
using Mtls.Pki.Text;

namespace Mtls.Pki.Certificates;

public sealed partial class CertificateAuthority
{
    /// <summary>
    /// Loads, verifies and signs many CSR files on every core. Most of the time goes to checking each
    /// CSR (importing its public key validates the point, then the signature is verified) and to
    /// signing, all independent; each worker signs with its own copy of the CA key so no key handle is
    /// shared between threads. All or nothing: the first failing CSR, in input order, is thrown.
    /// </summary>
    public IReadOnlyList<IssuedCertificate> IssueMany(IReadOnlyList<string> csrPaths, CertificateProfile profile, int days,
        IReadOnlyList<SubjectAlternativeName> extraNames, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(csrPaths);
        var results = new IssuedCertificate?[csrPaths.Count];
        var errors = new Exception?[csrPaths.Count];
        var workers = Math.Clamp(Environment.ProcessorCount, 1, Math.Max(1, csrPaths.Count / 8));
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, worker =>
        {
            using var signer = worker == 0 ? null : Clone();
            var ca = signer ?? this;
            for (var i = worker; i < csrPaths.Count; i += workers)
            {
                try
                {
                    results[i] = ca.Issue(CsrFile.Load(csrPaths[i]), profile, days, extraNames, now);
                }
                catch (Exception e)
                {
                    errors[i] = e;
                    return; // this batch fails anyway; let the other workers finish their share
                }
            }
        });
        if (errors.FirstOrDefault(e => e is not null) is { } first)
            ExceptionDispatchInfo.Capture(first).Throw();
        return results.Select(r => r!).ToList();
    }

    /// <summary>The same CA with its own key object (for another thread).</summary>
    private CertificateAuthority Clone()
    {
        AsymmetricAlgorithm key = Key switch
        {
            ECDsa => ECDsa.Create(),
            RSA => RSA.Create(),
            _ => throw new MtlsException(Catalogue.Text("Ca_OnlyEcRsa")),
        };
        key.ImportPkcs8PrivateKey(Key.ExportPkcs8PrivateKey(), out _);
        return new CertificateAuthority(X509CertificateLoader.LoadCertificate(Certificate.RawData), key);
    }
}
