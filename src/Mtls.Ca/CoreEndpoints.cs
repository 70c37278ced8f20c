using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mtls.Pki.Certificates;
using Mtls.Pki.Online;
using Mtls.Pki.Text;

namespace Mtls.Ca;

/// <summary>The CA's own endpoints (the contract is in the README, "Running an online CA").</summary>
internal static class CoreEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, CaContext ca)
    {
        var roots = string.Concat(ca.Options.Roots.Select(CertificateFile.ToPem));
        var crl = new CrlCache(ca);
        routes.MapGet("/health", http => Json(http, StatusCodes.Status200OK, new CaHealth("ok", ca.CaSubject, ca.CaSha256), OnlineJson.Default.CaHealth));
        routes.MapGet("/roots.pem", http => Pem(http, roots));
        routes.MapGet("/intermediates.pem", http => Pem(http, ca.ChainPem));
        routes.MapGet("/crl", async http =>
        {
            var der = crl.Current();
            http.Response.ContentType = "application/pkix-crl";
            http.Response.ContentLength = der.Length;
            await http.Response.Body.WriteAsync(der, http.RequestAborted);
        });
        routes.MapPost("/v1/enroll", http => Guarded(http, ca, () => Enrollment.EnrollAsync(http, ca)));
        routes.MapPost("/v1/renew", http => Guarded(http, ca, () => RenewalEndpoint.RenewAsync(http, ca)));
    }

    /// <summary>Runs a handler in the client's language (Accept-Language, else the CA's) and answers its refusal as a problem.</summary>
    public static async Task Guarded(HttpContext http, CaContext ca, Func<Task> handler)
    {
        CultureInfo.CurrentUICulture = Language.FromAcceptLanguage(http.Request.Headers.AcceptLanguage.ToString(), ca.Options.Language);
        try
        {
            await handler();
        }
        catch (CaRefusal refusal)
        {
            await Problems.WriteAsync(http, ca, refusal);
        }
    }

    public static async Task Json<T>(HttpContext http, int status, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(http.Response.Body, value, type, http.RequestAborted);
    }

    private static Task Pem(HttpContext http, string pem)
    {
        http.Response.ContentType = "application/x-pem-file";
        return http.Response.WriteAsync(pem, http.RequestAborted);
    }
}
