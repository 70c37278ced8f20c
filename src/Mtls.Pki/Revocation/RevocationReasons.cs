using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Text;

namespace Mtls.Pki.Revocation;

/// <summary>RFC 5280 5.3.1 reason codes by the names openssl uses (<c>openssl ca -crl_reason</c>).</summary>
public static class RevocationReasons
{
    private static readonly (string Name, X509RevocationReason Reason)[] All =
    [
        ("unspecified", X509RevocationReason.Unspecified),
        ("keyCompromise", X509RevocationReason.KeyCompromise),
        ("CACompromise", X509RevocationReason.CACompromise),
        ("affiliationChanged", X509RevocationReason.AffiliationChanged),
        ("superseded", X509RevocationReason.Superseded),
        ("cessationOfOperation", X509RevocationReason.CessationOfOperation),
        ("certificateHold", X509RevocationReason.CertificateHold),
        ("privilegeWithdrawn", X509RevocationReason.PrivilegeWithdrawn),
        ("AACompromise", X509RevocationReason.AACompromise),
    ];

    public static IEnumerable<string> Names => All.Select(a => a.Name);

    public static X509RevocationReason Parse(string name) =>
        All.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase)) is { Name: not null } match
            ? match.Reason
            : throw new MtlsException(Catalogue.Text("Revoke_UnknownReason", name, string.Join(", ", Names))) { Kind = MtlsErrorKind.UnknownRevocationReason };

    public static string Name(X509RevocationReason reason) =>
        All.FirstOrDefault(a => a.Reason == reason).Name ?? reason.ToString();
}
