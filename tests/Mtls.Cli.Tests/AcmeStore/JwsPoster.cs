using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Mtls.Cli.Tests.AcmeStore;

/// <summary>
/// The smallest ACME client that can sign a request (RFC 8555 6.2, ES256 with the JWK in the header): enough to
/// take a nonce from one node and spend it at another, which no real client does on purpose.
/// </summary>
public sealed class JwsPoster : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>A nonce from <paramref name="node"/>'s new-nonce (RFC 8555 7.2).</summary>
    public static async Task<string> NonceAsync(HttpClient node)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, "acme/new-nonce");
        using var response = await node.SendAsync(request);
        return response.Headers.GetValues("Replay-Nonce").Single();
    }

    /// <summary>POSTs newAccount to <paramref name="node"/> signed with this client's key and <paramref name="nonce"/>: status, Location, body.</summary>
    public async Task<(int Status, string? Location, string Body)> NewAccountAsync(HttpClient node, string nonce)
    {
        var url = new Uri(node.BaseAddress!, "acme/new-account").ToString();
        var p = _key.ExportParameters(false);
        var header = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["alg"] = "ES256",
            ["jwk"] = new Dictionary<string, string> { ["crv"] = "P-256", ["kty"] = "EC", ["x"] = Base64Url.EncodeToString(p.Q.X), ["y"] = Base64Url.EncodeToString(p.Q.Y) },
            ["nonce"] = nonce,
            ["url"] = url,
        });
        var protectedB64 = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header));
        var payloadB64 = Base64Url.EncodeToString("""{"termsOfServiceAgreed":true}"""u8);
        var signature = _key.SignData(Encoding.ASCII.GetBytes(protectedB64 + "." + payloadB64), HashAlgorithmName.SHA256); // r||s, as JWS wants
        var body = $$"""{"protected":"{{protectedB64}}","payload":"{{payloadB64}}","signature":"{{Base64Url.EncodeToString(signature)}}"}""";
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/jose+json");
        using var response = await node.PostAsync(url, content);
        return ((int)response.StatusCode, response.Headers.Location?.ToString(), await response.Content.ReadAsStringAsync());
    }

    public void Dispose() => _key.Dispose();
}
