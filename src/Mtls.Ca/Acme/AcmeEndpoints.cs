using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mtls.Ca.Acme;

/// <summary>Maps the ACME service (RFC 8555) under /acme/ of an ASP.NET application; the directory is /acme/directory.</summary>
public static class AcmeEndpoints
{
    /// <summary>
    /// Maps the ACME endpoints. When <paramref name="options"/> has test overrides on, logs the warning
    /// once (a host should also print <see cref="AcmeOptions.TestOverridesWarning"/> where its user sees it).
    /// </summary>
    public static IEndpointRouteBuilder MapAcme(this IEndpointRouteBuilder endpoints, AcmeOptions options, IAcmeIssuer issuer, IAcmeStore store, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(store);
        var acme = new AcmeService(options, issuer, store, time ?? TimeProvider.System);
        if (options.TestOverridesWarning(options.Culture) is { } warning)
            endpoints.ServiceProvider.GetService<ILoggerFactory>()?.CreateLogger("Mtls.Ca.Acme").LogWarning("{Warning}", warning);

        endpoints.MapGet("/acme/directory", new RequestDelegate(acme.Directory));
        endpoints.MapMethods("/acme/new-nonce", ["GET", "HEAD"], new RequestDelegate(acme.NewNonce));
        endpoints.MapPost("/acme/new-account", new RequestDelegate(acme.NewAccount));
        endpoints.MapPost("/acme/acct/{id}", new RequestDelegate(acme.Account));
        endpoints.MapPost("/acme/acct/{id}/orders", new RequestDelegate(acme.AccountOrders));
        endpoints.MapPost("/acme/key-change", new RequestDelegate(acme.KeyChange));
        endpoints.MapPost("/acme/new-order", new RequestDelegate(acme.NewOrder));
        endpoints.MapPost("/acme/order/{id}", new RequestDelegate(acme.Order));
        endpoints.MapPost("/acme/order/{id}/finalize", new RequestDelegate(acme.Finalize));
        endpoints.MapPost("/acme/authz/{id}", new RequestDelegate(acme.Authorization));
        endpoints.MapPost("/acme/chall/{id}/{type}", new RequestDelegate(acme.Challenge));
        endpoints.MapPost("/acme/cert/{id}", new RequestDelegate(acme.Certificate));
        if (acme.Revoker is not null)
            endpoints.MapPost("/acme/revoke-cert", new RequestDelegate(acme.RevokeCert));
        return endpoints;
    }
}
