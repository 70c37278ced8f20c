using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Mtls.Server.Proxy;

/// <summary>
/// YARP's default request copy (headers, path, query; hop-by-hop headers left out), then the proxy's
/// own headers: the client's identity and X-Forwarded-For/-Proto/-Host, set rather than appended (the
/// client's copies were removed before, <see cref="SpoofableHeaders"/>).
/// </summary>
internal sealed class ProxyTransformer : HttpTransformer
{
    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        var headers = proxyRequest.Headers;
        var connection = ConnectionFacts.Of(httpContext);
        foreach (var (name, value) in connection.Proxy!.Identity)
            headers.TryAddWithoutValidation(name, value);
        if (connection.RemoteAddress is { } address) headers.TryAddWithoutValidation("X-Forwarded-For", address);
        headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
        if (httpContext.Request.Host.HasValue) headers.TryAddWithoutValidation("X-Forwarded-Host", httpContext.Request.Host.Value);
    }
}
