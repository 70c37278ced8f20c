using Mtls.Pki.Certificates;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Mtls.Pki.Text;

namespace Mtls.Pki.Names;

/// <summary>
/// Parses distinguished names written the openssl way (<c>/C=JP/O=Kame/CN=localhost</c>) or the
/// RFC 4514 way (<c>CN=localhost,O=Kame,C=JP</c>), encodes them as openssl does (UTF8String, with
/// PrintableString for countryName and IA5String for emailAddress and DC) so that names compare equal
/// across tools, and formats names in RFC 4514 form.
/// </summary>
public static class DistinguishedName
{
    private sealed record Attribute(string ShortName, string Oid, UniversalTagNumber Tag);

    // The attributes openssl users write in -subj, with openssl's encodings (string_mask = utf8only).
    private static readonly Attribute[] Known =
    [
        new("C", "2.5.4.6", UniversalTagNumber.PrintableString),
        new("ST", "2.5.4.8", UniversalTagNumber.UTF8String),
        new("L", "2.5.4.7", UniversalTagNumber.UTF8String),
        new("O", "2.5.4.10", UniversalTagNumber.UTF8String),
        new("OU", "2.5.4.11", UniversalTagNumber.UTF8String),
        new("CN", "2.5.4.3", UniversalTagNumber.UTF8String),
        new("STREET", "2.5.4.9", UniversalTagNumber.UTF8String),
        new("DC", "0.9.2342.19200300.100.1.25", UniversalTagNumber.IA5String),
        new("UID", "0.9.2342.19200300.100.1.1", UniversalTagNumber.UTF8String),
        new("emailAddress", Oids.EmailAddress, UniversalTagNumber.IA5String),
        new("serialNumber", "2.5.4.5", UniversalTagNumber.PrintableString),
        new("title", "2.5.4.12", UniversalTagNumber.UTF8String),
        new("GN", "2.5.4.42", UniversalTagNumber.UTF8String),
        new("SN", "2.5.4.4", UniversalTagNumber.UTF8String),
        new("postalCode", "2.5.4.17", UniversalTagNumber.UTF8String),
    ];

    private static readonly Dictionary<string, Attribute> ByName = BuildNameIndex();

    private static Dictionary<string, Attribute> BuildNameIndex()
    {
        var index = Known.ToDictionary(a => a.ShortName, StringComparer.OrdinalIgnoreCase);
        index["S"] = index["ST"];
        index["E"] = index["emailAddress"];
        index["commonName"] = index["CN"];
        index["countryName"] = index["C"];
        index["organizationName"] = index["O"];
        index["organizationalUnitName"] = index["OU"];
        index["localityName"] = index["L"];
        index["stateOrProvinceName"] = index["ST"];
        return index;
    }

    private static readonly Dictionary<string, string> ShortNameByOid = Known.ToDictionary(a => a.Oid, a => a.ShortName);

    /// <summary>Parses a subject in slash or RFC 4514 form; throws <see cref="MtlsException"/> on bad input.</summary>
    public static X500DistinguishedName Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
            throw new MtlsException(Catalogue.Text("Dn_Empty"));

        // Pairs in encoding order (most general first, as in openssl's slash form).
        List<(string Name, string Value)> pairs = trimmed[0] == '/'
            ? Split(trimmed[1..], '/', text)
            : Enumerable.Reverse(Split(trimmed, ',', text)).ToList();

