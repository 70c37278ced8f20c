using Mtls.Pki.Inventory;

namespace Mtls.Ca.Report;

/// <summary>How a status looks: its words (resource key), a CSS class, and a glyph so it reads without colour too.</summary>
internal static class StatusLook
{
    public static string Key(CertificateStatus status) => "Status_" + status;

    public static string Css(CertificateStatus status) => status.ToString().ToLowerInvariant();

    public static string Glyph(CertificateStatus status) => status switch
    {
        CertificateStatus.Valid => "\u2713",      // check mark
        CertificateStatus.Expiring => "!",
        CertificateStatus.Expired => "\u2715",    // multiplication x
        CertificateStatus.Revoked => "\u2298",    // circled slash
        CertificateStatus.Superseded => "\u21BB", // clockwise arrow
        _ => "?",
    };

    /// <summary>The order the summary shows statuses in: what needs attention first.</summary>
    public static readonly CertificateStatus[] Order =
        [CertificateStatus.Expiring, CertificateStatus.Expired, CertificateStatus.Revoked, CertificateStatus.Valid, CertificateStatus.Superseded];
}
