namespace Mtls.Pki.Trust;

/// <summary>Why a certificate was rejected; stable names, used in logs and JSON.</summary>
public enum FailureReason
{
    None,
    NoCertificate,
    UnknownIssuer,
    Expired,
    NotYetValid,
    WrongUsage,
    BadSignature,
    NotACa,
    PathLengthExceeded,
    HostMismatch,
    NameConstraintsViolated,
    Revoked,
    CrlProblem,
    ChainTooDeep,
    Malformed,
    /// <summary>A key or signature algorithm this validator cannot check (Ed25519, SHA-1, RSA below 2048 bits, ...): not a malformed certificate.</summary>
    UnsupportedAlgorithm,
}
