namespace Mtls.Pki.Trust;

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
