using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Certificates;
using Mtls.Pki.Keys;
using Mtls.Pki.Text;

namespace Mtls.Pki.Inventory;

/// <summary>
/// A CA at work: its certificate and key, its inventory and the chain that follows what it signs. The
/// rules of handing out certificates live here, whoever asks (a command, the online CA): every
/// certificate is recorded before its file is written (<see cref="Issuance"/>), and a renewal must match
/// the inventory row of the certificate it replaces.
/// </summary>
public sealed class IssuingCa : IDisposable
{
    private IssuingCa(CertificateAuthority authority, ICaStore inventory, IReadOnlyList<X509Certificate2> chain)
    {
        Authority = authority;
        Inventory = inventory;
        Chain = chain;
    }

    public CertificateAuthority Authority { get; }
    public ICaStore Inventory { get; }

    /// <summary>What goes after a leaf this CA signs: see <see cref="ChainAfterLeaf"/>.</summary>
    public IReadOnlyList<X509Certificate2> Chain { get; }

    /// <summary>Loads the CA (<paramref name="password"/> for an encrypted key) and opens its inventory (<paramref name="dbPath"/>: a file or a PostgreSQL connection string, else the file beside the certificate).</summary>
    public static IssuingCa Open(string caCertPath, string caKeyPath, string? password, string? dbPath)
    {
        ArgumentNullException.ThrowIfNull(caCertPath);
        var authority = CertificateAuthority.Load(caCertPath, caKeyPath, password);
        try
        {
            var chain = ChainAfterLeaf(caCertPath);
            return new IssuingCa(authority, CaStore.Open(dbPath, caCertPath, authority.Certificate), chain);
        }
        catch
        {
            authority.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The chain that goes after a leaf this CA signs: the CA and the intermediates in its file, no root
    /// (the peer must already trust the root; sending it is useless). Empty for a root CA.
    /// </summary>
    public static IReadOnlyList<X509Certificate2> ChainAfterLeaf(string caCertPath) =>
        CertificateFile.LoadAll(caCertPath).TakeWhile(c => !IsSelfSigned(c)).ToList();

    public static bool IsSelfSigned(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);
    }

    /// <summary>Signs every CSR of <paramref name="order"/> (all or nothing), records them, then writes their files.</summary>
    public IReadOnlyList<IssuedCertificate> Sign(SignOrder order, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(order);
        var issued = Authority.IssueMany(order.CsrPaths, order.Profile, order.Days, order.ExtraNames, now);
        Issuance.RecordThenWrite(Inventory, issued.Select((c, i) => (c.Certificate, order.OutPaths[i])).ToList(), order.Profile.Name, now, Chain, order.Force);
        return issued;
    }

    /// <summary>
    /// Renews a certificate this CA issued (its serial and fingerprint must be in the inventory): same
    /// subject, SANs and profile, a new serial and validity. The new key, if any, is written first with
    /// <paramref name="keyPassword"/> (asked only then), the old row is marked superseded with the new one recorded.
    /// </summary>
    public RenewedCertificate Renew(RenewalOrder order, Func<string?> keyPassword, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(keyPassword);
        using var old = CertificateFile.Load(order.OldPath);
        var replaced = RecordOf(old, order.OldPath);
        var profile = Renewal.ProfileOf(old, order.OldPath);
        var days = profile.ValidateDays(order.Days ?? Renewal.DaysOf(old, profile));

        using var newKey = order.KeyOutPath is null ? null : Renewal.SpecOf(old.PublicKey).Generate();
        var publicKey = newKey is null ? old.PublicKey : PublicKey.CreateFromSubjectPublicKeyInfo(newKey.ExportSubjectPublicKeyInfo(), out _);
        var issued = Authority.Issue(Renewal.RequestFor(old, publicKey), profile, days, [], now);
        var password = newKey is null ? null : keyPassword();
        Issuance.RecordRenewalThenWrite(Inventory, replaced.Serial, issued.Certificate, order.OutPath, profile.Name, now, Chain, order.Force,
            newKey is null ? null : () => PrivateKeyFile.Save(newKey, order.KeyOutPath!, password, order.Force));
        return new RenewedCertificate(issued, profile, replaced);
    }

    /// <summary>The inventory row of <paramref name="old"/>: same serial and same SHA-256 fingerprint, or refused (another CA issued it).</summary>
    private InventoryRecord RecordOf(X509Certificate2 old, string source)
    {
        var serial = InventoryRecord.SerialOf(old);
        var record = Inventory.Find(serial);
        if (record is null || !string.Equals(record.Sha256Fingerprint, Convert.ToHexString(old.GetCertHash(HashAlgorithmName.SHA256)), StringComparison.Ordinal))
            throw MtlsException.Refused(Language.Format(Resources.Sentences.Renew_NotThisCa, source,
                Names.DistinguishedName.Format(Authority.Certificate.SubjectName), serial, Inventory.Path));
        return record;
    }

    public void Dispose()
    {
        Inventory.Dispose();
        Authority.Dispose();
    }
}
