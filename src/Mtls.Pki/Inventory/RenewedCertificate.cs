using Mtls.Pki.Certificates;

namespace Mtls.Pki.Inventory;

/// <summary>A renewal's outcome: the new certificate (and its notes), its profile, and the inventory row of the one it replaced.</summary>
public sealed record RenewedCertificate(IssuedCertificate Issued, CertificateProfile Profile, InventoryRecord Replaced);
