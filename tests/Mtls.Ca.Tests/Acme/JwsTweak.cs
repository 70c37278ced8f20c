namespace Mtls.Ca.Tests.Acme;

/// <summary>What a test may change in a JWS to make it wrong in one way.</summary>
public sealed record JwsTweak
{
    public string? Alg { get; init; }
    public string? Url { get; init; }
    public string? Nonce { get; init; }
    public bool ForceJwk { get; init; }
    public bool BreakSignature { get; init; }
    public string ContentType { get; init; } = "application/jose+json";
}
