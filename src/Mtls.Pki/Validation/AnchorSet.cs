namespace Mtls.Pki.Validation;

/// <summary>The trust anchors, parsed once and indexed by subject name; immutable, so shared by every verification.</summary>
internal sealed class AnchorSet
{
    private readonly Dictionary<string, List<ParsedCertificate>> _bySubject = [];
    private readonly HashSet<string> _der = [];

    public AnchorSet(IEnumerable<ParsedCertificate> anchors)
    {
        var all = new List<ParsedCertificate>();
        foreach (var anchor in anchors)
        {
            if (!_der.Add(Convert.ToBase64String(anchor.Der))) continue;
            all.Add(anchor);
            if (!_bySubject.TryGetValue(anchor.Subject.Key, out var list)) _bySubject[anchor.Subject.Key] = list = [];
            list.Add(anchor);
        }
        All = all;
    }

    public IReadOnlyList<ParsedCertificate> All { get; }

    public bool Contains(ParsedCertificate cert) => _der.Contains(Convert.ToBase64String(cert.Der));

    public IEnumerable<ParsedCertificate> IssuersOf(ParsedCertificate child) =>
        _bySubject.TryGetValue(child.Issuer.Key, out var list) ? PathSearch.Order(child, list) : [];
}
