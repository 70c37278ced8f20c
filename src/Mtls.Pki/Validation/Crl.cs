using System.Formats.Asn1;

namespace Mtls.Pki.Validation;

/// <summary>A revoked serial number: when, and why (the CRLReason code, when given).</summary>
internal sealed record RevokedEntry(DateTimeOffset Date, int? Reason);

/// <summary>
/// A certificate revocation list (RFC 5280 5), parsed once. The one CRL reader of the project: the
/// validator uses it as is, and <see cref="Mtls.Pki.Revocation.CrlFile"/> builds its public view on it.
/// Parsing does not trust it: the signature is checked by whoever relies on the entries.
/// </summary>
internal sealed class Crl
{
    private const string CrlNumber = "2.5.29.20";
    private const string ReasonCode = "2.5.29.21";
    private static readonly HashSet<string> Understood = [CrlNumber, "2.5.29.35", "2.5.29.28", "2.5.29.27"];

    public required ReadOnlyMemory<byte> Tbs { get; init; }
    public required AlgorithmId SignatureAlgorithm { get; init; }
    public required byte[] Signature { get; init; }
    public required CertName Issuer { get; init; }
    public required DateTimeOffset ThisUpdate { get; init; }
    public required DateTimeOffset? NextUpdate { get; init; }
    /// <summary>Revoked serials (hex of the DER integer's bytes, as <see cref="ParsedCertificate"/> keys them).</summary>
    public required IReadOnlyDictionary<string, RevokedEntry> Revoked { get; init; }
    /// <summary>The entries in the order the CRL lists them (for display).</summary>
    public required IReadOnlyList<KeyValuePair<string, RevokedEntry>> InOrder { get; init; }
    /// <summary>The cRLNumber extension, when present.</summary>
    public required System.Numerics.BigInteger? Number { get; init; }
    /// <summary>Why this CRL cannot be relied on (RFC 5280 5.2), or null.</summary>
    public required Text.Phrase? Problem { get; init; }

    // The server hands the same CRL arrays to every handshake until a reload replaces them: parse each
    // array once (keyed by the array itself, so a reloaded CRL is a new key and the old entry goes with it).
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<byte[], Crl> ParsedOnce = new();

    /// <summary><see cref="Parse"/>, once per array; callers must not change the array afterwards.</summary>
    public static Crl ParseCached(byte[] der) => ParsedOnce.GetValue(der, Parse);

    public static Crl Parse(byte[] der)
    {
        var outer = new AsnReader(der, AsnEncodingRules.DER);
        var list = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        var tbsDer = list.PeekEncodedValue();
        var tbs = list.ReadSequence();
        var algorithm = AlgorithmId.Read(list);
        var signature = list.ReadBitString(out _).ToArray();
        list.ThrowIfNotEmpty();

        if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer)) tbs.ReadIntegerBytes();
        var innerAlgorithm = AlgorithmId.Read(tbs);
        var issuer = CertName.Read(tbs);
        var thisUpdate = ReadTime(tbs);
        DateTimeOffset? nextUpdate = tbs.HasData && IsTime(tbs.PeekTag()) ? ReadTime(tbs) : null;
        var revoked = new Dictionary<string, RevokedEntry>();
        var inOrder = new List<KeyValuePair<string, RevokedEntry>>();
        Text.Phrase? problem = innerAlgorithm.Der.Span.SequenceEqual(algorithm.Der.Span) ? null : Text.Phrase.Pki("CrlDefect_AlgorithmsDiffer");
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            var entries = tbs.ReadSequence();
            while (entries.HasData)
            {
                var entry = entries.ReadSequence();
                var serial = Convert.ToHexString(entry.ReadIntegerBytes().Span);
                var date = ReadTime(entry);
                int? reason = null;
                if (entry.HasData)
                {
                    var exts = entry.ReadSequence();
                    while (exts.HasData)
                    {
                        var ext = CertExtension.Read(exts);
                        if (ext.Oid == ReasonCode)
                            reason = (int)new System.Numerics.BigInteger(new AsnReader(ext.Value, AsnEncodingRules.DER).ReadEnumeratedBytes().Span, isBigEndian: true);
                        else if (ext.Critical)
                            problem ??= Text.Phrase.Pki("CrlDefect_EntryUnknownCritical", ext.Oid);
                    }
                }
                entry.ThrowIfNotEmpty();
                var revokedEntry = new RevokedEntry(date, reason);
                revoked[serial] = revokedEntry;
                inOrder.Add(new(serial, revokedEntry));
            }
        }
        System.Numerics.BigInteger? number = null;
        if (tbs.HasData)
        {
            var wrapper = tbs.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true));
            var exts = wrapper.ReadSequence();
            while (exts.HasData)
            {
                var ext = CertExtension.Read(exts);
                if (ext.Oid == CrlNumber)
                {
                    number = new AsnReader(ext.Value, AsnEncodingRules.DER).ReadInteger();
                    if (ext.Critical) problem ??= Text.Phrase.Pki("CrlDefect_NumberCritical");
                }
                else if (ext.Critical && !Understood.Contains(ext.Oid))
                    problem ??= Text.Phrase.Pki("CrlDefect_UnknownCritical", ext.Oid);
            }
        }
        tbs.ThrowIfNotEmpty();
        if (number is null) problem ??= Text.Phrase.Pki("CrlDefect_NoNumber");
        return new Crl
        {
            Tbs = tbsDer, SignatureAlgorithm = algorithm, Signature = signature, Issuer = issuer, ThisUpdate = thisUpdate,
            NextUpdate = nextUpdate, Revoked = revoked, InOrder = inOrder, Number = number, Problem = problem,
        };
    }

    private static bool IsTime(Asn1Tag tag) => tag.HasSameClassAndValue(Asn1Tag.UtcTime) || tag.HasSameClassAndValue(Asn1Tag.GeneralizedTime);

    private static DateTimeOffset ReadTime(AsnReader reader) =>
        reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? reader.ReadUtcTime(2049) : reader.ReadGeneralizedTime();
}
