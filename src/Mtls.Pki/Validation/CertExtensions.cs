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
                Defect(FailureReason.Malformed, $"its {Oids.Name(e.Oid)} extension is malformed ({ex.Message})");
            }
            if (e.Critical && !Understood.Contains(e.Oid))
                Defect(FailureReason.Malformed, $"has an unknown critical extension {e.Oid} (RFC 5280 4.2: it must be rejected)");
        }
        if (BasicConstraints is { IsCa: true } && KeyUsage is { } ku && !ku.HasFlag(KeyUsageBits.KeyCertSign))
            Defect(FailureReason.NotACa, "is a CA (basicConstraints cA) but its keyUsage lacks keyCertSign (RFC 5280 4.2.1.3)");
        if (BasicConstraints is not { IsCa: true } && KeyUsage is { } ku2 && ku2.HasFlag(KeyUsageBits.KeyCertSign))
            Defect(FailureReason.NotACa, "has keyUsage keyCertSign but is not a CA (basicConstraints cA is not set; RFC 5280 4.2.1.9)");
        if (NameConstraints is not null && !IsCa)
            Defect(FailureReason.NameConstraintsViolated, "has nameConstraints but is not a CA (RFC 5280 4.2.1.10)", LapseKind.NameConstraintsInLeaf);
        if (SubjectAltNames is not null && Extension(Oids.SubjectAltName) is { } san && san.Critical != Subject.IsEmpty)
            Defect(FailureReason.Malformed, san.Critical
                ? "has a critical subjectAltName with a non-empty subject (RFC 5280 4.2.1.6)"
                : "has an empty subject and a non-critical subjectAltName (RFC 5280 4.2.1.6)", LapseKind.SubjectAltNameCriticality);
        foreach (var name in SubjectAltNames ?? [])
        {
            // Names' syntax, the one `mtls ca sign` applies: what the CA issues, this accepts.
            var problem = name.Kind switch
            {
                GeneralNameKind.Dns => DnsName.Problem(name.Text, allowWildcard: true),
                GeneralNameKind.Ip => name.Bytes.Length is 4 or 16 ? null : $"is {name.Bytes.Length} bytes, not 4 or 16",
                GeneralNameKind.Email => EmailAddress.Problem(name.Text),
                _ => null,
            };
            if (problem is not null) Defect(FailureReason.Malformed, $"its subjectAltName {name} is malformed: it {problem} (RFC 5280 4.2.1.6)");
            else if (name.Kind == GeneralNameKind.Dns && DnsName.HasUnderscore(name.Text))
                Defect(FailureReason.Malformed, $"its subjectAltName {name} holds '_', which RFC 5280's DNS name syntax has not", LapseKind.UnderscoreInDnsName);
        }
        if (Subject.IsEmpty && SubjectAltNames is null)
            Defect(FailureReason.Malformed, "has an empty subject and no subjectAltName (RFC 5280 4.1.2.6)");
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
                    Defect(FailureReason.Malformed, "has a pathLenConstraint without cA (RFC 5280 4.2.1.9)");
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
                if (!e.Critical) Defect(FailureReason.NameConstraintsViolated, "has a non-critical nameConstraints extension (RFC 5280 4.2.1.10: it must be critical)", LapseKind.NonCriticalNameConstraints);
                break;
            case Oids.SubjectKeyIdentifier:
                SubjectKeyId = reader.ReadOctetString();
                if (e.Critical) Defect(FailureReason.Malformed, "has a critical subjectKeyIdentifier (RFC 5280 4.2.1.2)");
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
                if (e.Critical) Defect(FailureReason.Malformed, "has a critical authorityKeyIdentifier (RFC 5280 4.2.1.1)");
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
                if (e.Critical) Defect(FailureReason.Malformed, "has a critical authorityInfoAccess (RFC 5280 4.2.2.1)");
                break;
            }
            case PolicyConstraints:
            {
                var seq = reader.ReadSequence();
                if (seq.HasData && seq.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
                    seq.ReadIntegerBytes(new Asn1Tag(TagClass.ContextSpecific, 0));
                if (seq.HasData) seq.ReadIntegerBytes(new Asn1Tag(TagClass.ContextSpecific, 1));
                seq.ThrowIfNotEmpty();
                if (!e.Critical) Defect(FailureReason.Malformed, "has a non-critical policyConstraints (RFC 5280 4.2.1.11)", LapseKind.NonCriticalPolicyConstraints);
                break;
            }
            default:
                return;
        }
        reader.ThrowIfNotEmpty();
    }
}
