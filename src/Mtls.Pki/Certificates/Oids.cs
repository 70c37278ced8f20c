namespace Mtls.Pki.Certificates;

/// <summary>Object identifiers used across the library.</summary>
public static class Oids
{
    public const string SubjectAltName = "2.5.29.17";
    public const string BasicConstraints = "2.5.29.19";
    public const string KeyUsage = "2.5.29.15";
    public const string ExtendedKeyUsage = "2.5.29.37";
    public const string SubjectKeyIdentifier = "2.5.29.14";
    public const string AuthorityKeyIdentifier = "2.5.29.35";
    public const string NameConstraints = "2.5.29.30";
    public const string CrlDistributionPoints = "2.5.29.31";
    public const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    public const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    public const string AnyExtendedKeyUsage = "2.5.29.37.0";

    // Key algorithms (SubjectPublicKeyInfo and PKCS#8 AlgorithmIdentifier), and the named curves mtls accepts.
    public const string EcPublicKey = "1.2.840.10045.2.1";
    public const string RsaEncryption = "1.2.840.113549.1.1.1";
    public const string RsaPss = "1.2.840.113549.1.1.10";
    public const string Mgf1 = "1.2.840.113549.1.1.8";
    public const string Ed25519 = "1.3.101.112";
    public const string Ed448 = "1.3.101.113";
    public const string Dsa = "1.2.840.10040.4.1";
    public const string CurveP256 = "1.2.840.10045.3.1.7";
    public const string CurveP384 = "1.3.132.0.34";
    public const string CurveP521 = "1.3.132.0.35";

    // ECDSA signature algorithms (RFC 5758 3.2).
    public const string EcdsaWithSha256 = "1.2.840.10045.4.3.2";
    public const string EcdsaWithSha384 = "1.2.840.10045.4.3.3";
    public const string EcdsaWithSha512 = "1.2.840.10045.4.3.4";
    public const string EcdsaWithSha1 = "1.2.840.10045.4.1";

    // RSA PKCS#1 v1.5 signature algorithms (RFC 8017 A.2.4).
    public const string Sha256WithRsa = "1.2.840.113549.1.1.11";
    public const string Sha384WithRsa = "1.2.840.113549.1.1.12";
    public const string Sha512WithRsa = "1.2.840.113549.1.1.13";
    public const string Sha1WithRsa = "1.2.840.113549.1.1.5";

    /// <summary>The PKCS#9 emailAddress attribute of a distinguished name.</summary>
    public const string EmailAddress = "1.2.840.113549.1.9.1";

    private static readonly Dictionary<string, string> Names = new()
    {
        [SubjectAltName] = "subjectAltName",
        [BasicConstraints] = "basicConstraints",
        [KeyUsage] = "keyUsage",
        [ExtendedKeyUsage] = "extendedKeyUsage",
        [SubjectKeyIdentifier] = "subjectKeyIdentifier",
        [AuthorityKeyIdentifier] = "authorityKeyIdentifier",
        [NameConstraints] = "nameConstraints",
        [CrlDistributionPoints] = "cRLDistributionPoints",
        ["2.5.29.32"] = "certificatePolicies",
        ["1.3.6.1.5.5.7.1.1"] = "authorityInfoAccess",
        [ServerAuth] = "serverAuth",
        [ClientAuth] = "clientAuth",
        ["1.3.6.1.5.5.7.3.3"] = "codeSigning",
        ["1.3.6.1.5.5.7.3.4"] = "emailProtection",
        ["1.3.6.1.5.5.7.3.8"] = "timeStamping",
        ["1.3.6.1.5.5.7.3.9"] = "OCSPSigning",
        [AnyExtendedKeyUsage] = "anyExtendedKeyUsage",
        [Ed25519] = "Ed25519",
        [Ed448] = "Ed448",
        [Dsa] = "DSA",
    };

    /// <summary>The conventional short name of an OID (openssl's), or the dotted form.</summary>
    public static string Name(string? oid) => oid is not null && Names.TryGetValue(oid, out var name) ? name : oid ?? "?";
}
