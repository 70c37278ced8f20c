using System.Text;
using System.Text.Json;

namespace Mtls.Ca.Acme;

/// <summary>
/// Reads and verifies an ACME request body: a flattened JSON JWS (RFC 7515 7.2.2) with a protected header
/// holding alg, nonce, url and exactly one of jwk or kid (RFC 8555 6.2-6.5). Checks, in order: media
/// type, shape, algorithm, URL, nonce (consumed: used once), key, signature.
/// </summary>
internal static class AcmeJws
{
    public const int MaxBody = 64 * 1024;

    /// <summary>The algorithms accepted, as a badSignatureAlgorithm document lists them.</summary>
    public static readonly IReadOnlyList<string> Algorithms = ["ES256", "ES384", "RS256"];

    public static async Task<AcmeRequest> ReadAsync(byte[] body, string? contentType, string url, AcmeKeyRule rule, AcmeContext acme, CancellationToken cancellationToken)
    {
        var errors = acme.Errors;
        if (!string.Equals(contentType?.Split(';')[0].Trim(), "application/jose+json", StringComparison.OrdinalIgnoreCase))
            throw errors.UnsupportedMediaType(contentType);
        var (protectedB64, payloadB64, signatureB64) = Parts(body, errors);
        if (!JoseBase64.TryDecode(protectedB64, out var headerBytes) || !JoseBase64.TryDecode(payloadB64, out var payload)
            || !JoseBase64.TryDecode(signatureB64, out var signature))
            throw errors.Malformed(nameof(Resources.Acme.Problem_NotBase64Url));

        using var header = ParseObject(headerBytes, errors);
        var h = header.RootElement;
        var alg = StringMember(h, "alg");
        if (alg is null || !Algorithms.Contains(alg))
            throw errors.BadSignatureAlgorithm(alg ?? "");
        if (StringMember(h, "url") is not { } signedUrl || signedUrl != url)
            throw errors.Unauthorized(nameof(Resources.Acme.Problem_WrongUrl), StringMember(h, "url") ?? "", url);
        if (StringMember(h, "nonce") is not { } nonce || !await acme.Store.ConsumeNonceAsync(nonce, acme.Now, cancellationToken))
            throw errors.BadNonce();

        var hasJwk = h.TryGetProperty("jwk", out var jwk);
        var kid = StringMember(h, "kid");
        if (hasJwk == (kid is not null) || (rule == AcmeKeyRule.Jwk && !hasJwk) || (rule == AcmeKeyRule.Kid && kid is null))
            throw errors.Malformed(nameof(Resources.Acme.Problem_JwkOrKid), rule == AcmeKeyRule.Jwk ? "jwk" : "kid");

        AcmeAccount? account = null;
        AcmeKey key;
        if (hasJwk)
        {
            key = AcmeKey.Read(jwk, out var problem) ?? throw errors.Malformed(problem);
        }
        else
        {
            var prefix = acme.Url("acct/");
            if (!kid!.StartsWith(prefix, StringComparison.Ordinal)
                || await acme.Store.FindAccountAsync(kid[prefix.Length..], cancellationToken) is not { } found)
                throw errors.AccountDoesNotExist();
            if (found.Status != AcmeStatus.Valid)
                throw errors.Unauthorized(nameof(Resources.Acme.Problem_AccountNotValid), found.Status);
            account = found;
            key = AcmeKey.FromStored(found.JwkJson);
        }
        try
        {
            if (!key.Allows(alg))
                throw errors.BadSignatureAlgorithm(alg);
            var signingInput = Encoding.ASCII.GetBytes(protectedB64 + "." + payloadB64);
            if (!key.Verify(alg, signingInput, signature))
                throw errors.Malformed(nameof(Resources.Acme.Problem_BadSignature));
        }
        catch
        {
            key.Dispose();
            throw;
        }
        return new AcmeRequest(url, alg, key, account, payload);
    }

    /// <summary>The three members of a flattened JWS; an unprotected header is refused (RFC 8555 6.2).</summary>
    public static (string Protected, string Payload, string Signature) Parts(byte[] body, AcmeErrors errors)
    {
        using var document = ParseObject(body, errors);
        var root = document.RootElement;
        if (root.TryGetProperty("header", out _) || root.TryGetProperty("signatures", out _))
            throw errors.Malformed(nameof(Resources.Acme.Problem_NotFlattened));
        if (StringMember(root, "protected") is not { } p || StringMember(root, "payload") is not { } payload || StringMember(root, "signature") is not { } s)
            throw errors.Malformed(nameof(Resources.Acme.Problem_NotFlattened));
        return (p, payload, s);
    }

    public static JsonDocument ParseObject(byte[] json, AcmeErrors errors)
    {
        try
        {
            var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
            if (document.RootElement.ValueKind == JsonValueKind.Object) return document;
            document.Dispose();
        }
        catch (JsonException)
        {
        }
        throw errors.Malformed(nameof(Resources.Acme.Problem_NotJson));
    }

    public static string? StringMember(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
