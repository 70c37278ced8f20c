using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace Mtls.Ca;

/// <summary>Reads a JSON request body; malformed JSON is the client's mistake (bad-request), said as such.</summary>
internal static class RequestBody
{
    public static async Task<T?> ReadAsync<T>(HttpContext http, JsonTypeInfo<T> type) where T : class
    {
        if (http.Request.ContentLength == 0) return null;
        try
        {
            return await JsonSerializer.DeserializeAsync(http.Request.Body, type, http.RequestAborted);
        }
        catch (JsonException e)
        {
            throw CaContext.Refuse(RefusalNames.BadRequest, CaText.Say("Refuse_BadJson", e.Message));
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e)
        {
            throw CaContext.Refuse(RefusalNames.BadRequest, e.Message);
        }
    }
}
