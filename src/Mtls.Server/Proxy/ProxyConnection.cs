namespace Mtls.Server.Proxy;

/// <summary>
/// What the proxy decides once per connection, on its first request: whether the allow rules admit the
/// client, and the identity headers the backend gets. Kept on the connection's <see cref="ConnectionFacts"/>.
/// </summary>
internal sealed class ProxyConnection(AllowVerdict allow, KeyValuePair<string, string>[] identity)
{
    public AllowVerdict Allow { get; } = allow;

    /// <summary>Identity headers (empty when the client is not admitted: nothing about a refused client reaches a backend).</summary>
    public KeyValuePair<string, string>[] Identity { get; } = identity;
}
