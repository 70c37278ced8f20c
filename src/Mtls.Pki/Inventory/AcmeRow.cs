namespace Mtls.Pki.Inventory;

/// <summary>An ACME order or authorization as <see cref="AcmeTables"/> keeps it: the columns it is found by, and its JSON document.</summary>
public sealed record AcmeRow(string Id, string AccountId, string Status, DateTimeOffset Expires, string Document);
