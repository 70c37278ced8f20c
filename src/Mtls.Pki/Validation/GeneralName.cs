using System.Formats.Asn1;
using System.Net;

namespace Mtls.Pki.Validation;

/// <summary>The GeneralName choices (RFC 5280 4.2.1.6), numbered as their context tags.</summary>
internal enum GeneralNameKind { OtherName = 0, Email = 1, Dns = 2, X400 = 3, Directory = 4, EdiParty = 5, Uri = 6, Ip = 7, RegisteredId = 8 }

/// <summary>One GeneralName: text for the IA5 kinds, bytes for IP addresses, a parsed name for directoryName.</summary>
internal sealed record GeneralName(GeneralNameKind Kind, string Text, byte[] Bytes, CertName? Directory)
{
    public override string ToString() => Kind switch
    {
        GeneralNameKind.Dns => $"DNS:{Text}",
        GeneralNameKind.Email => $"email:{Text}",
        GeneralNameKind.Uri => $"URI:{Text}",
        GeneralNameKind.Ip => $"IP:{FormatIp(Bytes)}",
        GeneralNameKind.Directory => $"DirName:{Directory}",
        _ => $"{Kind}",
    };

    public static string FormatIp(byte[] bytes) => bytes.Length switch
    {
        4 or 16 => new IPAddress(bytes).ToString(),
        8 => $"{new IPAddress(bytes[..4])}/{Prefix(bytes[4..])}",
        32 => $"{new IPAddress(bytes[..16])}/{Prefix(bytes[16..])}",
        _ => Convert.ToHexString(bytes),
    };

    private static string Prefix(byte[] mask) => NameConstraints.MaskLength(mask) is { } n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : Convert.ToHexString(mask);

    public static GeneralName Read(AsnReader reader)
    {
        var tag = reader.PeekTag();
        if (tag.TagClass != TagClass.ContextSpecific || tag.TagValue > 8)
            throw new AsnContentException("not a GeneralName");
        var kind = (GeneralNameKind)tag.TagValue;
        switch (kind)
        {
            case GeneralNameKind.Email or GeneralNameKind.Dns or GeneralNameKind.Uri:
                return new(kind, reader.ReadCharacterString(UniversalTagNumber.IA5String, tag), [], null);
            case GeneralNameKind.Ip:
                return new(kind, "", reader.ReadOctetString(tag), null);
            case GeneralNameKind.Directory:
                var inner = reader.ReadSequence(tag);
                var name = CertName.Read(inner);
                inner.ThrowIfNotEmpty();
                return new(kind, "", [], name);
            case GeneralNameKind.RegisteredId:
                return new(kind, reader.ReadObjectIdentifier(tag), [], null);
            default:
                return new(kind, "", reader.ReadEncodedValue().ToArray(), null);
        }
    }

    /// <summary>GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName.</summary>
    public static IReadOnlyList<GeneralName> ReadSequence(AsnReader reader, Asn1Tag? tag = null)
    {
        var seq = reader.ReadSequence(tag);
        var names = new List<GeneralName>();
        while (seq.HasData) names.Add(Read(seq));
        if (names.Count == 0) throw new AsnContentException("empty GeneralNames");
        return names;
    }
}
