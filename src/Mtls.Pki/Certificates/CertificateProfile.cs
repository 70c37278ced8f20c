using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Text;

namespace Mtls.Pki.Certificates;

public enum SanRule
{
    /// <summary>CA certificates carry no SAN.</summary>
    None,
    /// <summary>Server certificates must name at least one host (modern clients ignore the CN).</summary>
    Required,
    /// <summary>Client certificates may name the client in the subject alone.</summary>
    Optional,
}

/// <summary>
/// What a certificate of one kind may contain. Profiles are data; <see cref="CertificateAuthority"/>
/// applies them to a fresh template and copies from the CSR only the subject, the key and the SANs.
/// </summary>
public sealed record CertificateProfile(
    string Name,
    bool IsCa,
    X509KeyUsageFlags KeyUsage,
    bool RsaAddsKeyEncipherment,
    IReadOnlyList<string> ExtendedKeyUsages,
    SanRule Sans,
    int DefaultDays,
    int MaxDays)
{
    public static readonly CertificateProfile RootCa = new("root-ca", true,
        X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, false, [], SanRule.None, 3650, 36500);

    public static readonly CertificateProfile IntermediateCa = new("intermediate-ca", true,
        X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, false, [], SanRule.None, 1825, 36500);

    public static readonly CertificateProfile Server = new("server", false,
        X509KeyUsageFlags.DigitalSignature, true, [Oids.ServerAuth], SanRule.Required, 365, 3650);

    public static readonly CertificateProfile Client = new("client", false,
        X509KeyUsageFlags.DigitalSignature, true, [Oids.ClientAuth], SanRule.Optional, 365, 3650);

    /// <summary>The profiles a CA may sign a CSR with, by name.</summary>
    public static readonly IReadOnlyList<CertificateProfile> Signable = [Server, Client];

    public static CertificateProfile Get(string name) =>
        Signable.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new MtlsException(Catalogue.Text("Profile_Unknown", name, string.Join(" or ", Signable.Select(p => p.Name))));

    /// <summary>Checks a requested validity in days against the profile.</summary>
    public int ValidateDays(int? days)
    {
        var value = days ?? DefaultDays;
        if (value < 1 || value > MaxDays)
            throw new MtlsException(Catalogue.Text("Profile_Days", value, MaxDays, Name)) { Kind = MtlsErrorKind.DaysOutOfRange };
        return value;
    }
}
