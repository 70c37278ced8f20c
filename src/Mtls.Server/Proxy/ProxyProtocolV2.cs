using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Mtls.Server.Proxy;

/// <summary>
/// The PROXY protocol version 2 header (haproxy's proxy-protocol.txt, section 2.2) that mtls proxy's TCP
/// mode sends first to the backend with <c>--proxy-protocol</c>: the binary signature, version 2 with the
/// PROXY command, TCP over IPv4 or IPv6 with the client's and the proxy's addresses and ports, then TLVs:
/// PP2_TYPE_SSL (0x20: client flags SSL|CERT_CONN|CERT_SESS, verify 0 = verified) with the sub-TLVs
/// PP2_SUBTYPE_SSL_VERSION (0x21, "TLSv1.3") and PP2_SUBTYPE_SSL_CN (0x22, the client's subject CN);
/// and two custom TLVs of the 0xE0-0xEF range kept for applications: <see cref="SubjectType"/> (0xE0,
/// the client certificate's subject in RFC 4514 form, UTF-8) and <see cref="CertificateType"/> (0xE1,
/// the client certificate in DER).
/// </summary>
internal static class ProxyProtocolV2
{
    public static ReadOnlySpan<byte> Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    public const byte SslType = 0x20;
    public const byte SslVersionSubtype = 0x21;
    public const byte SslCnSubtype = 0x22;
    /// <summary>Custom TLV: the client certificate's subject, RFC 4514, UTF-8.</summary>
    public const byte SubjectType = 0xE0;
    /// <summary>Custom TLV: the client certificate, DER.</summary>
    public const byte CertificateType = 0xE1;

    private const byte ClientSsl = 0x01, ClientCertConn = 0x02, ClientCertSess = 0x04;

    /// <summary>The whole header for a client at <paramref name="client"/> connected to <paramref name="local"/>.</summary>
    public static byte[] Build(IPEndPoint client, IPEndPoint local, System.Security.Authentication.SslProtocols protocol, X509Certificate2 certificate, string subject)
    {
        var (source, destination) = SameFamily(client.Address, local.Address);
        var v6 = source.AddressFamily == AddressFamily.InterNetworkV6;
        var addressLength = v6 ? 36 : 12;
        var cn = CommonName(certificate);
        var sub = new List<(byte, byte[])> { (SslVersionSubtype, Encoding.ASCII.GetBytes(VersionName(protocol))) };
        if (cn is not null) sub.Add((SslCnSubtype, Encoding.UTF8.GetBytes(cn)));
        var sslValue = new byte[5 + sub.Sum(s => 3 + s.Item2.Length)];
        sslValue[0] = ClientSsl | ClientCertConn | ClientCertSess;
        BinaryPrimitives.WriteUInt32BigEndian(sslValue.AsSpan(1), 0); // verify: 0, the certificate was verified
        var at = 5;
        foreach (var (type, value) in sub) at += WriteTlv(sslValue.AsSpan(at), type, value);
        var tlvs = new List<(byte, byte[])>
        {
            (SslType, sslValue),
            (SubjectType, Encoding.UTF8.GetBytes(subject)),
            (CertificateType, certificate.RawData),
        };
        var length = addressLength + tlvs.Sum(t => 3 + t.Item2.Length);
        if (length > ushort.MaxValue) throw new InvalidOperationException("PROXY v2 header too long");
        var header = new byte[16 + length];
        Signature.CopyTo(header);
        header[12] = 0x21; // version 2, PROXY
        header[13] = v6 ? (byte)0x21 : (byte)0x11; // AF_INET6 or AF_INET, STREAM
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(14), (ushort)length);
        var span = header.AsSpan(16);
        source.TryWriteBytes(span, out var n);
        destination.TryWriteBytes(span[n..], out _);
        BinaryPrimitives.WriteUInt16BigEndian(span[(2 * n)..], (ushort)client.Port);
        BinaryPrimitives.WriteUInt16BigEndian(span[(2 * n + 2)..], (ushort)local.Port);
        at = 16 + addressLength;
        foreach (var (type, value) in tlvs) at += WriteTlv(header.AsSpan(at), type, value);
        return header;
    }

    /// <summary>The version as OpenSSL's SSL_get_version names it ("TLSv1.3"), which is what HAProxy and ghostunnel send.</summary>
#pragma warning disable SYSLIB0039 // TLS 1.0/1.1 named, never enabled
    public static string VersionName(System.Security.Authentication.SslProtocols protocol) => protocol switch
    {
        System.Security.Authentication.SslProtocols.Tls13 => "TLSv1.3",
        System.Security.Authentication.SslProtocols.Tls12 => "TLSv1.2",
        System.Security.Authentication.SslProtocols.Tls11 => "TLSv1.1",
        System.Security.Authentication.SslProtocols.Tls => "TLSv1",
        _ => "unknown",
    };
#pragma warning restore SYSLIB0039

    private static int WriteTlv(Span<byte> to, byte type, byte[] value)
    {
        to[0] = type;
        BinaryPrimitives.WriteUInt16BigEndian(to[1..], (ushort)value.Length);
        value.CopyTo(to[3..]);
        return 3 + value.Length;
    }

    /// <summary>Both addresses in one family: IPv4 when both are (or are mapped to) IPv4, else both IPv6.</summary>
    private static (IPAddress, IPAddress) SameFamily(IPAddress a, IPAddress b)
    {
        if (a.IsIPv4MappedToIPv6) a = a.MapToIPv4();
        if (b.IsIPv4MappedToIPv6) b = b.MapToIPv4();
        if (a.AddressFamily == b.AddressFamily) return (a, b);
        return (a.MapToIPv6(), b.MapToIPv6());
    }

    /// <summary>The subject's (first) CN, or null without one.</summary>
    private static string? CommonName(X509Certificate2 certificate)
    {
        try
        {
            foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
                if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == "2.5.4.3") return rdn.GetSingleElementValue();
        }
        catch (System.Security.Cryptography.CryptographicException) { }
        return null;
    }
}
