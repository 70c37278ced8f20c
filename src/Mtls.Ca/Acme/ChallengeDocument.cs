namespace Mtls.Ca.Acme;

/// <summary>RFC 8555 7.1 JSON (times are RFC 3339 strings, UTC).</summary>
internal sealed record ChallengeDocument(string Type, string Url, string Token, string Status, string? Validated, ProblemDocument? Error);
