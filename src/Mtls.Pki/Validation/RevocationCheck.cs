using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Revocation;
using Mtls.Pki.Text;
using Mtls.Pki.Trust;

namespace Mtls.Pki.Validation;

/// <summary>
/// Revocation against the CRLs given (RFC 5280 6.3, simplified to complete CRLs issued by the
/// certificate's own issuer): nothing is fetched; a certificate no CRL covers is not checked.
/// </summary>
internal static class RevocationCheck
{
    public static VerifyFailure? Check(IReadOnlyList<ParsedCertificate> path, IReadOnlyList<Crl> crls, DateTimeOffset at, bool acceptStale = false)
    {
        if (crls.Count == 0) return null;
        for (var depth = 0; depth < path.Count - 1; depth++)
        {
            var cert = path[depth];
            var issuer = path[depth + 1];
            var s = cert.SubjectText;
            foreach (var crl in crls.Where(c => c.Issuer.SameAs(cert.Issuer)))
            {
                var about = Phrase.Pki("Crl_About", crl.Issuer.ToString(), Messages.Time(crl.ThisUpdate));
                if (Signatures.Verify(crl.Tbs.Span, crl.Signature, crl.SignatureAlgorithm, issuer) is { } bad)
                    return new(FailureReason.CrlProblem, depth, s, Phrase.Pki("Crl_NotSignedByIssuer", s, about, issuer.SubjectText, bad.Message));
                if (issuer.KeyUsage is { } ku && !ku.HasFlag(KeyUsageBits.CrlSign))
                    return new(FailureReason.CrlProblem, depth, s, Phrase.Pki("Crl_IssuerLacksCrlSign", s, about, issuer.SubjectText));
                if (crl.Problem is { } problem)
                    return new(FailureReason.CrlProblem, depth, s, Phrase.Pki("Crl_Unusable", s, about, problem));
                if (crl.ThisUpdate > at)
                    return new(FailureReason.CrlProblem, depth, s, Phrase.Pki("Crl_NotYetValid", s, about, Messages.Time(crl.ThisUpdate)));
                if (!acceptStale && crl.NextUpdate is { } next && next < at)
                    return new(FailureReason.CrlProblem, depth, s, Phrase.Pki("Crl_Stale", s, about, Messages.Time(next)));
                if (crl.Revoked.TryGetValue(cert.SerialHex, out var entry))
                    return new(FailureReason.Revoked, depth, s,
                        Phrase.Pki("Crl_Revoked", s, cert.SerialHex, Messages.Time(entry.Date),
                            entry.Reason is null ? Phrase.Pki("Crl_NoReasonGiven") : RevocationReasons.Name((X509RevocationReason)entry.Reason.Value), crl.Issuer.ToString()));
            }
        }
        return null;
    }
}
