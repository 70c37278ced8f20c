using Mtls.Pki.Trust;

namespace Mtls.Pki.Validation;

/// <summary>
/// Revocation against the CRLs given (RFC 5280 6.3, simplified to complete CRLs issued by the
/// certificate's own issuer): nothing is fetched; a certificate no CRL covers is not checked.
/// </summary>
internal static class Revocation
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
                var about = $"the CRL of {crl.Issuer} (this update {Messages.Time(crl.ThisUpdate)})";
                if (Signatures.Verify(crl.Tbs.Span, crl.Signature, crl.SignatureAlgorithm, issuer) is { } bad)
                    return new(FailureReason.CrlProblem, depth, s, $"{s}: {about} is not signed by its issuer {issuer.SubjectText}: {bad.Message}");
                if (issuer.KeyUsage is { } ku && !ku.HasFlag(KeyUsageBits.CrlSign))
                    return new(FailureReason.CrlProblem, depth, s, $"{s}: {about} is signed by {issuer.SubjectText}, whose keyUsage lacks cRLSign");
                if (crl.Problem is { } problem)
                    return new(FailureReason.CrlProblem, depth, s, $"{s}: {about} cannot be used: {problem}");
                if (crl.ThisUpdate > at)
                    return new(FailureReason.CrlProblem, depth, s, $"{s}: {about} is not valid until {Messages.Time(crl.ThisUpdate)}");
                if (!acceptStale && crl.NextUpdate is { } next && next < at)
                    return new(FailureReason.CrlProblem, depth, s, $"{s}: {about} expired on {Messages.Time(next)}; get a fresh CRL from the CA");
                if (crl.Revoked.TryGetValue(cert.SerialHex, out var entry))
                    return new(FailureReason.Revoked, depth, s,
                        $"{s}: serial {cert.SerialHex} was revoked on {Messages.Time(entry.Date)} ({Crl.ReasonName(entry.Reason)}) by {crl.Issuer}");
            }
        }
        return null;
    }
}
