using System.Text;

namespace Mtls.Server;

/// <summary>
/// A name as the certificate holds it, for JSON logs: <c>DistinguishedName.Format</c> (the one owner of
/// how names are written) shows a hidden character (newline, bidi override) as RFC 4514 hex pairs,
/// "\0A", so a text line cannot be forged; JSON encodes such characters itself, and a log reader wants
/// the name's real characters. This undoes only the hex pairs; RFC 4514's escapes of special
/// characters ("\,", "\&lt;") stay, so the result still parses as a name.
/// </summary>
internal static class ExactNames
{
    public static string? Of(string? formatted)
    {
        if (formatted is null || !formatted.Contains('\\')) return formatted;
        var text = new StringBuilder(formatted.Length);
        var bytes = new List<byte>();
        for (var i = 0; i < formatted.Length; i++)
        {
            if (formatted[i] == '\\' && i + 2 < formatted.Length && IsHex(formatted[i + 1]) && IsHex(formatted[i + 2]))
            {
                bytes.Add(Convert.ToByte(formatted.Substring(i + 1, 2), 16));
                i += 2;
                continue;
            }
            Flush(text, bytes);
            text.Append(formatted[i]);
            if (formatted[i] == '\\' && i + 1 < formatted.Length) text.Append(formatted[++i]); // "\," stays as it is
        }
        Flush(text, bytes);
        return text.ToString();
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static void Flush(StringBuilder text, List<byte> bytes)
    {
        if (bytes.Count == 0) return;
        text.Append(Encoding.UTF8.GetString([.. bytes]));
        bytes.Clear();
    }
}
