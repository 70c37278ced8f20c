using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Trust;

namespace Mtls.Pki.Validation;

/// <summary>An AlgorithmIdentifier: the OID and the DER of its parameters (empty when absent).</summary>
internal sealed record AlgorithmId(string Oid, ReadOnlyMemory<byte> Parameters, ReadOnlyMemory<byte> Der)
{
    public static AlgorithmId Read(AsnReader reader)
    {
        var der = reader.PeekEncodedValue();
        var seq = reader.ReadSequence();
        var oid = seq.ReadObjectIdentifier();
        var parameters = seq.HasData ? seq.ReadEncodedValue() : ReadOnlyMemory<byte>.Empty;
        seq.ThrowIfNotEmpty();
        return new AlgorithmId(oid, parameters, der);
    }

    public bool HasNullOrNoParameters => Parameters.IsEmpty || Parameters.Span.SequenceEqual(new byte[] { 0x05, 0x00 });
}

/// <summary>A problem that makes a certificate unusable in any path (malformed, forbidden by RFC 5280 or the Web PKI, an algorithm not supported).</summary>
/// <summary>A <paramref name="Lapse"/> is a defect openssl and Go overlook: refused only under Strict (see <see cref="LapseKind"/>).</summary>
internal sealed record Defect(FailureReason Reason, Text.Phrase Message, LapseKind? Lapse = null);

/// <summary>
/// A certificate parsed once into an immutable model: what path validation needs, with the extensions
/// decoded and the structural problems found on the way kept as <see cref="Defects"/> (a certificate with
/// defects may sit unused in a bundle; it only fails a path that uses it).
/// </summary>
internal sealed partial class ParsedCertificate
{
    private X509Certificate2? _platform;
    private Defect? _keyProblem;
    private bool _keyChecked;
    private System.Security.Cryptography.AsymmetricAlgorithm? _publicKey;
    private readonly List<Defect> _defects = [];

    public required byte[] Der { get; init; }
    public required ReadOnlyMemory<byte> Tbs { get; init; }
    public required AlgorithmId SignatureAlgorithm { get; init; }
    public required AlgorithmId TbsSignatureAlgorithm { get; init; }
    public required byte[] Signature { get; init; }
    public required int Version { get; init; }
    public required byte[] Serial { get; init; }
    public required CertName Issuer { get; init; }
    public required CertName Subject { get; init; }
    public required DateTimeOffset NotBefore { get; init; }
    public required DateTimeOffset NotAfter { get; init; }
    public required byte[] SubjectPublicKeyInfo { get; init; }
    public required AlgorithmId KeyAlgorithm { get; init; }
    public required IReadOnlyList<CertExtension> Extensions { get; init; }
    public IReadOnlyList<Defect> Defects => _defects;

    public BasicConstraints? BasicConstraints { get; private set; }
    public KeyUsageBits? KeyUsage { get; private set; }
    public IReadOnlyList<string>? ExtendedKeyUsage { get; private set; }
    public IReadOnlyList<GeneralName>? SubjectAltNames { get; private set; }
    public NameConstraints? NameConstraints { get; private set; }
    public AuthorityKeyId? AuthorityKeyId { get; private set; }
    public byte[]? SubjectKeyId { get; private set; }

    public bool IsCa => BasicConstraints is { IsCa: true };
    /// <summary>Issuer and subject are the same name (a root, or a CA's key rollover certificate).</summary>
    public bool IsSelfIssued => Issuer.SameAs(Subject);
    public string SubjectText => Subject.ToString();
    public string SerialHex => Convert.ToHexString(Serial);

    /// <summary>The platform's certificate object (for results), made when first asked for.</summary>
    public X509Certificate2 Platform => _platform ??= X509CertificateLoader.LoadCertificate(Der);

    /// <summary>Why this certificate's key is refused (<see cref="Signatures.KeyProblem"/>), computed once.</summary>
    public Defect? KeyProblem
    {
        get
        {
            // A benign race: two threads may both compute the same immutable answer.
            if (!_keyChecked) { _keyProblem = Signatures.KeyProblem(this); _keyChecked = true; }
            return _keyProblem;
        }
    }

    /// <summary>
    /// The imported public key, made once (importing costs more than verifying). Callers lock it while
    /// they use it: the platform does not promise that one key object verifies on two threads at once.
    /// Throws <see cref="System.Security.Cryptography.CryptographicException"/> for a key the platform rejects.
    /// </summary>
    public System.Security.Cryptography.AsymmetricAlgorithm PublicKey
    {
        get
        {
            lock (_defects)
                return _publicKey ??= Signatures.Import(this);
        }
    }

