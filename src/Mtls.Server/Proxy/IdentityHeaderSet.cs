namespace Mtls.Server.Proxy;

/// <summary>Which headers tell the backend who the client is (<see cref="ProxyOptions.IdentityHeaders"/>); combine with |.</summary>
[Flags]
public enum IdentityHeaderSet
{
    /// <summary>No identity headers (the spoofable ones are still removed).</summary>
    None = 0,
    /// <summary>RFC 9440: Client-Cert (and Client-Cert-Chain with <see cref="ProxyOptions.ForwardChain"/>), DER as a structured-field byte sequence.</summary>
    Rfc9440 = 1,
    /// <summary>X-Client-Subject (RFC 4514), X-Client-San-Dns, X-Client-San-Uri, X-Client-Cert-Sha256; percent-encoded.</summary>
    Simple = 2,
    /// <summary>Envoy's X-Forwarded-Client-Cert (Hash, Cert, Chain, Subject, URI, DNS).</summary>
    Xfcc = 4,
}
