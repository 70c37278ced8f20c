using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Mtls.Pki.Inventory;
using Mtls.Pki.Online;

namespace Mtls.Ca;

/// <summary>
/// Answers a refusal as RFC 9457 application/problem+json, records it in the store's events and logs one
/// line; the one way every endpoint refuses, so that no refusal goes unrecorded.
/// </summary>
internal static class Problems
{
    public static async Task WriteAsync(HttpContext http, CaContext ca, CaRefusal refusal)
    {
        var (status, titleKey) = RefusalNames.All.TryGetValue(refusal.Name, out var known) ? known : (refusal.Status, "Title_BadRequest");
        var problem = new Problem(refusal.Type, CaText.Say(titleKey), refusal.Detail, status);
        var remote = http.Connection.RemoteIpAddress?.ToString();
        try
        {
            ca.Store.RecordEvent(new CaEvent(ca.Time.GetUtcNow(), "refused", refusal.Name, refusal.Detail, refusal.Serial, remote));
        }
        catch (Pki.MtlsException e)
        {
            ca.Log(CaText.Format("Log_RecordFailed", ca.Options.Language, e.Message));
        }
        ca.Log(CaText.Format("Log_Refused", ca.Options.Language, http.Request.Method, http.Request.Path.ToString(), remote, refusal.Name, refusal.Detail));
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/problem+json";
        await JsonSerializer.SerializeAsync(http.Response.Body, problem, OnlineJson.Default.Problem, http.RequestAborted);
    }
}
