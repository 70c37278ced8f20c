using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Mtls.Pki.Names;

/// <summary>
/// The one syntax of IP literals, for `--san IP:`, a bare SAN value, a CN turned into a SAN and `--host`:
/// a dotted quad of four decimal parts, or IPv6 (brackets allowed, no zone). Stricter than
/// IPAddress.TryParse, which reads "1234" as 0.0.4.210 and "0x7f.1" as 127.0.0.1.
/// </summary>
internal static class IpLiteral
{
    public static bool TryParse(string text, out IPAddress address)
    {
        address = IPAddress.None;
        var inner = text.StartsWith('[') && text.EndsWith(']') ? text[1..^1] : text;
        if (inner.Contains(':'))
        {
            // A zone (fe80::1%eth0) names an interface of this machine; a certificate cannot carry it.
            if (inner.Contains('%') || !IPAddress.TryParse(inner, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6) return false;
            address = v6;
            return true;
        }
        var parts = inner.Split('.');
        if (parts.Length != 4 || parts.Any(p => p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit) || int.Parse(p, CultureInfo.InvariantCulture) > 255))
            return false;
        address = new IPAddress(parts.Select(p => byte.Parse(p, CultureInfo.InvariantCulture)).ToArray());
        return true;
    }

    public static bool TryParse(string text, out byte[] bytes)
    {
        var ok = TryParse(text, out IPAddress address);
        bytes = ok ? address.GetAddressBytes() : [];
        return ok;
    }
}
