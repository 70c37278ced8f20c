using Mtls.Pki.Text;
using Mtls.Pki.Trust;

namespace Mtls.Pki.Validation;

/// <summary>
/// Depth-first path building with backtracking: from the leaf, every candidate issuer (same subject name,
/// matching key identifier first) is tried, anchors before intermediates, until one whole path passes
/// every check. Bounded: no certificate (name and key) twice in a path, at most MaxDepth intermediates,
/// at most <see cref="MaxWork"/> candidates tried in all. One search per verification; not shared.
/// </summary>
internal sealed class PathSearch(AnchorSet anchors, IReadOnlyList<ParsedCertificate> intermediates, DateTimeOffset at, VerifyOptions options, IReadOnlyList<Crl> crls)
{
    public const int MaxWork = 4096;

    private readonly Dictionary<(ParsedCertificate, ParsedCertificate), Defect?> _signatures = [];
    private readonly List<ParsedCertificate> _path = [];
    private int _work;
    private (int Score, VerifyFailure Failure, IReadOnlyList<ParsedCertificate> Path)? _best;

    public IReadOnlyList<ParsedCertificate>? Found { get; private set; }
    public IReadOnlyList<VerifyLapse> Lapses { get; private set; } = [];
    public VerifyFailure? Failure => _best?.Failure;
    public IReadOnlyList<ParsedCertificate> FailedPath => _best?.Path ?? [];

    public bool Run(ParsedCertificate leaf)
    {
        _path.Add(leaf);
        if (anchors.Contains(leaf))
            return Complete();
        if (PathChecks.Local(leaf, 0, isAnchor: false, at, new LapseLog(options.Strict)) is { } local)
        {
            Record(local);
            return false;
        }
        return Extend();
    }

    private bool Extend()
    {
        var child = _path[^1];
        var depth = _path.Count - 1;
        var candidates = anchors.IssuersOf(child).Select(c => (c, true))
            .Concat(Order(child, intermediates.Where(i => i.Subject.SameAs(child.Issuer))).Select(c => (c, false)))
            .ToList();
        if (candidates.Count == 0)
        {
            Record(UnknownIssuer(child, depth));
            return false;
        }
        foreach (var (candidate, isAnchor) in candidates)
        {
            if (++_work > MaxWork)
            {
                Record(new(FailureReason.ChainTooDeep, depth, child.SubjectText, Phrase.Pki("Search_GaveUp", child.SubjectText, MaxWork)), bonus: 100);
                return false;
            }
            if (_path.Any(p => p.Subject.SameAs(candidate.Subject) && p.SubjectPublicKeyInfo.AsSpan().SequenceEqual(candidate.SubjectPublicKeyInfo)))
            {
                // A cycle: this CA (name and key) is already in the path.
                var cycle = UnknownIssuer(child, depth);
                // A self-signed root is its own only candidate: say that plainly rather than "a cycle".
                Record(child.IsSelfIssued && ReferenceEquals(candidate, child) ? cycle
                    : cycle with { Text = Phrase.Pki("Search_Cycle", cycle.Text) }, bonus: -1);
                continue;
            }
            if (Signature(child, candidate) is { } bad)
            {
                if (child.AuthorityKeyId?.KeyId is { } aki && candidate.SubjectKeyId is { } ski && !aki.AsSpan().SequenceEqual(ski))
                    Record(UnknownIssuer(child, depth)); // a different CA that happens to have the same name
                else if (bad.Reason == FailureReason.UnsupportedAlgorithm)
                    Record(new(bad.Reason, depth, child.SubjectText,
                        Phrase.Pki(isAnchor ? "Search_SignatureUncheckedTrusted" : "Search_SignatureUnchecked", child.SubjectText, candidate.SubjectText, bad.Message)));
                else Record(new(FailureReason.BadSignature, depth, child.SubjectText,
                    Phrase.Pki(isAnchor ? "Search_BadSignatureTrusted" : "Search_BadSignature", child.SubjectText, candidate.SubjectText, bad.Message)), bonus: -1);
                continue;
            }
            _path.Add(candidate);
            if (Intermediates(isAnchor) > options.MaxDepth)
                Record(new(FailureReason.ChainTooDeep, depth + 1, candidate.SubjectText, Phrase.Pki("Search_TooDeep", options.MaxDepth, candidate.SubjectText)));
            else if (isAnchor ? Complete() : Local(candidate, depth + 1) && Extend())
                return true;
            _path.RemoveAt(_path.Count - 1);
        }
        return false;
    }

