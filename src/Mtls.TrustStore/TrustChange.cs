namespace Mtls.TrustStore;

/// <summary>One change to one store, reported as it happens. <see cref="Item"/> is a nickname, alias, file or command.</summary>
public sealed record TrustChange(string Store, string Location, TrustChangeKind Kind, string Item);
