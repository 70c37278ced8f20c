using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Text;

namespace Mtls.Pki.Trust;

/// <summary>What a certificate is being verified for (its extendedKeyUsage must allow it).</summary>
public enum Purpose { Any, Server, Client }

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

/// <summary>
/// The first problem found, at which depth (0 = the leaf) and on which certificate, with the facts of its
/// sentence kept as data (<see cref="Text"/>): told in the current UI culture by <see cref="Message"/>, in
/// any other by <see cref="MessageIn"/>.
/// </summary>
public sealed record VerifyFailure(FailureReason Reason, int Depth, string Subject, Phrase Text)
{
    /// <summary>A failure whose sentence is the same in every language (a front end's own words).</summary>
    public VerifyFailure(FailureReason reason, int depth, string subject, string message)
        : this(reason, depth, subject, Phrase.Literal(message)) { }

    /// <summary>Set when the failure is a lapse refused only because <see cref="VerifyOptions.Strict"/> was asked for.</summary>
    public LapseKind? Lapse { get; init; }

    /// <summary>The message in the current UI culture.</summary>
    public string Message => Text.ToString();

    /// <summary>
    /// The message in <paramref name="culture"/> (English or Japanese, <see cref="Language"/>), for a
    /// reader whose language is not the process's (a browser's Accept-Language).
    /// </summary>
    public string MessageIn(CultureInfo culture) => Text.In(culture);

    /// <summary>No client certificate was sent (a server's refusal; nothing to validate).</summary>
    public static VerifyFailure NoClientCertificate { get; } = new(FailureReason.NoCertificate, 0, "", Phrase.Pki("Verify_NoClientCertificate"));
}

/// <summary>The outcome of path validation: the chain built (leaf first, anchor last) or the failure.</summary>
public sealed record VerifyResult(IReadOnlyList<X509Certificate2> Chain, VerifyFailure? Failure)
{
    public bool IsValid => Failure is null;

    /// <summary>The CA lapses on the accepted chain (<see cref="LapseKind"/>), accepted as openssl and Go accept them; empty under Strict.</summary>
    public IReadOnlyList<VerifyLapse> Lapses { get; init; } = [];

    internal static VerifyResult Fail(FailureReason reason, int depth, string subject, Phrase text) =>
        new([], new VerifyFailure(reason, depth, subject, text));
}

/// <summary>What to check beyond the chain itself.</summary>
public sealed record VerifyOptions
{
    public Purpose Purpose { get; init; } = Purpose.Any;
    /// <summary>The DNS name or IP address the certificate must name (servers only).</summary>
    public string? Host { get; init; }
    /// <summary>The time to verify at; null is now.</summary>
    public DateTimeOffset? At { get; init; }
    /// <summary>
    /// Most intermediate CAs between the leaf and the anchor, as openssl's <c>-verify_depth</c>: 0 = the leaf
    /// is signed by the anchor directly. Neither the leaf nor the anchor counts, nor a self-issued
    /// intermediate (a CA's key rollover, as RFC 5280 6.1.4 (l) counts path length). Default 8 (ten
    /// certificates in all, this validator's limit before the count followed openssl).
    /// </summary>
    public int MaxDepth { get; init; } = 8;
    /// <summary>
    /// CRLs (DER) to check revocation against; a certificate no CRL covers is not checked. Nothing is fetched.
    /// Each array is parsed once and remembered: pass a new array for a new CRL, never change one in place.
    /// </summary>
    public IReadOnlyList<byte[]> Crls { get; init; } = [];
    /// <summary>
    /// Use a CRL past its nextUpdate instead of failing with <see cref="FailureReason.CrlProblem"/>
    /// (default false: a stale CRL may miss recent revocations, so nginx and mtls refuse by default).
    /// </summary>
    public bool AcceptStaleCrls { get; init; }
    /// <summary>
    /// Refuse the lapses (<see cref="LapseKind"/>) instead of listing them in <see cref="VerifyResult.Lapses"/>
    /// (default false: openssl, Go and nginx accept them, and so do `mtls serve` and `mtls get`).
    /// </summary>
    public bool Strict { get; init; }
}
