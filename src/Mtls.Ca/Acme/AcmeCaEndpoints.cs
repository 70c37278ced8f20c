using Microsoft.AspNetCore.Routing;

namespace Mtls.Ca.Acme;

/// <summary>
/// ACME as one of the online CA's endpoint sets (<c>mtls ca serve --acme</c>): the CA's own signing key,
/// inventory, lifetime policy, clock, log and language behind <see cref="CaAcmeIssuer"/>; ACME's own
/// state (accounts, orders, nonces) in <paramref name="store"/>, in this process's memory by default.
/// </summary>
public sealed class AcmeCaEndpoints(AcmeOptions options, IAcmeStore? store = null) : ICaEndpoints
{
    public void Map(IEndpointRouteBuilder routes, CaContext ca)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(ca);
        var issuer = new CaAcmeIssuer(ca.Authority, ca.Options.Chain, ca.Store, ca.Lifetime(null), ca.Time, ca.Log, ca.Options.Language);
        routes.MapAcme(options with { Culture = ca.Options.Language }, issuer, store ?? new InMemoryAcmeStore { Time = ca.Time }, ca.Time);
    }
}
