namespace Mtls.Ca.Acme;

/// <summary>An authorization (RFC 8555 7.1.4): one identifier, the challenges that can prove control of it.</summary>
public sealed record AcmeAuthorization(string Id, string AccountId, AcmeIdentifier Identifier, string Status, DateTimeOffset Expires,
    IReadOnlyList<AcmeChallenge> Challenges);
