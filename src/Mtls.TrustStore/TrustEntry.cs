namespace Mtls.TrustStore;

/// <summary>An entry mtls installed: a CA or (NSS only) a client identity, under the name mtls gave it.</summary>
public sealed record TrustEntry(string Store, string Location, string Name, bool IsClientIdentity);
