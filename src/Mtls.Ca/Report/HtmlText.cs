using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Mtls.Pki.Names;

namespace Mtls.Ca.Report;

/// <summary>
/// Text from certificates and inventories made safe for the page. Subjects and SANs are attacker-chosen
/// (a CSR is untrusted input): markup, quotes and ampersands are encoded by <see cref="HtmlEncoder"/>, and
/// every character that would act instead of show (controls, newlines, bidi overrides and isolates,
/// zero-width marks: <see cref="DistinguishedName.IsHidden"/>) is written as a visible [U+XXXX], so a
/// name can neither break out of its cell nor read differently from what it is.
/// </summary>
internal static class HtmlText
{
    // All of Unicode may stay literal (Japanese names read as themselves in the source too); the encoder
    // still encodes <, >, &, quotes and whatever it deems unsafe.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>Text for an element's content or a quoted attribute value; hidden characters become a marked [U+XXXX].</summary>
    public static string Encode(string text) => Write(text, marked: true);

    /// <summary>As <see cref="Encode"/> without markup around [U+XXXX]: for attributes and SVG text.</summary>
    public static string EncodePlain(string text) => Write(text, marked: false);

    private static string Write(string text, bool marked)
    {
        var sb = new StringBuilder(text.Length + 16);
        var run = 0; // start of the current run of ordinary characters
        for (var i = 0; i < text.Length; i++)
        {
            if (!DistinguishedName.IsHidden(text[i])) continue;
            sb.Append(Encoder.Encode(text[run..i]));
            var code = "[U+" + ((int)text[i]).ToString("X4", CultureInfo.InvariantCulture) + "]";
            sb.Append(marked ? "<span class=\"hidden-char\">" + code + "</span>" : code);
            run = i + 1;
        }
        sb.Append(Encoder.Encode(text[run..]));
        return sb.ToString();
    }
}
