namespace Mtls.Ca.Acme;

/// <summary>An ACME account: its key (as a JWK, with its RFC 7638 thumbprint, the account's identity) and contacts.</summary>
public sealed record AcmeAccount(string Id, string KeyThumbprint, string JwkJson, IReadOnlyList<string> Contact, string Status, DateTimeOffset CreatedAt);
