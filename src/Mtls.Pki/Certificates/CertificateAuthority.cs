using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Keys;
using Mtls.Pki.Names;
using Mtls.Pki.Text;

namespace Mtls.Pki.Certificates;

/// <summary>A certificate issued, with the notes the signer wants the user to read.</summary>
public sealed record IssuedCertificate(X509Certificate2 Certificate, IReadOnlyList<string> Notes);

/// <summary>
/// A CA: its certificate and private key. Issues certificates from CSRs under a profile, starting each
/// from a fresh template (cfssl's rule: the caller is trusted, the CSR is not).
/// </summary>
public sealed partial class CertificateAuthority : IDisposable
{
    /// <summary>Certificates start a little in the past so that a peer whose clock lags still accepts them.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly X509SignatureGenerator _generator;

    public CertificateAuthority(X509Certificate2 certificate, AsymmetricAlgorithm key, string? notes = null)
    {
        Certificate = certificate;
        Key = key;
        _generator = SignatureGenerator(key);
    }

    public X509Certificate2 Certificate { get; }
    public AsymmetricAlgorithm Key { get; }

    /// <summary>Loads a CA from its certificate and key files, checking that they belong together and may sign.</summary>
    public static CertificateAuthority Load(string certPath, string keyPath, string? password)
    {
        var certificate = CertificateFile.Load(certPath);
        var key = PrivateKeyFile.Load(keyPath, password);
        if (!PrivateKeyFile.Matches(key, certificate.PublicKey))
            throw new MtlsException(Catalogue.Text("Ca_KeyMismatch", keyPath, certPath));
        var basic = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        if (basic is { CertificateAuthority: false })
            throw MtlsException.Refused(Catalogue.Text("Ca_NotACa", certPath));
        if (basic is null && certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData) is false)
            throw MtlsException.Refused(Catalogue.Text("Ca_NoBasicConstraints", certPath));
        var usage = certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        if (usage is not null && !usage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign))
            throw MtlsException.Refused(Catalogue.Text("Ca_NoKeyCertSign", certPath));
        return new CertificateAuthority(certificate, key);
    }

    /// <summary>Creates a self-signed root CA certificate with a new key.</summary>
    public static CertificateAuthority CreateRoot(X500DistinguishedName subject, KeySpec keySpec, int days, DateTimeOffset now, int? pathLength = null)
    {
        var key = keySpec.Generate();
        var request = NewRequest(subject, key);
        var profile = CertificateProfile.RootCa;
        days = profile.ValidateDays(days);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, pathLength is not null, pathLength ?? 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(profile.KeyUsage, critical: true));
        var ski = new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false);
        request.CertificateExtensions.Add(ski);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(ski));
        var notBefore = now - ClockSkew;
        using var certificate = request.Create(subject, SignatureGenerator(key), notBefore, now.AddDays(days), NewSerial());
        return new CertificateAuthority(certificate.CopyWithPrivateKeyFor(key), key);
    }

    /// <summary>
    /// Issues a certificate for a verified CSR. Only the subject, the public key and the SANs come from
    /// the CSR; everything else comes from the profile.
    /// </summary>
    public IssuedCertificate Issue(CertificateRequest csr, CertificateProfile profile, int days, IEnumerable<SubjectAlternativeName> extraNames, DateTimeOffset now) =>
        Issue(csr, profile, TimeSpan.FromDays(days), extraNames, now);

    /// <summary>As the other overload, for a lifetime to the second (the online CA issues certificates that live minutes or hours).</summary>
    public IssuedCertificate Issue(CertificateRequest csr, CertificateProfile profile, TimeSpan lifetime, IEnumerable<SubjectAlternativeName> extraNames, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(csr);
        ArgumentNullException.ThrowIfNull(profile);
        // The CSR is untrusted: its signature proves only that the sender holds the key, not that the
        // subject it signed is well-formed (the platform keeps the subject's bytes as they came).
        if (!DistinguishedName.IsWellFormed(csr.SubjectName))
            throw new MtlsException(Catalogue.Text("Ca_CsrSubjectCorrupt"));
        var notes = new List<string>();
        var names = CsrFile.RequestedNames(csr).Concat(extraNames).Distinct().ToList();
        foreach (var name in names)
            if (SubjectAlternativeName.Problem(name) is { } problem)
                throw new MtlsException(Catalogue.Text("Ca_CsrBadSan", Shown(name), problem));
        foreach (var name in names.Where(n => n.Kind == SanKind.Dns && DnsName.HasUnderscore(n.Value)))
            notes.Add(Catalogue.Text("Note_Underscore", name));

        var dropped = csr.CertificateExtensions.Where(e => e.Oid?.Value != Oids.SubjectAltName).Select(e => Oids.Name(e.Oid?.Value)).ToList();
        if (dropped.Count > 0)
            notes.Add(Catalogue.Text("Note_ExtensionsDropped", string.Join(", ", dropped), profile.Name));

        if (profile.Sans == SanRule.None && names.Count > 0)
        {
            notes.Add(Catalogue.Text("Note_SansDropped", SubjectAlternativeName.FormatList(names), profile.Name));
            names.Clear();
        }
        if (profile.Sans == SanRule.Required && names.Count == 0)
        {
            var cn = DistinguishedName.CommonName(csr.SubjectName);
            var fromCn = SubjectAlternativeName.FromHostLike(cn)
                ?? throw MtlsException.Refused(Catalogue.Text("Ca_ServerNeedsHost", cn), MtlsErrorKind.ServerNeedsHostName);
            names.Add(fromCn);
            notes.Add(Catalogue.Text("Note_SanFromCn", fromCn));
        }

        var notBefore = now - ClockSkew;
        if (notBefore < Certificate.NotBefore) notBefore = Certificate.NotBefore;
        var notAfter = now + lifetime;
        if (notAfter > Certificate.NotAfter)
        {
            notAfter = Certificate.NotAfter;
            notes.Add(Catalogue.Text("Note_ValidityShortened", Catalogue.Second(notAfter)));
        }
        if (notAfter <= now)
            throw MtlsException.Refused(Catalogue.Text("Ca_Expired", Catalogue.Day(Certificate.NotAfter)));

        var request = new CertificateRequest(csr.SubjectName, csr.PublicKey, KeySpec.HashFor(Key));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(profile.IsCa, false, 0, critical: true));
        var usage = profile.KeyUsage;
        if (profile.RsaAddsKeyEncipherment && csr.PublicKey.Oid.Value == Oids.RsaEncryption)
            usage |= X509KeyUsageFlags.KeyEncipherment;
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        if (profile.ExtendedKeyUsages.Count > 0)
        {
            var ekus = new OidCollection();
            foreach (var oid in profile.ExtendedKeyUsages) ekus.Add(new Oid(oid));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(ekus, critical: false));
        }
        if (names.Count > 0)
            request.CertificateExtensions.Add(SubjectAlternativeName.BuildExtension(names));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(csr.PublicKey, critical: false));
        request.CertificateExtensions.Add(AuthorityKeyIdentifier());

        try
        {
            var issued = request.Create(Certificate.SubjectName, _generator, notBefore, notAfter, NewSerial());
            return new IssuedCertificate(issued, notes);
        }
        catch (CryptographicException e)
        {
            // The platform re-reads what it signed: a CSR public key it cannot encode or decode ends here.
            throw new MtlsException(Catalogue.Text("Ca_CsrUnusable", e.Message.TrimEnd('.')), ExitCode.BadInput, e);
        }
    }

    // A hostile SAN may carry control or bidi characters: shown as \uXXXX so it cannot forge output.
    private static string Shown(SubjectAlternativeName name) =>
        string.Concat(name.ToString().Select(c => DistinguishedName.IsHidden(c) ? $"\\u{(int)c:X4}" : c.ToString()));

    private X509AuthorityKeyIdentifierExtension AuthorityKeyIdentifier()
    {
        var ski = Certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()
            ?? new X509SubjectKeyIdentifierExtension(Certificate.PublicKey, critical: false);
        return X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(ski);
    }

    private static CertificateRequest NewRequest(X500DistinguishedName subject, AsymmetricAlgorithm key) => key switch
    {
        ECDsa ec => new CertificateRequest(subject, ec, KeySpec.HashFor(key)),
        RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        _ => throw new MtlsException(Catalogue.Text("Key_OnlyEcRsa")),
    };

    private static X509SignatureGenerator SignatureGenerator(AsymmetricAlgorithm key) => key switch
    {
        ECDsa ec => X509SignatureGenerator.CreateForECDsa(ec),
        RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
        _ => throw new MtlsException(Catalogue.Text("Ca_OnlyEcRsa")),
    };

    /// <summary>128 random bits, positive and without a leading zero octet (RFC 5280 4.1.2.2, CA/B BR 7.1).</summary>
    public static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        if (serial[0] == 0) serial[0] = 0x01;
        return serial;
    }

    public void Dispose()
    {
        Key.Dispose();
        Certificate.Dispose();
    }
}

internal static class CertificateExtensions
{
    public static X509Certificate2 CopyWithPrivateKeyFor(this X509Certificate2 certificate, AsymmetricAlgorithm key) => key switch
    {
        ECDsa ec => certificate.CopyWithPrivateKey(ec),
        RSA rsa => certificate.CopyWithPrivateKey(rsa),
        _ => throw new MtlsException(Catalogue.Text("Key_OnlyEcRsa")),
    };
}
