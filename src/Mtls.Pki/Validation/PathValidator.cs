using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Text;
using Mtls.Pki.Trust;

namespace Mtls.Pki.Validation;

/// <summary>
/// RFC 5280 path validation with the Web PKI's certificate profile, on our own path builder (with
/// backtracking) and the platform's signature primitives. Where RFC 5280 and the Web PKI disagree, RFC
/// 5280 wins: a leaf without extendedKeyUsage is accepted (the workshop's openssl-made certificates have
/// none), a CA certificate may be a leaf, and nameConstraints must be critical.
/// The anchors are parsed once here; <see cref="Verify(byte[], IReadOnlyList{byte[]}, VerifyOptions?)"/> is thread-safe.
/// </summary>
public sealed class PathValidator
{
    private readonly AnchorSet _anchors;

    /// <summary>Anchors that could not be parsed at all, with why (they are never used).</summary>
    public IReadOnlyList<string> UnusableAnchors { get; }

    public PathValidator(IEnumerable<X509Certificate2> anchors)
        : this(anchors.Select(a => (a.RawData, (X509Certificate2?)a))) { }

    public PathValidator(IEnumerable<byte[]> anchors)
        : this(anchors.Select(a => (a, (X509Certificate2?)null))) { }

    private PathValidator(IEnumerable<(byte[] Der, X509Certificate2? Platform)> anchors)
    {
        var parsed = new List<ParsedCertificate>();
        var unusable = new List<string>();
        foreach (var (der, platform) in anchors)
        {
            try { parsed.Add(ParsedCertificate.Parse(der, platform)); }
            catch (AsnContentException e) { unusable.Add(Phrase.Pki("Validate_UnusableAnchor", platform?.Subject ?? (object)Phrase.Pki("Validate_ATrustedCertificate"), e.Message).ToString()); }
        }
        _anchors = new AnchorSet(parsed);
        UnusableAnchors = unusable;
    }

    public int AnchorCount => _anchors.All.Count;

    public VerifyResult Verify(X509Certificate2 leaf, IReadOnlyList<X509Certificate2>? untrusted = null, VerifyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        return Verify(leaf.RawData, (untrusted ?? []).Select(u => u.RawData).ToList(), options, leaf);
    }

    public VerifyResult Verify(byte[] leaf, IReadOnlyList<byte[]> untrusted, VerifyOptions? options = null) =>
        Verify(leaf, untrusted, options, null);

    private VerifyResult Verify(byte[] leafDer, IReadOnlyList<byte[]> untrusted, VerifyOptions? options, X509Certificate2? platformLeaf)
    {
        options ??= new VerifyOptions();
        // Certificate times have whole seconds; a fraction of a second past notAfter is still that second.
        var now = options.At ?? DateTimeOffset.UtcNow;
        var at = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

        ParsedCertificate leaf;
        try { leaf = ParsedCertificate.Parse(leafDer, platformLeaf); }
        catch (AsnContentException e)
        {
            return VerifyResult.Fail(FailureReason.Malformed, 0, "(unreadable)", Phrase.Pki("Validate_Unreadable", e.Message));
        }
        var crls = new List<Crl>();
        for (var i = 0; i < options.Crls.Count; i++)
        {
            try { crls.Add(Crl.ParseCached(options.Crls[i])); }
            catch (AsnContentException e)
            {
                return new VerifyResult([], new VerifyFailure(FailureReason.CrlProblem, 0, leaf.SubjectText, Phrase.Pki("Validate_BadCrl", i + 1, e.Message)));
            }
        }
        var intermediates = new List<ParsedCertificate>();
        foreach (var der in untrusted)
        {
            try { intermediates.Add(ParsedCertificate.Parse(der)); }
            catch (AsnContentException) { } // an unreadable extra certificate is simply not a candidate
        }

        var search = new PathSearch(_anchors, intermediates, at, options, crls);
        if (search.Run(leaf))
            return new VerifyResult(new LazyChain(search.Found!), null) { Lapses = search.Lapses };
        var failure = search.Failure ?? new VerifyFailure(FailureReason.UnknownIssuer, 0, leaf.SubjectText, Phrase.Pki("Validate_NoPath", leaf.SubjectText));
        return new VerifyResult(new LazyChain(search.FailedPath), failure);
    }
}
