using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Mtls.Pki.Names;

namespace Mtls.Pki.Validation;

/// <summary>One attribute of a distinguished name: its type and (for string types) its text.</summary>
internal sealed record NameAttribute(string Oid, string? Text, ReadOnlyMemory<byte> RawValue);

/// <summary>
/// A distinguished name, parsed once: the DER, its relative distinguished names, and a comparison key
/// (RFC 5280 7.1: strings compared case-insensitively with runs of spaces collapsed).
/// </summary>
internal sealed class CertName
{
    private CertName(byte[] der, IReadOnlyList<IReadOnlyList<NameAttribute>> rdns)
    {
        Der = der;
        Rdns = rdns;
        RdnKeys = rdns.Select(RdnKey).ToArray();
        Key = string.Join("\u0002", RdnKeys);
    }

    public byte[] Der { get; }
    public IReadOnlyList<IReadOnlyList<NameAttribute>> Rdns { get; }
    public IReadOnlyList<string> RdnKeys { get; }
    public string Key { get; }
    public bool IsEmpty => Rdns.Count == 0;

    public IEnumerable<NameAttribute> Attributes => Rdns.SelectMany(r => r);

    public static CertName Read(AsnReader reader)
    {
        var der = reader.ReadEncodedValue().ToArray();
        return Parse(der);
    }

    public static CertName Parse(byte[] der)
    {
        var rdns = new List<IReadOnlyList<NameAttribute>>();
        var seq = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        while (seq.HasData)
        {
            var set = seq.ReadSetOf();
            var rdn = new List<NameAttribute>();
            while (set.HasData)
            {
                var atv = set.ReadSequence();
                var oid = atv.ReadObjectIdentifier();
                var tag = atv.PeekTag();
                var raw = atv.PeekEncodedValue();
                string? text = null;
                if (tag.TagClass == TagClass.Universal && IsStringTag((UniversalTagNumber)tag.TagValue))
                    text = atv.ReadCharacterString((UniversalTagNumber)tag.TagValue);
                else
                    atv.ReadEncodedValue();
                atv.ThrowIfNotEmpty();
                rdn.Add(new NameAttribute(oid, text, raw));
            }
            if (rdn.Count == 0) throw new AsnContentException("empty relative distinguished name");
            rdns.Add(rdn);
        }
        return new CertName(der, rdns);
    }

    private static bool IsStringTag(UniversalTagNumber tag) => tag is UniversalTagNumber.UTF8String or UniversalTagNumber.PrintableString
        or UniversalTagNumber.IA5String or UniversalTagNumber.BMPString or UniversalTagNumber.UniversalString
        or UniversalTagNumber.T61String or UniversalTagNumber.VisibleString;

    private static string RdnKey(IReadOnlyList<NameAttribute> rdn) =>
        string.Join("\u0001", rdn.Select(a => a.Oid + "=" + (a.Text is { } t ? Normalize(t) : "#" + Convert.ToHexString(a.RawValue.Span))).Order(StringComparer.Ordinal));

    private static string Normalize(string text)
    {
        var b = new StringBuilder(text.Length);
        var space = false;
        foreach (var ch in text.Trim())
        {
            if (char.IsWhiteSpace(ch)) { space = true; continue; }
            if (space) { b.Append(' '); space = false; }
            b.Append(char.ToLowerInvariant(ch));
        }
        return b.ToString();
    }

    public bool SameAs(CertName other) => Key == other.Key;

    /// <summary>True when this name starts with every RDN of <paramref name="prefix"/> (directoryName constraints).</summary>
    public bool IsWithin(CertName prefix)
    {
        if (prefix.RdnKeys.Count > RdnKeys.Count) return false;
        for (var i = 0; i < prefix.RdnKeys.Count; i++)
            if (RdnKeys[i] != prefix.RdnKeys[i]) return false;
        return true;
    }

    public string? CommonName => Attributes.LastOrDefault(a => a.Oid == "2.5.4.3")?.Text;

    public override string ToString()
    {
        if (IsEmpty) return "(empty name)";
        try { return DistinguishedName.Format(new X500DistinguishedName(Der)); }
        catch (System.Security.Cryptography.CryptographicException) { return Convert.ToHexString(Der); }
    }
}
