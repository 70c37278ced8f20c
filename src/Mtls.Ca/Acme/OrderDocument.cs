namespace Mtls.Ca.Acme;

/// <summary>RFC 8555 7.1 JSON (times are RFC 3339 strings, UTC).</summary>
internal sealed record OrderDocument(string Status, string Expires, IReadOnlyList<IdentifierDocument> Identifiers, IReadOnlyList<string> Authorizations,
    string Finalize, string? Certificate, ProblemDocument? Error);
