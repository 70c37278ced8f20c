using Mtls.Pki.Inventory;
using Microsoft.AspNetCore.Routing;

namespace Mtls.Ca.Acme;

/// <summary>
/// ACME as one of the online CA's endpoint sets (<c>mtls ca serve --acme</c>): the CA's own signing key,
/// inventory, lifetime policy, clock, log and language behind <see cref="CaAcmeIssuer"/>; ACME's own
/// state (accounts, orders, nonces) in <paramref name="store"/>; by default in the CA's own inventory
/// (<see cref="SqlAcmeStore"/>: shared by every node on the same database, kept across restarts).
/// </summary>
public sealed class AcmeCaEndpoints(AcmeOptions options, IAcmeStore? store = null) : ICaEndpoints
{
    public void Map(IEndpointRouteBuilder routes, CaContext ca)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(ca);
        var issuer = new CaAcmeIssuer(ca.Authority, ca.Options.Chain, ca.Store, ca.Lifetime(null), ca.Time, ca.Log, ca.Options.Language);
        routes.MapAcme(options with { Culture = ca.Options.Language, Log = ca.Log }, issuer, store ?? StoreOf(ca), ca.Time);
    }

    private static IAcmeStore StoreOf(CaContext ca) => ca.Store is SqlInventory inventory
        ? new SqlAcmeStore(inventory.Acme) { Time = ca.Time }
        : new InMemoryAcmeStore { Time = ca.Time };
}
