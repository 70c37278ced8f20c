using Microsoft.AspNetCore.Routing;

namespace Mtls.Ca;

/// <summary>
/// The extension point of the CA's application: a set of endpoints mapped beside the core ones
/// (/health, /v1/enroll, ...) on the same TLS listener, with the CA's services (<see cref="CaContext"/>).
/// ACME (RFC 8555, src/Mtls.Ca/Acme) is one. Map with RequestDelegate handlers (no reflection: Native AOT).
/// </summary>
public interface ICaEndpoints
{
    void Map(IEndpointRouteBuilder routes, CaContext ca);
}
