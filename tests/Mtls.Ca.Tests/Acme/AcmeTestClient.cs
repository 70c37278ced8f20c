using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mtls.Ca.Tests.Acme;

/// <summary>
/// A small ACME client written from RFC 8555 for the tests that need a request wrong in exactly one way
/// (certbot and lego only send right ones). Trusts the test root only.
/// </summary>
public sealed class AcmeTestClient : IDisposable
{
    private readonly HttpClient _http;
    private JsonNode? _directory;

    public AcmeTestClient(AcmeTestServer server, AsymmetricAlgorithm? key = null)
    {
        Server = server;
        Key = key ?? ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var root = server.Root;
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            if (certificate is null) return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(root);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
        };
        _http = new HttpClient(handler);
    }

    public AcmeTestServer Server { get; }
    public AsymmetricAlgorithm Key { get; private set; }
    public string? Kid { get; set; }

    public async Task<string> Url(string name)
    {
        _directory ??= JsonNode.Parse(await _http.GetStringAsync(Server.DirectoryUrl));
        return (string)_directory![name]!;
    }

    public async Task<string> NonceAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, await Url("newNonce"));
        using var response = await _http.SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode);
        return response.Headers.GetValues("Replay-Nonce").Single();
    }

    /// <summary>Signs and posts <paramref name="payload"/> (null: POST-as-GET) to <paramref name="url"/>.</summary>
    public async Task<AcmeReply> PostAsync(string url, object? payload, JwsTweak? tweak = null, AsymmetricAlgorithm? signWith = null)
    {
        var body = await SignAsync(url, payload, tweak, signWith);
        return await SendAsync(url, body, tweak?.ContentType ?? "application/jose+json");
    }

    public async Task<AcmeReply> SendAsync(string url, string body, string contentType = "application/jose+json")
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await _http.PostAsync(url, content);
        return new AcmeReply((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(),
            response.Headers.Location?.ToString(), response.Headers.TryGetValues("Replay-Nonce", out var n) ? n.Single() : null);
    }

    public async Task<string> SignAsync(string url, object? payload, JwsTweak? tweak = null, AsymmetricAlgorithm? signWith = null)
    {
        tweak ??= new JwsTweak();
        var key = signWith ?? Key;
        var header = new JsonObject
        {
            ["alg"] = tweak.Alg ?? Alg(key),
            ["nonce"] = tweak.Nonce ?? await NonceAsync(),
            ["url"] = tweak.Url ?? url,
        };
        if (Kid is null || tweak.ForceJwk) header["jwk"] = Jwk(key);
        else header["kid"] = Kid;
        return Jws(header, payload is null ? "" : Serialize(payload), key, tweak.BreakSignature);
    }

    /// <summary>Registers (newAccount) and remembers the account URL as kid.</summary>
    public async Task<AcmeReply> RegisterAsync()
    {
        var reply = await PostAsync(await Url("newAccount"), new JsonObject { ["termsOfServiceAgreed"] = true });
        Assert.True(reply.Status is 200 or 201, reply.ToString());
        Kid = reply.Location;
        return reply;
    }

    public string KeyAuthorization(string token) => token + "." + Thumbprint(Key);

    public static string Jws(JsonObject header, string payloadJson, AsymmetricAlgorithm key, bool breakSignature = false)
    {
        var protectedB64 = B64(Encoding.UTF8.GetBytes(header.ToJsonString()));
        var payloadB64 = payloadJson.Length == 0 ? "" : B64(Encoding.UTF8.GetBytes(payloadJson));
        var input = Encoding.ASCII.GetBytes(protectedB64 + "." + payloadB64);
        var signature = key switch
        {
            ECDsa ec => ec.SignData(input, ec.KeySize == 384 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256),
            RSA rsa => rsa.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new NotSupportedException(),
        };
        if (breakSignature) signature[^1] ^= 0x01;
        return new JsonObject { ["protected"] = protectedB64, ["payload"] = payloadB64, ["signature"] = B64(signature) }.ToJsonString();
    }

    public static string Alg(AsymmetricAlgorithm key) => key switch
    {
        ECDsa { KeySize: 384 } => "ES384",
        ECDsa => "ES256",
        _ => "RS256",
    };

    public static JsonObject Jwk(AsymmetricAlgorithm key)
    {
        if (key is ECDsa ec)
        {
            var p = ec.ExportParameters(false);
            return new JsonObject { ["crv"] = ec.KeySize == 384 ? "P-384" : "P-256", ["kty"] = "EC", ["x"] = B64(p.Q.X!), ["y"] = B64(p.Q.Y!) };
        }
        var r = ((RSA)key).ExportParameters(false);
        return new JsonObject { ["e"] = B64(r.Exponent!), ["kty"] = "RSA", ["n"] = B64(r.Modulus!) };
    }

    public static string Thumbprint(AsymmetricAlgorithm key) => B64(SHA256.HashData(Encoding.UTF8.GetBytes(Jwk(key).ToJsonString())));

    public static string B64(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Serialize(object payload) => payload switch
    {
        JsonNode node => node.ToJsonString(),
        string s => s,
        _ => throw new NotSupportedException("payloads are JsonNode or raw JSON text"),
    };

    public void Dispose()
    {
        _http.Dispose();
        Key.Dispose();
    }
}
