using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Text;

namespace Mtls.Pki.Revocation;

/// <summary>
/// RFC 5280 5.3.1 reason codes and their names: the one table that the CLI (revoke, crl show, ca list)
/// and the validator's "revoked" message both read, so a reason is spelled the same everywhere.
/// </summary>
/// <remarks>
/// Names are the ones <c>openssl ca -crl_reason</c> accepts (<c>CACompromise</c>, not RFC 5280's ASN.1
/// identifier <c>cACompromise</c>), because they are what a user types. Parsing ignores case, so the
/// RFC spellings are accepted as well.
/// </remarks>
public static class RevocationReasons
{
    // Revocable is false for removeFromCRL: it only un-lists a held certificate in a delta CRL, which
    // mtls does not issue, so it names an entry read from a CRL but is not a reason to revoke with. And for
    // AACompromise: it concerns attribute authorities (mtls issues no attribute certificates), and .NET's
    // CertificateRevocationListBuilder refuses to write it, so a certificate revoked with it made every
    // later `mtls ca crl` fail ("unexpected failure"): it is read from others' CRLs, never written.
    private static readonly (string Name, X509RevocationReason Reason, bool Revocable)[] All =
    [
        ("unspecified", X509RevocationReason.Unspecified, true),
        ("keyCompromise", X509RevocationReason.KeyCompromise, true),
        ("CACompromise", X509RevocationReason.CACompromise, true),
        ("affiliationChanged", X509RevocationReason.AffiliationChanged, true),
        ("superseded", X509RevocationReason.Superseded, true),
        ("cessationOfOperation", X509RevocationReason.CessationOfOperation, true),
        ("certificateHold", X509RevocationReason.CertificateHold, true),
        ("removeFromCRL", X509RevocationReason.RemoveFromCrl, false),
        ("privilegeWithdrawn", X509RevocationReason.PrivilegeWithdrawn, true),
        ("AACompromise", X509RevocationReason.AACompromise, false),
    ];

    /// <summary>The reasons a certificate can be revoked with, in code order.</summary>
    public static IEnumerable<string> Names => All.Where(a => a.Revocable).Select(a => a.Name);

    public static X509RevocationReason Parse(string name) =>
        All.FirstOrDefault(a => a.Revocable && string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase)) is { Name: not null } match
            ? match.Reason
            : throw new MtlsException(Catalogue.Text("Revoke_UnknownReason", name, string.Join(", ", Names))) { Kind = MtlsErrorKind.UnknownRevocationReason };

    /// <summary>
    /// Whether a CRL mtls makes can carry <paramref name="reason"/>: every code but removeFromCRL and
    /// AACompromise, which .NET's CertificateRevocationListBuilder refuses ("The specified revocation reason
    /// is not supported"). An older inventory may still hold one; such an entry is written without a reason.
    /// </summary>
    public static bool IsWritable(X509RevocationReason reason) => reason is not (X509RevocationReason.RemoveFromCrl or X509RevocationReason.AACompromise);

    /// <summary>The name of a reason code; a code RFC 5280 does not define (7 or above 10) is shown by number.</summary>
    public static string Name(X509RevocationReason reason) =>
        All.FirstOrDefault(a => a.Reason == reason).Name ?? $"reason {(int)reason}";
}
