namespace Mtls.TrustStore;

/// <summary>What happened to a store (stable names: they appear in --json).</summary>
public enum TrustChangeKind
{
    Added,
    Removed,
    AlreadyPresent,
    NotPresent,
    /// <summary>A store's own tool was run to bring it up to date (update-ca-certificates...).</summary>
    Refreshed,
    /// <summary>An NSS database was created (--create).</summary>
    Created,
}
