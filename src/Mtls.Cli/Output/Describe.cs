using System.Globalization;
using Mtls.Cli.Resources;
using Mtls.Pki.Inspection;
using Mtls.Pki.Text;

namespace Mtls.Cli.Output;

/// <summary>
/// Human-readable text for certificates and CSRs (what `show` prints), in the user's language; values (names, dates, OIDs) as they are.
/// "Describe" means only this in mtls: a failure tells its own sentence (VerifyFailure.Message, MessageIn),
/// a key or a CRL set in one line is a Summary (KeySpec.Summary), a PEM label's kind is PrivateKeyFile.PemKind.
/// </summary>
internal static class Describe
{
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Expiry(CertificateDescription c) => c.Status switch
    {
        "expired" => Language.Format(Strings.Expiry_Expired, -c.ExpiresInDays),
        "not yet valid" => Language.Format(Strings.Expiry_NotYetValid, Time(c.NotBefore)),
        _ => c.ExpiresInDays switch
        {
            0 => Soon(c.ExpiresInSeconds), // short-lived certificates (the online CA's): "0 days" would say nothing
            1 => Strings.Expiry_InOneDay,
            var days => Language.Format(Strings.Expiry_InDays, days),
        },
    };

    private static string Soon(long seconds) => seconds switch
    {
        < 120 => Language.Format(Strings.Expiry_InSeconds, Math.Max(0, seconds)),
        < 2 * 3600 => Language.Format(Strings.Expiry_InMinutes, seconds / 60),
        _ => Language.Format(Strings.Expiry_InHours, seconds / 3600),
    };

    /// <summary>"(none)" in the user's language.</summary>
    public static string None => Strings.Show_None;

    public static void Certificate(TextWriter w, CertificateDescription c, bool publicKey = true)
    {
        Line(w, Strings.Show_Subject, c.Subject);
        Line(w, Strings.Show_Issuer, c.Issuer + (c.SelfSigned ? Strings.Show_SelfSigned : ""));
        Line(w, Strings.Show_Serial, c.Serial);
        Line(w, Strings.Show_NotBefore, Time(c.NotBefore));
        Line(w, Strings.Show_NotAfter, $"{Time(c.NotAfter)} ({Expiry(c)})");
        Line(w, Strings.Show_Key, c.KeyType);
        Line(w, Strings.Show_Signature, c.SignatureAlgorithm);
        Line(w, Strings.Show_Sans, c.SubjectAltNames.Count == 0 ? None : string.Join(", ", c.SubjectAltNames));
        Line(w, Strings.Show_BasicConstraints, c.BasicConstraints is null ? None
            : (c.BasicConstraints.IsCa ? "CA:TRUE" : "CA:FALSE")
              + (c.BasicConstraints.PathLength is int n ? $", pathlen:{n}" : "")
              + (c.BasicConstraints.Critical ? Strings.Show_Critical : ""));
        Line(w, Strings.Show_KeyUsage, c.KeyUsage.Count == 0 ? None : string.Join(", ", c.KeyUsage));
        Line(w, Strings.Show_ExtendedKeyUsage, c.ExtendedKeyUsage.Count == 0 ? Strings.Show_AnyPurpose : string.Join(", ", c.ExtendedKeyUsage));
        if (c.SubjectKeyId is not null) Line(w, Strings.Show_SubjectKeyId, c.SubjectKeyId);
        if (c.AuthorityKeyId is not null) Line(w, Strings.Show_AuthorityKeyId, c.AuthorityKeyId);
        Line(w, Strings.Show_Version, $"v{c.Version}" + (c.Version < 3 ? Strings.Show_NoExtensions : ""));
        Line(w, "SHA-256", c.Sha256Fingerprint);
        if (publicKey) w.Write(c.PublicKeyPem);
    }

    public static void Csr(TextWriter w, CsrDescription c)
    {
        Line(w, Strings.Show_Subject, c.Subject);
        Line(w, Strings.Show_Key, c.KeyType);
        Line(w, Strings.Show_Signature, c.SignatureValid ? Strings.Show_CsrSignatureValid : Strings.Show_CsrSignatureInvalid);
        Line(w, Strings.Show_RequestedSans, c.SubjectAltNames.Count == 0 ? None : string.Join(", ", c.SubjectAltNames));
        Line(w, Strings.Show_RequestedExtensions, c.RequestedExtensions.Count == 0 ? None : string.Join(", ", c.RequestedExtensions));
        w.Write(c.PublicKeyPem);
    }

    /// <summary>An indented fact of a summary ("  valid until: ..."), its value at column 15 as in English, further for a longer label.</summary>
    public static string Field(string label, string value) => "  " + DisplayWidth.Pad(label + ":", Math.Max(13, DisplayWidth.Of(label) + 2)) + value;

    /// <summary>A label and its value, the values in one column (20 wide: the longest English label fits; display width for Japanese).</summary>
    public static void Line(TextWriter w, string label, string value) =>
        w.WriteLine(DisplayWidth.Pad(label + ":", Math.Max(20, DisplayWidth.Of(label) + 2)) + value);
}
