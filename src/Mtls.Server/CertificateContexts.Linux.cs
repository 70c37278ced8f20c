using System.Collections.ObjectModel;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;

namespace Mtls.Server;

// The platform half of CertificateContexts: the constructor reached here is the Linux (OpenSSL)
// implementation's; every other platform takes the public path in CertificateContexts.cs.
internal static partial class CertificateContexts
{
    /// <summary>The context from the platform's constructor, or null where it is not available.</summary>
    internal static SslStreamCertificateContext? TryWithoutChainBuild(X509Certificate2 leaf, IReadOnlyList<X509Certificate2> chain, SslCertificateTrust? trust)
    {
        if (!OperatingSystem.IsLinux()) return null;
        try { return Construct(leaf, new ReadOnlyCollection<X509Certificate2>(chain.ToList()), trust); }
        catch (MissingMethodException) { return null; }
    }

    [UnsafeAccessor(UnsafeAccessorKind.Constructor)]
    private static extern SslStreamCertificateContext Construct(X509Certificate2 target, ReadOnlyCollection<X509Certificate2> intermediates, SslCertificateTrust? trust);
}
