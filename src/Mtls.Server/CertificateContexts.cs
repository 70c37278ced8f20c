using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;

namespace Mtls.Server;

/// <summary>
/// The server's <see cref="SslStreamCertificateContext"/> from the chain we were given, without a chain
/// build. The public <c>SslStreamCertificateContext.Create</c> always builds the chain against the
/// machine's trust store even when offline: on Linux that reads every file of /etc/ssl/certs, 100-150 ms
/// of a 250 ms start (strace, bench/RESULTS.md "Where a handshake's time goes"), for a chain we already have. The platform's own
/// constructor, reached through <see cref="UnsafeAccessorAttribute"/> (Native AOT safe), takes the
/// intermediates as given. If a future .NET changes it, the public path is used.
/// </summary>
internal static partial class CertificateContexts
{
    public static SslStreamCertificateContext Create(X509Certificate2 leaf, IReadOnlyList<X509Certificate2> chain, SslCertificateTrust? trust)
    {
        return TryWithoutChainBuild(leaf, chain, trust)
            ?? SslStreamCertificateContext.Create(leaf, new X509Certificate2Collection(chain.ToArray()), offline: true, trust);
    }
}
