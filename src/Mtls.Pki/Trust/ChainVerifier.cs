using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Certificates;
using Mtls.Pki.Names;
using Mtls.Pki.Validation;

namespace Mtls.Pki.Trust;

/// <summary>
/// The one trust decision of the project: does a certificate chain to one of the given anchors (and
/// nothing else: never the machine's trust store), within its validity, for the given purpose and host?
/// Used by `mtls verify`, by `mtls serve` for client certificates and by `mtls get` for servers.
/// Built once per set of anchors (parsed here, once); <see cref="Verify"/> is thread-safe.
/// The rules are <see cref="PathValidator"/>'s: our own path builder with backtracking, RFC 5280 and
/// the Web PKI's certificate profile (X509Chain neither backtracks nor enforces several RFC 5280 rules).
/// </summary>
public sealed class ChainVerifier
{
    private readonly PathValidator _validator;

    public ChainVerifier(IEnumerable<X509Certificate2> anchors)
    {
        Anchors = anchors.ToList();
        if (Anchors.Count == 0)
            throw new ArgumentException("at least one trust anchor is needed", nameof(anchors));
        _validator = new PathValidator(Anchors);
    }

    public IReadOnlyList<X509Certificate2> Anchors { get; }

    public VerifyResult Verify(X509Certificate2 leaf, IReadOnlyList<X509Certificate2>? untrusted = null, VerifyOptions? options = null) =>
        _validator.Verify(leaf, untrusted, options);

    /// <summary>RFC 6125 host matching on the SANs (IP addresses against IP SANs only): the validator's matcher, so
    /// `mtls get` and `mtls verify --host` agree (a certificate our reader refuses names no host).</summary>
    public static bool MatchesHost(X509Certificate2 cert, string host)
    {
        try { return HostNames.Matches(ParsedCertificate.Parse(cert.RawData, cert), host); }
        catch (System.Formats.Asn1.AsnContentException) { return false; }
    }

    public static string NamesOf(X509Certificate2 cert)
    {
        var san = cert.Extensions.FirstOrDefault(e => e.Oid?.Value == Oids.SubjectAltName);
        if (san is null) return Text.Phrase.Pki("Names_NoSubjectAltName", DistinguishedName.CommonName(cert.SubjectName)).ToString();
        try { return SubjectAlternativeName.FormatList(SubjectAlternativeName.Decode(san.RawData, out _)); }
        catch (System.Formats.Asn1.AsnContentException) { return Text.Phrase.Pki("Names_MalformedSubjectAltName").ToString(); }
    }

    public static string Subject(X509Certificate2 cert) => DistinguishedName.Format(cert.SubjectName);
}
