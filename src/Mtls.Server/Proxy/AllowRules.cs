using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Certificates;
using Mtls.Pki.Names;

namespace Mtls.Server.Proxy;

/// <summary>
/// The <see cref="AllowList"/> as data ready to evaluate: sets for exact names, compiled URI patterns,
/// normalised fingerprints. <see cref="Evaluate"/> runs once per connection (ProxyConnection keeps the
/// verdict): the client certificate does not change within a connection.
/// </summary>
internal sealed class AllowRules
{
    private const string CnOid = "2.5.4.3";
    private const string OuOid = "2.5.4.11";

    private readonly HashSet<string> _cns;
    private readonly HashSet<string> _ous;
    private readonly HashSet<string> _dns;
    private readonly UriPattern[] _uris;
    private readonly HashSet<string> _fingerprints;

    public AllowRules(AllowList list)
    {
        List = list;
        _cns = new HashSet<string>(list.CommonNames, StringComparer.Ordinal);
        _ous = new HashSet<string>(list.OrganizationalUnits, StringComparer.Ordinal);
        _dns = new HashSet<string>(list.DnsNames.Select(d => d.TrimEnd('.')), StringComparer.OrdinalIgnoreCase);
        _uris = list.UriPatterns.Select(u => new UriPattern(u)).ToArray();
        _fingerprints = new HashSet<string>(list.Fingerprints.Select(NormalizeFingerprint), StringComparer.Ordinal);
    }

    public AllowList List { get; }

    /// <summary>"AB:CD..." or "abcd..." as 64 upper-case hex digits; anything else is not a SHA-256 fingerprint.</summary>
    public static string NormalizeFingerprint(string text) => text.Replace(":", "", StringComparison.Ordinal).Trim().ToUpperInvariant();

    /// <summary>True when <paramref name="text"/> is a SHA-256 fingerprint (64 hex digits, colons allowed).</summary>
    public static bool IsFingerprint(string text)
    {
        var hex = NormalizeFingerprint(text);
        return hex.Length == 64 && hex.All(Uri.IsHexDigit);
    }

    public AllowVerdict Evaluate(X509Certificate2 leaf)
    {
        if (List.AllowAll) return new AllowVerdict(true, "all");
        if (_cns.Count > 0 || _ous.Count > 0)
            foreach (var (oid, value) in Attributes(leaf.SubjectName))
            {
                if (oid == CnOid && _cns.Contains(value)) return new AllowVerdict(true, "cn=" + value);
                if (oid == OuOid && _ous.Contains(value)) return new AllowVerdict(true, "ou=" + value);
            }
        if (_dns.Count > 0 || _uris.Length > 0)
            foreach (var san in SubjectAltNames(leaf))
            {
                if (san.Kind == SanKind.Dns && _dns.Contains(san.Value.TrimEnd('.'))) return new AllowVerdict(true, "dns=" + san.Value);
                if (san.Kind == SanKind.Uri)
                    foreach (var pattern in _uris)
                        if (pattern.Matches(san.Value)) return new AllowVerdict(true, "uri=" + pattern.Text);
            }
        if (_fingerprints.Count > 0)
        {
            var sha256 = Convert.ToHexString(SHA256.HashData(leaf.RawDataMemory.Span));
            if (_fingerprints.Contains(sha256)) return new AllowVerdict(true, "fingerprint");
        }
        return AllowVerdict.Refused;
    }

    /// <summary>The subject's single-valued attributes (multi-valued RDNs are never matched: ambiguous).</summary>
    private static IEnumerable<(string Oid, string Value)> Attributes(X500DistinguishedName name)
    {
        var result = new List<(string, string)>();
        try
        {
            foreach (var rdn in name.EnumerateRelativeDistinguishedNames())
                if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value is { } oid && rdn.GetSingleElementValue() is { } value)
                    result.Add((oid, value));
        }
        catch (CryptographicException) { } // an unparsable name matches no rule
        return result;
    }

    /// <summary>The certificate's DNS, IP, URI and e-mail SANs (none when the extension is absent or broken).</summary>
    public static IReadOnlyList<SubjectAlternativeName> SubjectAltNames(X509Certificate2 cert)
    {
        foreach (var extension in cert.Extensions)
            if (extension.Oid?.Value == Oids.SubjectAltName)
            {
                try { return SubjectAlternativeName.Decode(extension.RawData, out _); }
                catch (System.Formats.Asn1.AsnContentException) { return []; }
                catch (CryptographicException) { return []; }
            }
        return [];
    }
}
