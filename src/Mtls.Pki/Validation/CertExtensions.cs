using System.Formats.Asn1;
using Mtls.Pki.Certificates;
using Mtls.Pki.Names;
using Mtls.Pki.Trust;

namespace Mtls.Pki.Validation;

/// <summary>One extension as encoded: OID, criticality, the DER inside the OCTET STRING.</summary>
internal sealed record CertExtension(string Oid, bool Critical, ReadOnlyMemory<byte> Value)
{
    public static CertExtension Read(AsnReader reader)
    {
        var seq = reader.ReadSequence();
        var oid = seq.ReadObjectIdentifier();
        var critical = false;
        if (seq.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean))
        {
            critical = seq.ReadBoolean();
            // DER: a DEFAULT value is never encoded.
            if (!critical) throw new AsnContentException("critical FALSE encoded explicitly");
        }
        var value = seq.ReadOctetString();
        seq.ThrowIfNotEmpty();
        return new CertExtension(oid, critical, value);
    }
}

internal sealed record BasicConstraints(bool IsCa, int? PathLength, bool Critical);

/// <summary>keyUsage bits in RFC 5280 order (bit 0 = digitalSignature).</summary>
[Flags]
internal enum KeyUsageBits
{
    None = 0,
    DigitalSignature = 1 << 0,
    NonRepudiation = 1 << 1,
    KeyEncipherment = 1 << 2,
    DataEncipherment = 1 << 3,
    KeyAgreement = 1 << 4,
    KeyCertSign = 1 << 5,
    CrlSign = 1 << 6,
    EncipherOnly = 1 << 7,
    DecipherOnly = 1 << 8,
}

internal sealed record AuthorityKeyId(byte[]? KeyId, bool HasIssuer, bool HasSerial);

internal sealed partial class ParsedCertificate
{
    public const string PolicyConstraints = "2.5.29.36";
    public const string AuthorityInfoAccess = "1.3.6.1.5.5.7.1.1";

    /// <summary>Extensions this validator processes; an unknown critical one makes the certificate unusable.</summary>
    private static readonly HashSet<string> Understood =
    [
        Oids.BasicConstraints, Oids.KeyUsage, Oids.ExtendedKeyUsage, Oids.SubjectAltName, Oids.NameConstraints,
        Oids.SubjectKeyIdentifier, Oids.AuthorityKeyIdentifier, PolicyConstraints, AuthorityInfoAccess,
        "2.5.29.32", // certificatePolicies: no policy is required, so any is acceptable
        "2.5.29.54", // inhibitAnyPolicy: likewise
    ];

    private void DecodeExtensions()
    {
        foreach (var e in Extensions)
        {
            try
            {
                Decode(e);
            }
            catch (AsnContentException ex)
            {
                Defect(FailureReason.Malformed, "Defect_MalformedExtension", null, Oids.Name(e.Oid), ex.Message);
            }
            if (e.Critical && !Understood.Contains(e.Oid))
                Defect(FailureReason.Malformed, "Defect_UnknownCriticalExtension", null, e.Oid);
        }
        if (BasicConstraints is { IsCa: true } && KeyUsage is { } ku && !ku.HasFlag(KeyUsageBits.KeyCertSign))
            Defect(FailureReason.NotACa, "Defect_CaWithoutKeyCertSign");
        if (BasicConstraints is not { IsCa: true } && KeyUsage is { } ku2 && ku2.HasFlag(KeyUsageBits.KeyCertSign))
            Defect(FailureReason.NotACa, "Defect_KeyCertSignWithoutCa");
        if (NameConstraints is not null && !IsCa)
            Defect(FailureReason.NameConstraintsViolated, "Defect_NameConstraintsInLeaf", LapseKind.NameConstraintsInLeaf);
        if (SubjectAltNames is not null && Extension(Oids.SubjectAltName) is { } san && san.Critical != Subject.IsEmpty)
            Defect(FailureReason.Malformed, san.Critical
                ? "Defect_CriticalSanWithSubject"
                : "Defect_EmptySubjectNonCriticalSan", LapseKind.SubjectAltNameCriticality);
        foreach (var name in SubjectAltNames ?? [])
        {
            // Names' syntax, the one `mtls ca sign` applies: what the CA issues, this accepts.
            // Names' problems are English clauses ("is longer than ..."), shared with `mtls ca sign`'s --san errors.
            var problem = name.Kind switch
            {
                GeneralNameKind.Dns => DnsName.Problem(name.Text, allowWildcard: true),
                GeneralNameKind.Email => EmailAddress.Problem(name.Text),
                _ => null,
            };
            if (name.Kind == GeneralNameKind.Ip && name.Bytes.Length is not (4 or 16))
                Defect(FailureReason.Malformed, "Defect_SanIpLength", null, name.ToString(), name.Bytes.Length);
            else if (problem is not null) Defect(FailureReason.Malformed, "Defect_SanMalformed", null, name.ToString(), problem);
            else if (name.Kind == GeneralNameKind.Dns && DnsName.HasUnderscore(name.Text))
                Defect(FailureReason.Malformed, "Defect_SanUnderscore", LapseKind.UnderscoreInDnsName, name.ToString());
        }
        if (Subject.IsEmpty && SubjectAltNames is null)
            Defect(FailureReason.Malformed, "Defect_EmptySubjectNoSan");
    }