    /// <summary>-1, 0 or 1: the sign of the serial number.</summary>
    public int SerialSign => new BigInteger(Serial, isUnsigned: false, isBigEndian: true).Sign;

    public CertExtension? Extension(string oid) => Extensions.FirstOrDefault(e => e.Oid == oid);

    /// <summary>Parses a DER certificate; throws <see cref="AsnContentException"/> when the outer structure is malformed.</summary>
    public static ParsedCertificate Parse(byte[] der, X509Certificate2? platform = null)
    {
        var outer = new AsnReader(der, AsnEncodingRules.DER);
        var cert = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        var tbsDer = cert.PeekEncodedValue();
        var tbs = cert.ReadSequence();
        var signatureAlgorithm = AlgorithmId.Read(cert);
        var signature = cert.ReadBitString(out var unused);
        if (unused != 0) throw new AsnContentException("signature has unused bits");
        cert.ThrowIfNotEmpty();

        var version = 0;
        var explicitVersion = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
        if (tbs.PeekTag().HasSameClassAndValue(explicitVersion))
        {
            var v = tbs.ReadSequence(explicitVersion);
            if (!v.TryReadInt32(out version)) throw new AsnContentException("bad version");
            v.ThrowIfNotEmpty();
        }
        var serial = tbs.ReadIntegerBytes().ToArray();
        var tbsAlgorithm = AlgorithmId.Read(tbs);
        var issuer = CertName.Read(tbs);
        var validity = tbs.ReadSequence();
        var notBefore = ReadTime(validity);
        var notAfter = ReadTime(validity);
        validity.ThrowIfNotEmpty();
        var subject = CertName.Read(tbs);
        var spki = tbs.PeekEncodedValue().ToArray();
        var spkiReader = tbs.ReadSequence();
        var keyAlgorithm = AlgorithmId.Read(spkiReader);
        spkiReader.ReadBitString(out _);
        spkiReader.ThrowIfNotEmpty();
        foreach (var uid in new[] { 1, 2 })
            if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, uid)))
                tbs.ReadEncodedValue();
        var extensions = new List<CertExtension>();
        var extTag = new Asn1Tag(TagClass.ContextSpecific, 3, isConstructed: true);
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(extTag))
        {
            var wrapper = tbs.ReadSequence(extTag);
            var list = wrapper.ReadSequence();
            wrapper.ThrowIfNotEmpty();
            while (list.HasData) extensions.Add(CertExtension.Read(list));
            if (extensions.Count == 0) throw new AsnContentException("empty extensions");
        }
        tbs.ThrowIfNotEmpty();

        var parsed = new ParsedCertificate
        {
            Der = der, Tbs = tbsDer, SignatureAlgorithm = signatureAlgorithm, TbsSignatureAlgorithm = tbsAlgorithm,
            Signature = signature.ToArray(), Version = version, Serial = serial, Issuer = issuer, Subject = subject,
            NotBefore = notBefore, NotAfter = notAfter, SubjectPublicKeyInfo = spki, KeyAlgorithm = keyAlgorithm, Extensions = extensions,
        };
        parsed._platform = platform;
        parsed.CheckStructure();
        parsed.DecodeExtensions();
        return parsed;
    }

    private static DateTimeOffset ReadTime(AsnReader reader)
    {
        var tag = reader.PeekTag();
        if (tag.HasSameClassAndValue(Asn1Tag.UtcTime)) return reader.ReadUtcTime(twoDigitYearMax: 2049);
        return reader.ReadGeneralizedTime();
    }

    private void Defect(FailureReason reason, string key, LapseKind? lapse = null, params object?[] facts) =>
        _defects.Add(new Defect(reason, Text.Phrase.Pki(key, facts), lapse));

    private void CheckStructure()
    {
        // RFC 5280 4.1: version 3 when there are extensions; a v1 certificate without any is still read
        // (the workshop's `openssl x509 -req` makes one). Version 2 is never right (CABF 7.1.1).
        if (Version is not (0 or 2) || (Version != 2 && Extensions.Count > 0))
            Defect(FailureReason.Malformed, Extensions.Count > 0 ? "Defect_VersionWithExtensions" : "Defect_Version", null, Version + 1);
        if (!TbsSignatureAlgorithm.Der.Span.SequenceEqual(SignatureAlgorithm.Der.Span))
            Defect(FailureReason.Malformed, "Defect_SignatureAlgorithmsDiffer");
        if (Issuer.IsEmpty)
            Defect(FailureReason.Malformed, "Defect_EmptyIssuer");
        var seen = new HashSet<string>();
        foreach (var e in Extensions)
            if (!seen.Add(e.Oid))
                Defect(FailureReason.Malformed, "Defect_DuplicateExtension", null, Certificates.Oids.Name(e.Oid));
    }
}
