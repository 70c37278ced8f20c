namespace Mtls.Server.Proxy;

/// <summary>
/// Which valid clients mtls proxy lets through to the backend: a client is admitted when any rule
/// matches (the rules are OR'd). No rule at all is a configuration error unless <see cref="AllowAll"/>
/// says, explicitly, that every client the CAs vouch for may pass.
/// </summary>
public sealed class AllowList
{
    /// <summary>Exact subject CNs (case-sensitive, as issued).</summary>
    public IReadOnlyList<string> CommonNames { get; init; } = [];

    /// <summary>Exact subject OUs; a certificate with several OUs matches on any.</summary>
    public IReadOnlyList<string> OrganizationalUnits { get; init; } = [];

    /// <summary>DNS subjectAltNames (case-insensitive, exact).</summary>
    public IReadOnlyList<string> DnsNames { get; init; } = [];

    /// <summary>
    /// URI subjectAltName patterns: <c>*</c> stands for one path segment (no '/'), <c>**</c> for any
    /// rest, e.g. <c>spiffe://example.org/ns/*/sa/web</c> or <c>spiffe://example.org/**</c>.
    /// </summary>
    public IReadOnlyList<string> UriPatterns { get; init; } = [];

    /// <summary>SHA-256 fingerprints of client certificates (hex, colons and case ignored).</summary>
    public IReadOnlyList<string> Fingerprints { get; init; } = [];

    /// <summary>Admit every client with a valid certificate (must be said: no rules is an error otherwise).</summary>
    public bool AllowAll { get; init; }

    /// <summary>True when no rule was given and <see cref="AllowAll"/> is not set.</summary>
    public bool IsEmpty => !AllowAll && CommonNames.Count + OrganizationalUnits.Count + DnsNames.Count + UriPatterns.Count + Fingerprints.Count == 0;
}
