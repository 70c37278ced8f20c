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
        ["1.3.101.112"] = "Ed25519",
        ["1.3.101.113"] = "Ed448",
        ["1.2.840.10040.4.1"] = "DSA",
    };

    /// <summary>The conventional short name of an OID (openssl's), or the dotted form.</summary>
    public static string Name(string? oid) => oid is not null && Names.TryGetValue(oid, out var name) ? name : oid ?? "?";
}
