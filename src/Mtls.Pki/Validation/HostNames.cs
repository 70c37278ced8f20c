using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Mtls.Pki.Validation;

/// <summary>Is the leaf for this host? RFC 6125 on the subjectAltNames only (no fallback to the common name).</summary>
internal static class HostNames
{
    public static bool Matches(ParsedCertificate cert, string host)
    {
        var sans = cert.SubjectAltNames ?? [];
        if (TryParseIp(host, out var ip))
            return sans.Any(n => n.Kind == GeneralNameKind.Ip && n.Bytes.AsSpan().SequenceEqual(ip));
        var name = host.TrimEnd('.');
        return DnsNames.IsValid(name) && sans.Any(n => n.Kind == GeneralNameKind.Dns && DnsNames.Matches(n.Text, name));
    }

    /// <summary>An IP literal (dotted quad, or IPv6 with or without brackets); "1" or "0x7f.1" are not IP addresses here.</summary>
    public static bool TryParseIp(string host, out byte[] bytes)
    {
        bytes = [];
        var text = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (text.Contains(':'))
        {
            if (!IPAddress.TryParse(text, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6) return false;
            bytes = v6.GetAddressBytes();
            return true;
        }
        var parts = text.Split('.');
        if (parts.Length != 4 || parts.Any(p => p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit) || int.Parse(p, CultureInfo.InvariantCulture) > 255))
            return false;
        bytes = parts.Select(p => byte.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return true;
    }

    public static string Describe(ParsedCertificate cert) =>
        cert.SubjectAltNames is { Count: > 0 } sans
            ? string.Join(", ", sans.Select(n => n.ToString()))
            : $"no subjectAltName (only CN={cert.Subject.CommonName ?? "none"})";
}
