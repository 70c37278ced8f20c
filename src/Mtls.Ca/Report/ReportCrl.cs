namespace Mtls.Ca.Report;

/// <summary>
/// The CA's latest CRL as the report shows it. <see cref="NotListed"/> holds the serials the inventory
/// has revoked that this CRL does not list yet (revoked after it was published).
/// </summary>
public sealed record ReportCrl(
    string Source,
    string? Number,
    DateTimeOffset ThisUpdate,
    DateTimeOffset? NextUpdate,
    int Entries,
    IReadOnlyList<string> NotListed);