    private bool Local(ParsedCertificate candidate, int depth)
    {
        if (PathChecks.Local(candidate, depth, isAnchor: false, at, new LapseLog(options.Strict)) is not { } failure) return true;
        Record(failure);
        return false;
    }

    private bool Complete()
    {
        // The lapses of this path only: a path abandoned while backtracking leaves none behind.
        var lapses = new LapseLog(options.Strict);
        var failure = PathChecks.Path(_path, at, options, lapses) ?? RevocationCheck.Check(_path, crls, at, options.AcceptStaleCrls);
        if (failure is null)
        {
            Found = _path.ToList();
            Lapses = lapses.Found;
            return true;
        }
        Record(failure);
        return false;
    }

    /// <summary>
    /// The intermediates of the path so far, as openssl's -verify_depth counts them: not the leaf, not the
    /// anchor (the last one, when <paramref name="lastIsAnchor"/>), not a self-issued CA (RFC 5280 6.1.4 (l)).
    /// </summary>
    private int Intermediates(bool lastIsAnchor) =>
        _path.Skip(1).Take(_path.Count - (lastIsAnchor ? 2 : 1)).Count(p => !p.IsSelfIssued);

    private Defect? Signature(ParsedCertificate child, ParsedCertificate issuer)
    {
        if (!_signatures.TryGetValue((child, issuer), out var result))
            _signatures[(child, issuer)] = result = Signatures.Verify(child.Tbs.Span, child.Signature, child.SignatureAlgorithm, issuer);
        return result;
    }

    /// <summary>Candidates whose subjectKeyIdentifier is the child's authorityKeyIdentifier first.</summary>
    public static IEnumerable<ParsedCertificate> Order(ParsedCertificate child, IEnumerable<ParsedCertificate> candidates) =>
        child.AuthorityKeyId?.KeyId is { } keyId
            ? candidates.OrderBy(c => c.SubjectKeyId is { } ski && ski.AsSpan().SequenceEqual(keyId) ? 0 : 1)
            : candidates;

    /// <summary>Keeps the most informative failure: from the longest path; at equal length, a rule broken beats a missing issuer.</summary>
    private void Record(VerifyFailure failure, int bonus = 0)
    {
        var score = _path.Count * 10 + (failure.Reason == FailureReason.UnknownIssuer ? 0 : 2) + bonus;
        if (_best is null || score > _best.Value.Score)
            _best = (score, failure, _path.ToList());
    }

    private VerifyFailure UnknownIssuer(ParsedCertificate cert, int depth)
    {
        var s = cert.SubjectText;
        var keyId = cert.AuthorityKeyId?.KeyId;
        var sameName = anchors.All.FirstOrDefault(a => a.Subject.SameAs(cert.Issuer));
        var sameKey = keyId is null ? null : anchors.All.FirstOrDefault(a => a.SubjectKeyId is { } ski && ski.AsSpan().SequenceEqual(keyId));
        var trusted = string.Join("; ", anchors.All.Take(5).Select(a => a.SubjectText));
        var closest = sameName is not null
            ? Phrase.Pki("Search_SameNameOtherKey", Messages.KeyId(sameName.SubjectKeyId))
            : sameKey is not null
                ? Phrase.Pki("Search_SameKeyOtherName", sameKey.SubjectText)
                : anchors.All.Count > 5 ? Phrase.Pki("Search_TrustedAndMore", trusted, anchors.All.Count - 5) : Phrase.Pki("Search_Trusted", trusted);
        if (cert.IsSelfIssued)
            return new(FailureReason.UnknownIssuer, depth, s, Phrase.Pki("Search_UntrustedRoot", s, closest));
        return new(FailureReason.UnknownIssuer, depth, s, Phrase.Pki("Search_UnknownIssuer", s, cert.Issuer.ToString(), Messages.KeyId(keyId), closest));
    }
}
