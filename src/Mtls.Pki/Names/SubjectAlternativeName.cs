using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Text;

namespace Mtls.Pki.Names;

public enum SanKind { Dns, Ip, Uri, Email }

/// <summary>
/// One subjectAltName entry, written <c>DNS:localhost</c>, <c>IP:127.0.0.1</c>, <c>URI:...</c>, <c>EMAIL:...</c>.
/// The syntax of DNS names, e-mail addresses and IP literals is <see cref="DnsName"/>'s, <see cref="EmailAddress"/>'s
/// and <see cref="IpLiteral"/>'s, which the validator applies too: what the CA signs, `mtls verify` accepts.
/// </summary>
public sealed record SubjectAlternativeName(SanKind Kind, string Value)
{
    public override string ToString() => $"{Prefix(Kind)}:{Value}";

    public static string Prefix(SanKind kind) => kind switch
    {
        SanKind.Dns => "DNS",
        SanKind.Ip => "IP",
        SanKind.Uri => "URI",
        _ => "EMAIL",
    };

    /// <summary>Parses <c>KIND:value</c>; a bare value is an IP literal or a DNS name.</summary>
    public static SubjectAlternativeName Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':');
        var prefix = colon > 0 ? text[..colon].ToUpperInvariant() : "";
        var value = text[(colon + 1)..];
        var san = prefix switch
        {
            "DNS" => Dns(value, text),
            "IP" => Ip(value, text),
            "URI" => Uri(value, text),
            "EMAIL" => Email(value, text),
            _ => IpLiteral.TryParse(text, out IPAddress _) ? Ip(text, text) : Dns(text, text),
        };
        return san;
    }

    /// <summary>True when <paramref name="value"/> could be a host name or IP a server certificate names.</summary>
    public static SubjectAlternativeName? FromHostLike(string? value)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (IpLiteral.TryParse(value, out IPAddress ip))
            return new(SanKind.Ip, ip.ToString());
        return DnsName.SigningProblem(value) is null ? new(SanKind.Dns, value.ToLowerInvariant()) : null;
    }

    private static SubjectAlternativeName Dns(string value, string original)
    {
        if (DnsName.SigningProblem(value) is { } problem)
            throw new MtlsException(Catalogue.Text("San_Problem", original, value, problem)) { Kind = MtlsErrorKind.SanSyntax };
        return new(SanKind.Dns, value.ToLowerInvariant());
    }

    private static SubjectAlternativeName Ip(string value, string original)
    {
        if (!IpLiteral.TryParse(value, out IPAddress ip))
            throw new MtlsException(Catalogue.Text("San_NotIp", original, value)) { Kind = MtlsErrorKind.SanSyntax };
        return new(SanKind.Ip, ip.ToString());
    }

    private static SubjectAlternativeName Uri(string value, string original)
    {
        if (!System.Uri.TryCreate(value, UriKind.Absolute, out _))
            throw new MtlsException(Catalogue.Text("San_NotUri", original, value)) { Kind = MtlsErrorKind.SanSyntax };
        return new(SanKind.Uri, value);
    }

    private static SubjectAlternativeName Email(string value, string original)
    {
        if (EmailAddress.Problem(value) is { } problem)
            throw new MtlsException(Catalogue.Text("San_NotEmail", original, value, problem)) { Kind = MtlsErrorKind.SanSyntax };
        return new(SanKind.Email, value);
    }

    /// <summary>
    /// Why <paramref name="name"/> cannot go into a certificate, or null when it can. Names typed by a
    /// user are checked by <see cref="Parse"/>; names decoded from a CSR or certificate are not (a
    /// hostile CSR carries any bytes, which the platform's builder then throws on: found by fuzzing).
    /// </summary>
    public static Text.Phrase? Problem(SubjectAlternativeName name) => name.Kind switch
    {
        SanKind.Dns => DnsName.SigningProblem(name.Value),
        SanKind.Ip when !IpLiteral.TryParse(name.Value, out IPAddress _) => Text.Phrase.Pki("San_NotIpBytes"),
        SanKind.Uri when !System.Uri.TryCreate(name.Value, UriKind.Absolute, out _) => Text.Phrase.Pki("San_NotAbsoluteUri"),
        SanKind.Email => EmailAddress.Problem(name.Value) is { } problem ? Text.Phrase.Pki("San_NotEmailAddress", problem) : null,
        _ => null,
    };

    /// <summary>Builds the extension for a set of names (non-critical, as the subject is not empty).</summary>
    public static X509Extension BuildExtension(IEnumerable<SubjectAlternativeName> names)
    {
        var builder = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            switch (name.Kind)
            {
                case SanKind.Dns: builder.AddDnsName(name.Value); break;
                case SanKind.Ip: builder.AddIpAddress(IPAddress.Parse(name.Value)); break;
                case SanKind.Uri: builder.AddUri(new System.Uri(name.Value)); break;
                case SanKind.Email: builder.AddEmailAddress(name.Value); break;
            }
        }
        return builder.Build(critical: false);
    }

    /// <summary>
    /// Reads the names of a subjectAltName extension value. Kinds other than the four above (directory
    /// names, other names) are returned as <c>null</c> entries in <paramref name="other"/> count.
    /// </summary>
    public static IReadOnlyList<SubjectAlternativeName> Decode(ReadOnlyMemory<byte> extensionValue, out int other)
    {
        var result = new List<SubjectAlternativeName>();
        other = 0;
        var reader = new AsnReader(extensionValue, AsnEncodingRules.DER);
        var names = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        while (names.HasData)
        {
            var tag = names.PeekTag();
            if (tag.TagClass != TagClass.ContextSpecific) throw new AsnContentException("GeneralName is not context-specific");
            switch (tag.TagValue)
            {
                case 1: result.Add(new(SanKind.Email, names.ReadCharacterString(UniversalTagNumber.IA5String, tag))); break;
                case 2: result.Add(new(SanKind.Dns, names.ReadCharacterString(UniversalTagNumber.IA5String, tag))); break;
                case 6: result.Add(new(SanKind.Uri, names.ReadCharacterString(UniversalTagNumber.IA5String, tag))); break;
                case 7:
                    var bytes = names.ReadOctetString(tag);
                    result.Add(new(SanKind.Ip, bytes.Length is 4 or 16
                        ? new IPAddress(bytes).ToString()
                        : "#" + Convert.ToHexString(bytes)));
                    break;
                default:
                    names.ReadEncodedValue();
                    other++;
                    break;
            }
        }
        return result;
    }

    public static string FormatList(IEnumerable<SubjectAlternativeName> names) =>
        string.Join(", ", names.Select(n => n.ToString()));
}