    private void Decode(CertExtension e)
    {
        var reader = new AsnReader(e.Value, AsnEncodingRules.DER);
        switch (e.Oid)
        {
            case Oids.BasicConstraints:
            {
                var seq = reader.ReadSequence();
                var ca = false;
                int? pathLen = null;
                if (seq.HasData && seq.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean))
                {
                    ca = seq.ReadBoolean();
                    if (!ca) throw new AsnContentException("cA FALSE encoded explicitly");
                }
                if (seq.HasData)
                {
                    if (!seq.TryReadInt32(out var n) || n < 0) throw new AsnContentException("bad pathLenConstraint");
                    pathLen = n;
                }
                seq.ThrowIfNotEmpty();
                BasicConstraints = new BasicConstraints(ca, pathLen, e.Critical);
                if (!ca && pathLen is not null)
                    Defect(FailureReason.Malformed, "Defect_PathLenWithoutCa");
                break;
            }
            case Oids.KeyUsage:
            {
                var bits = reader.ReadBitString(out var unused);
                var value = 0;
                for (var i = 0; i < bits.Length * 8 - unused && i < 9; i++)
                    if ((bits[i / 8] & (0x80 >> (i % 8))) != 0) value |= 1 << i;
                KeyUsage = (KeyUsageBits)value;
                break;
            }
            case Oids.ExtendedKeyUsage:
            {
                var seq = reader.ReadSequence();
                var list = new List<string>();
                while (seq.HasData) list.Add(seq.ReadObjectIdentifier());
                if (list.Count == 0) throw new AsnContentException("no usages listed");
                ExtendedKeyUsage = list;
                break;
            }
            case Oids.SubjectAltName:
                SubjectAltNames = GeneralName.ReadSequence(reader);
                break;
            case Oids.NameConstraints:
                NameConstraints = NameConstraints.Read(reader);
                // RFC 5280 4.2.1.10 wants it critical; openssl and Go apply it either way, and so do we (a lapse).
                if (!e.Critical) Defect(FailureReason.NameConstraintsViolated, "Defect_NameConstraintsNotCritical", LapseKind.NonCriticalNameConstraints);
                break;
            case Oids.SubjectKeyIdentifier:
                SubjectKeyId = reader.ReadOctetString();
                if (e.Critical) Defect(FailureReason.Malformed, "Defect_SubjectKeyIdCritical");
                break;
            case Oids.AuthorityKeyIdentifier:
            {
                var seq = reader.ReadSequence();
                byte[]? keyId = null;
                bool hasIssuer = false, hasSerial = false;
                if (seq.HasData && seq.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
                    keyId = seq.ReadOctetString(new Asn1Tag(TagClass.ContextSpecific, 0));
                if (seq.HasData && seq.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 1, true)))
                {
                    GeneralName.ReadSequence(seq, new Asn1Tag(TagClass.ContextSpecific, 1, true));
                    hasIssuer = true;
                }
                if (seq.HasData)
                {
                    seq.ReadIntegerBytes(new Asn1Tag(TagClass.ContextSpecific, 2));
                    hasSerial = true;
                }
                seq.ThrowIfNotEmpty();
                AuthorityKeyId = new AuthorityKeyId(keyId, hasIssuer, hasSerial);
                if (e.Critical) Defect(FailureReason.Malformed, "Defect_AuthorityKeyIdCritical");
                break;
            }
            case AuthorityInfoAccess:
            {
                var seq = reader.ReadSequence();
                var count = 0;
                while (seq.HasData)
                {
                    var ad = seq.ReadSequence();
                    ad.ReadObjectIdentifier();
                    GeneralName.Read(ad);
                    ad.ThrowIfNotEmpty();
                    count++;
                }
                if (count == 0) throw new AsnContentException("no access descriptions");
                if (e.Critical) Defect(FailureReason.Malformed, "Defect_AuthorityInfoAccessCritical");
                break;
            }
            case PolicyConstraints:
            {
                var seq = reader.ReadSequence();
                if (seq.HasData && seq.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
                    seq.ReadIntegerBytes(new Asn1Tag(TagClass.ContextSpecific, 0));
                if (seq.HasData) seq.ReadIntegerBytes(new Asn1Tag(TagClass.ContextSpecific, 1));
                seq.ThrowIfNotEmpty();
                if (!e.Critical) Defect(FailureReason.Malformed, "Defect_PolicyConstraintsNotCritical", LapseKind.NonCriticalPolicyConstraints);
                break;
            }
            default:
                return;
        }
        reader.ThrowIfNotEmpty();
    }
}
