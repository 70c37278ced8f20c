using Mtls.Pki.Inventory;

namespace Mtls.Ca.Report;

/// <summary>One certificate the CA issued, with its status at the report's time.</summary>
public sealed record ReportCertificate(InventoryRecord Record, CertificateStatus Status, int DaysLeft);
