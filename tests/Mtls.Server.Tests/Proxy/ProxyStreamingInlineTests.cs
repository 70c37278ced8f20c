namespace Mtls.Server.Tests.Proxy;

/// <summary>
/// <see cref="ProxyStreamingTests"/> (WebSocket echo, HTTP/2 gRPC-style stream, Unix-socket backend) with
/// <see cref="Mtls.Server.Proxy.ProxyOptions.InlineScheduling"/> on, as the mtls CLI runs the proxy: the work
/// moved onto the socket threads must still flow both ways at once.
/// </summary>
[Trait("Category", "Proxy")]
public class ProxyStreamingInlineTests(WorkshopPki pki) : ProxyStreamingTests(pki)
{
    protected override bool Inline => true;
}
