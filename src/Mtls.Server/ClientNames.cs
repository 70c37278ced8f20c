using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Names;

namespace Mtls.Server;

/// <summary>
/// A client certificate's subject, issuer, serial and expiry as responses and logs show them, formatted
/// once per certificate object: Kestrel hands every request of a connection the same object, and the
/// keep-alive profile showed the name formatting (X.500 decoding, escaping) done three times per request
/// among the top managed costs (bench/RESULTS.md, "Notes on this session's keep-alive work"). Weak keys: an entry goes with its connection.
/// </summary>
internal static class ClientNames
{
    private static readonly ConditionalWeakTable<X509Certificate2, ClientInfo> Formatted = new();

    public static ClientInfo Of(X509Certificate2 cert) =>
        Formatted.GetValue(cert, static c => new ClientInfo(DistinguishedName.Format(c.SubjectName), DistinguishedName.Format(c.IssuerName),
            ServerLog.Serial(c), new DateTimeOffset(c.NotAfter.ToUniversalTime(), TimeSpan.Zero)));
}
