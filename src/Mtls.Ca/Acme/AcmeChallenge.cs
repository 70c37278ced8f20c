namespace Mtls.Ca.Acme;

/// <summary>One challenge of an authorization (RFC 8555 8): http-01 or tls-alpn-01, with its token.</summary>
public sealed record AcmeChallenge(string Type, string Token, string Status, DateTimeOffset? Validated = null, AcmeProblem? Error = null);
