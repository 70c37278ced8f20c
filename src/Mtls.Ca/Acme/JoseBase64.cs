
namespace Mtls.Ca.Acme;

/// <summary>base64url without padding (RFC 7515 2), strict: padding or other alphabets are refused.</summary>
internal static class JoseBase64
{
    public static string Encode(ReadOnlySpan<byte> data) => System.Buffers.Text.Base64Url.EncodeToString(data);

    public static bool TryDecode(string? text, out byte[] data)
    {
        data = [];
        if (text is null || text.Contains('=', StringComparison.Ordinal)) return false;
        foreach (var c in text)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return false;
        try
        {
            data = System.Buffers.Text.Base64Url.DecodeFromChars(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
