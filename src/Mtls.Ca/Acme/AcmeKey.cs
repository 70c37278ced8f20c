using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Mtls.Ca.Acme;

/// <summary>
/// An account's public key read from a JWK (RFC 7517): EC P-256 / P-384 or RSA of 2048 bits or more.
/// Its identity is the RFC 7638 thumbprint, computed from the key's own numbers (not the client's
/// spelling of them), so the same key always names the same account.
/// </summary>
internal sealed class AcmeKey : IDisposable
{
    private AcmeKey(AsymmetricAlgorithm key, string canonicalJson)
    {
        Key = key;
        CanonicalJson = canonicalJson;
        Thumbprint = JoseBase64.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalJson)));
    }

    public AsymmetricAlgorithm Key { get; }

    /// <summary>The required members in lexicographic order, no spaces (RFC 7638 3): what the thumbprint hashes.</summary>
    public string CanonicalJson { get; }

    public string Thumbprint { get; }

    /// <summary>The algorithms a key of this kind may sign with (RFC 7518 3.1).</summary>
    public bool Allows(string alg) => (Key, alg) switch
    {
        (ECDsa ec, "ES256") => ec.KeySize == 256,
        (ECDsa ec, "ES384") => ec.KeySize == 384,
        (RSA, "RS256") => true,
        _ => false,
    };

    public bool Verify(string alg, byte[] signingInput, byte[] signature) => (Key, alg) switch
    {
        (ECDsa ec, "ES256") => ec.VerifyData(signingInput, signature, HashAlgorithmName.SHA256),
        (ECDsa ec, "ES384") => ec.VerifyData(signingInput, signature, HashAlgorithmName.SHA384),
        (RSA rsa, "RS256") => rsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        _ => false,
    };

    /// <summary>True when <paramref name="publicKey"/> (a certificate's) is this key.</summary>
    public bool SameAs(System.Security.Cryptography.X509Certificates.PublicKey publicKey) =>
        publicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(Key switch
        {
            ECDsa ec => ec.ExportSubjectPublicKeyInfo(),
            RSA rsa => rsa.ExportSubjectPublicKeyInfo(),
            _ => [],
        });

    /// <summary>Reads a JWK; null with <paramref name="problem"/> (a catalogue key) when it is not a key we take.</summary>
    public static AcmeKey? Read(JsonElement jwk, out string problem)
    {
        problem = nameof(Resources.Acme.Problem_BadJwk);
        if (jwk.ValueKind != JsonValueKind.Object || !jwk.TryGetProperty("kty", out var kty) || kty.ValueKind != JsonValueKind.String)
            return null;
        try
        {
            switch (kty.GetString())
            {
                case "EC":
                    {
                        var crv = Member(jwk, "crv");
                        var (curve, size) = crv switch
                        {
                            "P-256" => (ECCurve.NamedCurves.nistP256, 32),
                            "P-384" => (ECCurve.NamedCurves.nistP384, 48),
                            _ => (default(ECCurve), 0),
                        };
                        if (size == 0) { problem = nameof(Resources.Acme.Problem_WeakKey); return null; }
                        if (!JoseBase64.TryDecode(Member(jwk, "x"), out var x) || !JoseBase64.TryDecode(Member(jwk, "y"), out var y)
                            || x.Length != size || y.Length != size)
                            return null;
                        var ec = ECDsa.Create(new ECParameters { Curve = curve, Q = new ECPoint { X = x, Y = y } }); // validates the point
                        return new AcmeKey(ec, $"{{\"crv\":\"{crv}\",\"kty\":\"EC\",\"x\":\"{JoseBase64.Encode(x)}\",\"y\":\"{JoseBase64.Encode(y)}\"}}");
                    }
                case "RSA":
                    {
                        if (!JoseBase64.TryDecode(Member(jwk, "n"), out var n) || !JoseBase64.TryDecode(Member(jwk, "e"), out var e)
                            || n.Length == 0 || e.Length == 0)
                            return null;
                        n = Unpadded(n);
                        e = Unpadded(e);
                        if (n.Length * 8 < 2048 || n.Length > 1024) { problem = nameof(Resources.Acme.Problem_WeakKey); return null; }
                        var rsa = RSA.Create();
                        rsa.ImportParameters(new RSAParameters { Modulus = n, Exponent = e });
                        return new AcmeKey(rsa, $"{{\"e\":\"{JoseBase64.Encode(e)}\",\"kty\":\"RSA\",\"n\":\"{JoseBase64.Encode(n)}\"}}");
                    }
                default:
                    problem = nameof(Resources.Acme.Problem_WeakKey);
                    return null;
            }
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>Reads a key stored by <see cref="CanonicalJson"/>.</summary>
    public static AcmeKey FromStored(string canonicalJson)
    {
        using var document = JsonDocument.Parse(canonicalJson);
        return Read(document.RootElement, out _) ?? throw new InvalidOperationException("stored account key is unreadable");
    }

    private static string? Member(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static byte[] Unpadded(byte[] value)
    {
        var i = 0;
        while (i < value.Length - 1 && value[i] == 0) i++;
        return value[i..];
    }

    public void Dispose() => Key.Dispose();
}
