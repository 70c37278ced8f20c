using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Keys;
using Mtls.Pki.Revocation;
using Mtls.Pki.Text;

namespace Mtls.Pki.Certificates;

public sealed partial class CertificateAuthority
{
    /// <summary>
    /// Signs a CRL listing <paramref name="revoked"/>. Uses the signature-generator overload of
    /// CertificateRevocationListBuilder.Build, which (unlike the certificate overload) accepts CAs made
    /// by openssl that lack keyUsage or SKI; we add the AKI ourselves as Issue does. An entry whose reason
    /// the platform cannot write (<see cref="RevocationReasons.IsWritable"/>) is listed without a reason
    /// extension, as RFC 5280 5.3.1 prefers to "unspecified": the certificate is revoked all the same, and
    /// one such entry never stops the CA from publishing its CRL. Callers tell the user which.
    /// </summary>
    public byte[] CreateCrl(IEnumerable<RevokedCertificate> revoked, BigInteger crlNumber, DateTimeOffset thisUpdate, DateTimeOffset nextUpdate)
    {
        ArgumentNullException.ThrowIfNull(revoked);
        var usage = Certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        if (usage is not null && !usage.KeyUsages.HasFlag(X509KeyUsageFlags.CrlSign))
            throw MtlsException.Refused(Catalogue.Text("Ca_NoCrlSign"));
        if (nextUpdate <= thisUpdate)
            throw new MtlsException(Catalogue.Text("Crl_NextUpdateInPast")) { Kind = MtlsErrorKind.NextUpdateNotInFuture };
        var builder = new CertificateRevocationListBuilder();
        foreach (var entry in revoked)
            builder.AddEntry(Convert.FromHexString(entry.Serial), entry.RevokedAt, entry.Reason is { } reason && !RevocationReasons.IsWritable(reason) ? null : entry.Reason);
        return builder.Build(Certificate.SubjectName, _generator, crlNumber, nextUpdate, KeySpec.HashFor(Key), AuthorityKeyIdentifier(), thisUpdate);
    }
}
