using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Keys;
using Mtls.Pki.Text;

namespace Mtls.Pki.Certificates;

public sealed partial class CertificateAuthority
{
    /// <summary>
    /// Creates an intermediate CA signed by this CA, with a new key. pathLenConstraint: the parent's
    /// limit is honoured (a parent with pathLen 0 may not sign CAs; the child's limit is below the
    /// parent's, and defaults to parent - 1). notAfter is clamped to the parent's.
    /// </summary>
    public (CertificateAuthority Intermediate, IReadOnlyList<string> Notes) CreateIntermediate(
        X500DistinguishedName subject, KeySpec keySpec, int days, DateTimeOffset now, int? pathLength = null)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(keySpec);
        var notes = new List<string>();
        var profile = CertificateProfile.IntermediateCa;
        days = profile.ValidateDays(days);
        var parentBasic = Certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        if (parentBasic is { HasPathLengthConstraint: true })
        {
            var parentLimit = parentBasic.PathLengthConstraint;
            if (parentLimit == 0)
                throw MtlsException.Refused(Catalogue.Text("Ca_ParentPathLenZero"), MtlsErrorKind.PathLengthTooLarge);
            if (pathLength is int asked && asked >= parentLimit)
                throw MtlsException.Refused(Catalogue.Text("Ca_PathLenTooLarge", asked, parentLimit - 1), MtlsErrorKind.PathLengthTooLarge);
            if (pathLength is null)
            {
                pathLength = parentLimit - 1;
                notes.Add(Catalogue.Text("Note_PathLenSet", pathLength));
            }
        }
        var notAfter = now.AddDays(days);
        if (notAfter > Certificate.NotAfter)
        {
            notAfter = Certificate.NotAfter;
            notes.Add(Catalogue.Text("Note_ParentValidityShortened", Catalogue.Second(notAfter)));
        }
        if (notAfter <= now)
            throw MtlsException.Refused(Catalogue.Text("Ca_ParentExpired", Catalogue.Day(Certificate.NotAfter)));
        var notBefore = now - ClockSkew;
        if (notBefore < Certificate.NotBefore) notBefore = Certificate.NotBefore;

        var key = keySpec.Generate();
        try
        {
            var request = NewRequest(subject, key);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, pathLength is not null, pathLength ?? 0, critical: true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(profile.KeyUsage, critical: true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
            request.CertificateExtensions.Add(AuthorityKeyIdentifier());
            using var certificate = request.Create(Certificate.SubjectName, _generator, notBefore, notAfter, NewSerial());
            return (new CertificateAuthority(certificate.CopyWithPrivateKeyFor(key), key), notes);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }
}
