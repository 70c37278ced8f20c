using System.Collections;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Mtls.Pki.Validation;

/// <summary>
/// The chain of a result as platform certificates, loaded when first read: a server that only looks at
/// the verdict (and the conformance run) never pays for loading them. A failed path may hold a
/// certificate the platform cannot load; then the chain reads as empty.
/// </summary>
internal sealed class LazyChain(IReadOnlyList<ParsedCertificate> path) : IReadOnlyList<X509Certificate2>
{
    private readonly Lazy<IReadOnlyList<X509Certificate2>> _chain = new(() =>
    {
        try { return path.Select(p => p.Platform).ToList(); }
        catch (CryptographicException) { return []; }
    });

    public int Count => _chain.Value.Count;

    public X509Certificate2 this[int index] => _chain.Value[index];

    public IEnumerator<X509Certificate2> GetEnumerator() => _chain.Value.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
