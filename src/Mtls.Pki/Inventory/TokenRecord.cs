namespace Mtls.Pki.Inventory;

/// <summary>
/// A one-time enrollment token as the inventory keeps it: only the SHA-256 of the token (hex), never the
/// token; the names it allows (SAN text, DNS:/IP:/... form), the profile, the subject CN it binds (null
/// when it binds names only), and when it was used and for which certificate.
/// </summary>
public sealed record TokenRecord(
    string Hash,
    IReadOnlyList<string> Names,
    string Profile,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? UsedAt = null,
    string? UsedBy = null,
    string? CommonName = null);
