using Mtls.Pki.Revocation;

namespace Mtls.Ca;

/// <summary>
/// The CRL served at GET /crl: made from the inventory, kept until a revocation is recorded (by this
/// process or another sharing the store: <see cref="Pki.Inventory.ICaStore.RevocationVersion"/>) or
/// until half its validity has passed; each new one takes the next CRL number.
/// </summary>
internal sealed class CrlCache(CaContext ca)
{
    /// <summary>A CRL's validity (its nextUpdate is this far after its thisUpdate).</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromDays(1);

    private readonly Lock _lock = new();
    private (byte[] Der, long Version, DateTimeOffset Made)? _current;

    public byte[] Current()
    {
        var version = ca.Store.RevocationVersion();
        var now = ca.Time.GetUtcNow();
        lock (_lock)
        {
            if (_current is { } c && c.Version == version && now - c.Made < Validity / 2) return c.Der;
            var revoked = ca.Store.Revoked().Select(r => new RevokedCertificate(r.Serial, r.RevokedAt!.Value, r.RevocationReason)).ToList();
            var der = ca.Authority.CreateCrl(revoked, ca.Store.NextCrlNumber(), now, now + Validity);
            _current = (der, version, now);
            return der;
        }
    }
}
