using Mtls.Pki.Inventory;
using Mtls.Pki.Revocation;

namespace Mtls.Cli.Output;

/// <summary>One line of `mtls ca list --json` (stable field names).</summary>
internal sealed record InventoryEntry(
    string Serial, string Subject, IReadOnlyList<string> SubjectAltNames, string Profile,
    DateTimeOffset NotBefore, DateTimeOffset NotAfter, int ExpiresInDays, string Status,
    string Sha256Fingerprint, DateTimeOffset IssuedAt, string? Path,
    DateTimeOffset? RevokedAt, string? RevocationReason, string? SupersededBy)
{
    public static InventoryEntry From(InventoryRecord r, DateTimeOffset now, TimeSpan expiringWithin) => new(
        r.Serial, r.Subject, r.SubjectAltNames, r.Profile, r.NotBefore, r.NotAfter,
        (int)Math.Round((r.NotAfter - now).TotalDays), r.StatusAt(now, expiringWithin).ToString().ToLowerInvariant(),
        r.Sha256Fingerprint, r.IssuedAt, r.Path, r.RevokedAt,
        r.RevocationReason is { } reason ? RevocationReasons.Name(reason) : null, r.SupersededBy);
}

/// <summary>`mtls ca revoke --json`.</summary>
internal sealed record RevocationSummary(string Serial, string Subject, DateTimeOffset RevokedAt, string Reason, bool AlreadyRevoked, string Inventory);

/// <summary>`mtls ca crl --json` and `mtls crl show --json`.</summary>
internal sealed record CrlSummary(string Path, string Issuer, string? CrlNumber, DateTimeOffset ThisUpdate, DateTimeOffset? NextUpdate,
    bool? SignatureValid, IReadOnlyList<CrlEntry> Revoked)
{
    public static CrlSummary From(string path, CertificateRevocationList crl, bool? signatureValid) => new(
        path, Mtls.Pki.Names.DistinguishedName.Format(crl.Issuer), crl.CrlNumber?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        crl.ThisUpdate, crl.NextUpdate, signatureValid,
        crl.Entries.Select(e => new CrlEntry(e.Serial, e.RevokedAt, e.Reason is { } r ? RevocationReasons.Name(r) : null)).ToList());
}

internal sealed record CrlEntry(string Serial, DateTimeOffset RevokedAt, string? Reason);
