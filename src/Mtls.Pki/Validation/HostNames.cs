using Mtls.Pki.Names;

namespace Mtls.Pki.Validation;

/// <summary>
/// Is the leaf for this host? RFC 6125 on the subjectAltNames only (no fallback to the common name): the one
/// host matcher, used by path validation and by <see cref="Trust.ChainVerifier.MatchesHost"/> (mtls get).
/// Host syntax is Names' (<see cref="IpLiteral"/>, <see cref="DnsName"/>), the same the CA signs.
/// </summary>
internal static class HostNames
{
    public static bool Matches(ParsedCertificate cert, string host)
    {
        var sans = cert.SubjectAltNames ?? [];
        if (IpLiteral.TryParse(host, out byte[] ip))
            return sans.Any(n => n.Kind == GeneralNameKind.Ip && n.Bytes.AsSpan().SequenceEqual(ip));
        // A host may be written fully qualified ("example.com."); a SAN may not (DnsName).
        var name = host.EndsWith('.') ? host[..^1] : host;
        return DnsName.IsValid(name) && sans.Any(n => n.Kind == GeneralNameKind.Dns && DnsName.Matches(n.Text, name));
    }

    /// <summary>The names a certificate lists for a host to match (its SANs, or a phrase saying it has none), for a mismatch sentence.</summary>
    public static object Listed(ParsedCertificate cert) =>
        cert.SubjectAltNames is { Count: > 0 } sans
            ? string.Join(", ", sans.Select(n => n.ToString()))
            : Text.Phrase.Pki("Names_NoSubjectAltName", cert.Subject.CommonName ?? (object)Text.Phrase.Pki("Names_None"));
}