        var builder = new X500DistinguishedNameBuilder();
        // X500DistinguishedNameBuilder writes the RDNs in reverse order of the Add calls.
        for (var i = pairs.Count - 1; i >= 0; i--)
        {
            var (name, value) = pairs[i];
            if (!ByName.TryGetValue(name, out var attribute))
                throw new MtlsException(Catalogue.Text("Dn_UnknownAttribute", text, name, string.Join(", ", Known.Select(k => k.ShortName))));
            if (value.Length == 0)
                throw new MtlsException(Catalogue.Text("Dn_EmptyValue", text, name));
            if (attribute.ShortName == "C" && (value.Length != 2 || !value.All(char.IsAsciiLetter)))
                throw new MtlsException(Catalogue.Text("Dn_Country", text, value));
            try
            {
                builder.Add(attribute.Oid, value, attribute.Tag);
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                throw new MtlsException(Catalogue.Text("Dn_Encoding", text, name, value, attribute.Tag), ExitCode.BadInput, e);
            }
        }
        return builder.Build();
    }

    private static List<(string, string)> Split(string text, char separator, string original)
    {
        var result = new List<(string, string)>();
        var current = new StringBuilder();
        string? name = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                current.Append(text[++i]);
                continue;
            }
            if (c == '=' && name is null)
            {
                name = current.ToString().Trim();
                current.Clear();
                continue;
            }
            if (c == '+')
                throw new MtlsException(Catalogue.Text("Dn_MultiValued", original));
            if (c == separator)
            {
                Add();
                continue;
            }
            current.Append(c);
        }
        Add();
        return result;

        void Add()
        {
            if (name is null)
            {
                if (current.ToString().Trim().Length == 0 && separator == '/') return; // tolerate a trailing '/'
                throw new MtlsException(Catalogue.Text("Dn_NotNameValue", original, current.ToString().Trim()));
            }
            result.Add((name, separator == ',' ? current.ToString().Trim() : current.ToString()));
            name = null;
            current.Clear();
        }
    }

    /// <summary>
    /// Formats a name in RFC 4514 order and escaping (<c>CN=localhost,O=Kame,C=JP</c>). Never throws: the
    /// name may come from a hostile client certificate. A multi-valued RDN is joined with '+'; a name the
    /// platform cannot parse is shown as RFC 4514's #hex of its DER.
    /// </summary>
    public static string Format(X500DistinguishedName name)
    {
        try
        {
            var parts = new List<string>();
            foreach (var rdn in name.EnumerateRelativeDistinguishedNames(reversed: true))
                parts.Add(rdn.HasMultipleElements ? string.Join("+", MultiValued(rdn.RawData)) : Pair(rdn.GetSingleElementType().Value, rdn.GetSingleElementValue(), rdn.RawData));
            return string.Join(",", parts);
        }
        catch (Exception e) when (e is CryptographicException or AsnContentException or InvalidOperationException)
        {
            return "#" + Convert.ToHexString(name.RawData);
        }
    }

    private static string Pair(string? oid, string? value, ReadOnlyMemory<byte> raw)
    {
        var key = oid is not null && ShortNameByOid.TryGetValue(oid, out var shortName) ? shortName : oid ?? "?";
        return value is null ? $"{key}=#{Convert.ToHexString(raw.Span)}" : $"{key}={Escape(value)}";
    }

    /// <summary>The AttributeTypeAndValue pairs of a multi-valued RDN (SET OF SEQUENCE { type, value }).</summary>
    private static IEnumerable<string> MultiValued(ReadOnlyMemory<byte> rdn)
    {
        var set = new AsnReader(rdn, AsnEncodingRules.DER).ReadSetOf(skipSortOrderValidation: true);
        var pairs = new List<string>();
        while (set.HasData)
        {
            var pair = set.ReadSequence();
            var oid = pair.ReadObjectIdentifier();
            var tag = pair.PeekTag();
            var value = tag.TagClass == TagClass.Universal && tag.TagValue is (int)UniversalTagNumber.UTF8String or (int)UniversalTagNumber.PrintableString
                or (int)UniversalTagNumber.IA5String or (int)UniversalTagNumber.BMPString
                ? pair.ReadCharacterString((UniversalTagNumber)tag.TagValue) : null;
            pairs.Add(value is null ? Pair(oid, null, pair.ReadEncodedValue()) : Pair(oid, value, default));
        }
        return pairs;
    }

    /// <summary>
    /// Whether <paramref name="name"/> is DER that decodes as an X.500 Name (SEQUENCE OF SET OF
    /// SEQUENCE { OID, value }). The platform keeps whatever bytes a CSR carries as its subject, and a
    /// certificate built on a malformed one cannot be loaded afterwards (found by fuzzing).
    /// </summary>
    public static bool IsWellFormed(X500DistinguishedName name)
    {
        try
        {
            var outer = new AsnReader(name.RawData, AsnEncodingRules.DER);
            var rdns = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            while (rdns.HasData)
            {
                var set = rdns.ReadSetOf(skipSortOrderValidation: true);
                if (!set.HasData) return false;
                while (set.HasData)
                {
                    var pair = set.ReadSequence();
                    pair.ReadObjectIdentifier();
                    pair.ReadEncodedValue();
                    pair.ThrowIfNotEmpty();
                }
            }
            return true;
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    /// <summary>The CN of a name, or null.</summary>
    public static string? CommonName(X500DistinguishedName name)
    {
        try
        {
            foreach (var rdn in name.EnumerateRelativeDistinguishedNames(reversed: true))
                if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == "2.5.4.3")
                    return rdn.GetSingleElementValue();
        }
        catch (CryptographicException) { } // an unparsable name has no CN we can show
        return null;
    }

    /// <summary>
    /// RFC 4514 escaping, plus every control character, line separator and invisible format character
    /// (bidi overrides such as U+202E, zero-width marks) as \XX per UTF-8 byte, so that a hostile name
    /// can never forge a log line, break a terminal, or read differently from what it is.
    /// </summary>
    public static string Escape(string value)
    {
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (IsHidden(c))
                foreach (var b in Encoding.UTF8.GetBytes([c]))
                    sb.Append('\\').Append(b.ToString("X2"));
            else if (c is ',' or '+' or '"' or '\\' or '<' or '>' or ';' or '=')
                sb.Append('\\').Append(c);
            else if ((i == 0 && c is '#' or ' ') || (i == value.Length - 1 && c == ' '))
                sb.Append('\\').Append(c);
            else
                sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Characters that must never reach a log, terminal or page as themselves.</summary>
    public static bool IsHidden(char c) =>
        char.IsControl(c) || c is '\u2028' or '\u2029' || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format;
}
