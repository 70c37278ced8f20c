namespace Mtls.Ca.Acme;

/// <summary>An order (RFC 8555 7.1.3): identifiers, their authorizations, and once finalized its certificate.</summary>
public sealed record AcmeOrder(string Id, string AccountId, string Status, DateTimeOffset Expires, IReadOnlyList<AcmeIdentifier> Identifiers,
    IReadOnlyList<string> AuthorizationIds, string? CertificateId = null, AcmeProblem? Error = null);
