namespace Mtls.Pki.Trust;

/// <summary>
/// The rules relaxed by default, and the only ones: each is a CA's lapse that openssl 3.0 (so nginx, which
/// verifies with OpenSSL's default flags) and Go's crypto/x509 both accept, and from which no attack
/// follows (path building still checks every name, key and signature). A check is lenient
/// exactly when it names one of these; the result lists each as a <see cref="VerifyLapse"/>, and
/// <see cref="VerifyOptions.Strict"/> refuses it instead (for CA administrators linting their output).
/// Evidence, 2026-11-28: the x509-limbo case named on each member, through `openssl verify` 3.0.19 and
/// Go 1.19; shapes either of them refuses stay refused here (noted on the member).
/// </summary>
public enum LapseKind
{
    /// <summary>An issued certificate without authorityKeyIdentifier keyIdentifier (RFC 5280 4.2.1.1), as Python's
    /// CertificateBuilder and many home-grown CAs make; limbo rfc5280::aki::leaf-missing-aki, intermediate-missing-aki.</summary>
    MissingAuthorityKeyId,

    /// <summary>A CA without subjectKeyIdentifier (RFC 5280 4.2.1.2); rfc5280::ski::root-missing-ski, intermediate-missing-ski.</summary>
    MissingSubjectKeyId,

    /// <summary>A serial number of zero or of more than 20 octets (RFC 5280 4.1.2.2); rfc5280::serial::zero, too-long.
    /// A negative serial stays refused (openssl refuses it).</summary>
    SerialNumberOutOfProfile,

    /// <summary>A CA whose basicConstraints is not critical (RFC 5280 4.2.1.9): its cA bit is still obeyed; rfc5280::root-non-critical-basic-constraints.</summary>
    NonCriticalBasicConstraints,

    /// <summary>nameConstraints not marked critical (RFC 5280 4.2.1.10): they are still applied; rfc5280::nc::permitted-dns-match-noncritical.</summary>
    NonCriticalNameConstraints,

    /// <summary>nameConstraints in a certificate that is not a CA (RFC 5280 4.2.1.10): they constrain nothing; rfc5280::nc::not-allowed-in-ee-*.</summary>
    NameConstraintsInLeaf,

    /// <summary>policyConstraints not marked critical (RFC 5280 4.2.1.11): no policy is required here anyway; rfc5280::pc::ica-noncritical-pc.</summary>
    NonCriticalPolicyConstraints,

    /// <summary>A subjectAltName whose criticality does not fit the subject (RFC 5280 4.2.1.6: critical exactly when the
    /// subject is empty); rfc5280::san::noncritical-with-empty-subject, webpki::san::san-critical-with-nonempty-subject.</summary>
    SubjectAltNameCriticality,

    /// <summary>An underscore in a DNS name (RFC 5280 asks for RFC 1034's preferred syntax, which has none; CABF SC12 forbids
    /// them in public certificates). Private names use them (my_svc.internal) and `mtls ca sign` issues them
    /// (Names/DnsName.cs); rfc5280::san::underscore-dns.</summary>
    UnderscoreInDnsName,

    /// <summary>A root CA with extendedKeyUsage (CABF BR 7.1.2.1.2): its usages still limit the chain, as an
    /// intermediate's do; webpki::eku::root-has-eku.</summary>
    RootWithExtendedKeyUsage,

    /// <summary>A root whose authorityKeyIdentifier has no keyIdentifier (CABF BR 7.1.2.1.3);
    /// webpki::aki::root-with-aki-missing-keyidentifier. A root AKI naming an issuer, a serial or another key stays refused (openssl refuses those).</summary>
    RootAuthorityKeyIdWithoutKeyId,

    /// <summary>A leaf whose extendedKeyUsage has anyExtendedKeyUsage beside the purpose asked for (CABF BR 7.1.2.7.10); webpki::eku::ee-anyeku.</summary>
    LeafAnyExtendedKeyUsage,

    /// <summary>A leaf whose extendedKeyUsage is critical (CABF BR 7.1.2.7.10); webpki::eku::ee-critical-eku.</summary>
    CriticalLeafExtendedKeyUsage,
}

/// <summary>A lapse found on the accepted path: which rule, at which depth (0 = the leaf), on which certificate, and the facts.</summary>
public sealed record VerifyLapse(LapseKind Kind, int Depth, string Subject, Text.Phrase Text)
{
    /// <summary>The facts in the current UI culture.</summary>
    public string Message => Text.ToString();
}
