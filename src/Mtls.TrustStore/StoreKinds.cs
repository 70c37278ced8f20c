namespace Mtls.TrustStore;

/// <summary>The --store words: which kinds of store a command touches.</summary>
[Flags]
public enum StoreKinds
{
    None = 0,
    System = 1,
    Nss = 2,
    Java = 4,
    All = System | Nss | Java,
}
