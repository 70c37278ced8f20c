using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Mtls.Pki.Certificates;
using Mtls.Pki.Names;

namespace Mtls.Server.Proxy;

/// <summary>
/// The headers that tell the backend who the client is, made once per connection from the certificate
/// the gate validated (and the intermediates it was sent with). Values are ASCII: DER as base64, names
/// percent-encoded, so no certificate content can break a header or add one.
/// </summary>
internal static class IdentityHeaders
{
    public const string ClientCert = "Client-Cert";
    public const string ClientCertChain = "Client-Cert-Chain";
    public const string Subject = "X-Client-Subject";
    public const string SanDns = "X-Client-San-Dns";
    public const string SanUri = "X-Client-San-Uri";
    public const string Sha256 = "X-Client-Cert-Sha256";
    public const string Xfcc = "X-Forwarded-Client-Cert";

    public static KeyValuePair<string, string>[] For(X509Certificate2 leaf, IReadOnlyList<X509Certificate2>? sent, IdentityHeaderSet set, bool forwardChain)
    {
        var headers = new List<KeyValuePair<string, string>>();
        var chain = forwardChain && sent is { Count: > 0 } ? sent : null;
        if (set.HasFlag(IdentityHeaderSet.Rfc9440))
        {
            // RFC 9440 section 2: a structured-field byte sequence, ':' base64 of the DER ':'.
            headers.Add(new(ClientCert, ByteSequence(leaf)));
            if (chain is not null) headers.Add(new(ClientCertChain, string.Join(", ", chain.Select(ByteSequence))));
        }
        var sans = AllowRules.SubjectAltNames(leaf);
        var hash = Convert.ToHexStringLower(SHA256.HashData(leaf.RawDataMemory.Span));
        var subject = DistinguishedName.Format(leaf.SubjectName);
        if (set.HasFlag(IdentityHeaderSet.Simple))
        {
            headers.Add(new(Subject, Uri.EscapeDataString(subject)));
            if (List(sans, SanKind.Dns) is { } dns) headers.Add(new(SanDns, dns));
            if (List(sans, SanKind.Uri) is { } uris) headers.Add(new(SanUri, uris));
            headers.Add(new(Sha256, hash));
        }
        if (set.HasFlag(IdentityHeaderSet.Xfcc)) headers.Add(new(Xfcc, ForwardedClientCert(leaf, chain, hash, subject, sans)));
        return [.. headers];
    }

    private static string ByteSequence(X509Certificate2 cert) => ":" + Convert.ToBase64String(cert.RawDataMemory.Span) + ":";

    /// <summary>Percent-encoded values separated by commas (a comma inside a value is encoded, so the list is unambiguous); null when none.</summary>
    private static string? List(IReadOnlyList<SubjectAlternativeName> sans, SanKind kind)
    {
        var values = sans.Where(s => s.Kind == kind).Select(s => Uri.EscapeDataString(s.Value)).ToList();
        return values.Count == 0 ? null : string.Join(",", values);
    }

    /// <summary>Envoy's x-forwarded-client-cert element: Hash, Cert (URL-encoded PEM), Chain, Subject, URI and DNS keys.</summary>
    private static string ForwardedClientCert(X509Certificate2 leaf, IReadOnlyList<X509Certificate2>? chain, string hash, string subject,
        IReadOnlyList<SubjectAlternativeName> sans)
    {
        var sb = new StringBuilder();
        sb.Append("Hash=").Append(hash);
        sb.Append(";Cert=\"").Append(Uri.EscapeDataString(CertificateFile.ToPem(leaf))).Append('"');
        if (chain is not null)
            sb.Append(";Chain=\"").Append(Uri.EscapeDataString(string.Concat(chain.Select(CertificateFile.ToPem)))).Append('"');
        sb.Append(";Subject=").Append(Quoted(subject));
        foreach (var san in sans)
            if (san.Kind == SanKind.Uri) sb.Append(";URI=").Append(QuotedIfNeeded(san.Value));
        foreach (var san in sans)
            if (san.Kind == SanKind.Dns) sb.Append(";DNS=").Append(QuotedIfNeeded(san.Value));
        return sb.ToString();
    }

    private static string QuotedIfNeeded(string value) => value.AsSpan().IndexOfAny(",;=\"\\ ") >= 0 ? Quoted(value) : Ascii(value);

    /// <summary>A double-quoted value, with '"' and '\' escaped and anything outside printable ASCII percent-encoded.</summary>
    private static string Quoted(string value) => "\"" + Ascii(value).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>Printable ASCII as is; anything else as %XX per UTF-8 byte.</summary>
    private static string Ascii(string value)
    {
        if (!value.Any(c => c is < ' ' or > '~')) return value;
        var sb = new StringBuilder(value.Length * 2);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in value.EnumerateRunes())
        {
            if (rune.Value is >= ' ' and <= '~') { sb.Append((char)rune.Value); continue; }
            var n = rune.EncodeToUtf8(utf8);
            for (var i = 0; i < n; i++) sb.Append('%').Append(utf8[i].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}
