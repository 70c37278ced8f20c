using System.Security.Cryptography;
using Mtls.Pki.Text;

namespace Mtls.Pki.Keys;

public enum KeyAlgorithm { EC, Rsa }

/// <summary>What key to generate: an EC curve (P-256, P-384, P-521) or an RSA size (2048, 3072, 4096).</summary>
public sealed record KeySpec(KeyAlgorithm Algorithm, int Size)
{
    public static readonly KeySpec P256 = new(KeyAlgorithm.EC, 256);
    public static readonly KeySpec P384 = new(KeyAlgorithm.EC, 384);
    public static readonly KeySpec P521 = new(KeyAlgorithm.EC, 521);

    public override string ToString() => Algorithm == KeyAlgorithm.EC ? $"EC P-{Size}" : $"RSA {Size}";

    /// <summary>Parses a curve name as openssl and .NET users write it: P-384, p384, secp384r1, prime256v1.</summary>
    public static KeySpec ParseCurve(string curve) => curve.Replace("-", "").ToLowerInvariant() switch
    {
        "p256" or "secp256r1" or "prime256v1" or "nistp256" => P256,
        "p384" or "secp384r1" or "nistp384" => P384,
        "p521" or "secp521r1" or "nistp521" => P521,
        _ => throw new MtlsException(Catalogue.Text("Key_UnknownCurve", curve)),
    };

    public static KeySpec Rsa(int bits) => bits is 2048 or 3072 or 4096
        ? new(KeyAlgorithm.Rsa, bits)
        : throw new MtlsException(Catalogue.Text("Key_RsaSizeNotOffered", bits));

    /// <summary>From the two mutually exclusive options --curve and --rsa.</summary>
    public static KeySpec FromOptions(string? curve, int? rsaBits, KeySpec fallback)
    {
        if (curve is not null && rsaBits is not null)
            throw new MtlsException(Catalogue.Text("Key_CurveAndRsa")) { Kind = MtlsErrorKind.ConflictingKeyTypes };
        if (rsaBits is int bits) return Rsa(bits);
        return curve is null ? fallback : ParseCurve(curve);
    }

    public AsymmetricAlgorithm Generate() => Algorithm switch
    {
        KeyAlgorithm.Rsa => RSA.Create(Size),
        _ => ECDsa.Create(Size switch
        {
            256 => ECCurve.NamedCurves.nistP256,
            384 => ECCurve.NamedCurves.nistP384,
            _ => ECCurve.NamedCurves.nistP521,
        }),
    };

    /// <summary>A key in one line, e.g. "EC P-384" or "RSA 2048".</summary>
    public static string Summary(AsymmetricAlgorithm key) => key switch
    {
        ECDsa ec => $"EC {CurveName(ec)}",
        RSA rsa => $"RSA {rsa.KeySize}",
        _ => key.GetType().Name,
    };

    internal static string CurveName(ECDsa ec) => ec.KeySize switch
    {
        256 => "P-256",
        384 => "P-384",
        521 => "P-521",
        var n => $"{n}-bit curve",
    };

    /// <summary>The hash that matches a key's strength, as CAs pair them (SHA-384 with P-384...).</summary>
    public static HashAlgorithmName HashFor(AsymmetricAlgorithm key) => key switch
    {
        ECDsa { KeySize: 384 } => HashAlgorithmName.SHA384,
        ECDsa { KeySize: 521 } => HashAlgorithmName.SHA512,
        _ => HashAlgorithmName.SHA256,
    };
}
