using System.Globalization;
using Mtls.Pki.Inspection;

namespace Mtls.Cli.Output;

/// <summary>Human-readable text for certificates and CSRs (what `show` prints).</summary>
internal static class Describe
{
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Expiry(CertificateDescription c) => c.Status switch
    {
        "expired" => $"EXPIRED {-c.ExpiresInDays} day(s) ago",
        "not yet valid" => $"NOT YET VALID (starts {Time(c.NotBefore)})",
        _ => $"expires in {c.ExpiresInDays} day{(c.ExpiresInDays == 1 ? "" : "s")}",
    };

    public static void Certificate(TextWriter w, CertificateDescription c, bool publicKey = true)
    {
        Line(w, "Subject", c.Subject);
        Line(w, "Issuer", c.Issuer + (c.SelfSigned ? " (self-signed)" : ""));
        Line(w, "Serial", c.Serial);
        Line(w, "Not before", Time(c.NotBefore));
        Line(w, "Not after", $"{Time(c.NotAfter)} ({Expiry(c)})");
        Line(w, "Key", c.KeyType);
        Line(w, "Signature", c.SignatureAlgorithm);
        Line(w, "SANs", c.SubjectAltNames.Count == 0 ? "(none)" : string.Join(", ", c.SubjectAltNames));
        Line(w, "Basic constraints", c.BasicConstraints is null ? "(none)"
            : (c.BasicConstraints.IsCa ? "CA:TRUE" : "CA:FALSE")
              + (c.BasicConstraints.PathLength is int n ? $", pathlen:{n}" : "")
              + (c.BasicConstraints.Critical ? " (critical)" : ""));
        Line(w, "Key usage", c.KeyUsage.Count == 0 ? "(none)" : string.Join(", ", c.KeyUsage));
        Line(w, "Extended key usage", c.ExtendedKeyUsage.Count == 0 ? "(none: any purpose)" : string.Join(", ", c.ExtendedKeyUsage));
        if (c.SubjectKeyId is not null) Line(w, "Subject key id", c.SubjectKeyId);
        if (c.AuthorityKeyId is not null) Line(w, "Authority key id", c.AuthorityKeyId);
        Line(w, "Version", $"v{c.Version}" + (c.Version < 3 ? " (no extensions: no SAN, no usages)" : ""));
        Line(w, "SHA-256", c.Sha256Fingerprint);
        if (publicKey) w.Write(c.PublicKeyPem);
    }

    public static void Csr(TextWriter w, CsrDescription c)
    {
        Line(w, "Subject", c.Subject);
        Line(w, "Key", c.KeyType);
        Line(w, "Signature", c.SignatureValid ? "valid (the requester holds the private key)" : "INVALID");
        Line(w, "Requested SANs", c.SubjectAltNames.Count == 0 ? "(none)" : string.Join(", ", c.SubjectAltNames));
        Line(w, "Requested ext.", c.RequestedExtensions.Count == 0 ? "(none)" : string.Join(", ", c.RequestedExtensions));
        w.Write(c.PublicKeyPem);
    }

    public static void Line(TextWriter w, string label, string value) => w.WriteLine($"{label + ":",-20}{value}");
}
