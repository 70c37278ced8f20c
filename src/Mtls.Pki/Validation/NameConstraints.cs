using System.Formats.Asn1;
using System.Numerics;
using Mtls.Pki.Names;

namespace Mtls.Pki.Validation;

/// <summary>
/// A nameConstraints extension (RFC 5280 4.2.1.10): permitted and excluded subtrees, checked against the
/// subject and subjectAltNames of every certificate below the CA that carries it.
/// </summary>
internal sealed class NameConstraints
{
    public required IReadOnlyList<GeneralName> Permitted { get; init; }
    public required IReadOnlyList<GeneralName> Excluded { get; init; }
    /// <summary>A subtree this validator cannot evaluate or that is malformed, or null.</summary>
    public Text.Phrase? Invalid { get; init; }

    public static NameConstraints Read(AsnReader reader)
    {
        var seq = reader.ReadSequence();
        IReadOnlyList<GeneralName> permitted = [], excluded = [];
        var any = false;
        if (seq.HasData && seq.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
        {
            permitted = Subtrees(seq.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)));
            any = true;
        }
        if (seq.HasData)
        {
            excluded = Subtrees(seq.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 1, true)));
            any = true;
        }
        seq.ThrowIfNotEmpty();
        if (!any) throw new AsnContentException("neither permitted nor excluded subtrees");
        return new NameConstraints
        {
            Permitted = permitted,
            Excluded = excluded,
            Invalid = permitted.Concat(excluded).Select(Problem).FirstOrDefault(p => p is not null),
        };
    }

    private static List<GeneralName> Subtrees(AsnReader subtrees)
    {
        var list = new List<GeneralName>();
        while (subtrees.HasData)
        {
            var subtree = subtrees.ReadSequence();
            list.Add(GeneralName.Read(subtree));
            // minimum must be 0 (absent in DER) and maximum absent (RFC 5280 4.2.1.10).
            if (subtree.HasData) throw new AsnContentException("minimum or maximum in a GeneralSubtree");
        }
        if (list.Count == 0) throw new AsnContentException("empty GeneralSubtrees");
        return list;
    }

    private static Text.Phrase? Problem(GeneralName base_) => base_.Kind switch
    {
        GeneralNameKind.Dns when !DnsName.IsValid(base_.Text) => Text.Phrase.Pki("Constraint_BadDns", base_.Text),
        GeneralNameKind.Ip when base_.Bytes.Length is not (8 or 32) || MaskLength(base_.Bytes[(base_.Bytes.Length / 2)..]) is null
            => Text.Phrase.Pki("Constraint_BadIp", Convert.ToHexString(base_.Bytes)),
        GeneralNameKind.Email when !EmailAddress.IsValidConstraint(base_.Text) => Text.Phrase.Pki("Constraint_BadEmail", base_.Text),
        _ => null,
    };

    /// <summary>The prefix length of a contiguous network mask, or null.</summary>
    public static int? MaskLength(byte[] mask)
    {
        var bits = new BigInteger(mask, isUnsigned: true, isBigEndian: true);
        var total = mask.Length * 8;
        for (var n = 0; n <= total; n++)
        {
            var expected = ((BigInteger.One << n) - 1) << (total - n);
            if (bits == expected) return n;
        }
        return null;
    }

    /// <summary>Most name-against-subtree comparisons for one certificate and one CA: beyond that the work is quadratic (a DoS), so refused.</summary>
    public const int MaxComparisons = 1 << 18;

    /// <summary>The first name of <paramref name="names"/> these constraints forbid, with the constraint; null when all pass.</summary>
    public (GeneralName Name, Text.Phrase Rule)? FirstViolation(IReadOnlyList<GeneralName> names)
    {
        var comparisons = (long)names.Count * (Permitted.Count + Excluded.Count);
        if (comparisons > MaxComparisons)
            return (names[0], Text.Phrase.Pki("Constraint_TooMuchWork", names.Count, Permitted.Count + Excluded.Count, MaxComparisons));
        foreach (var name in names)
        {
            foreach (var excluded in Excluded)
                if (excluded.Kind == name.Kind && Matches(excluded, name, forExclusion: true))
                    return (name, Text.Phrase.Pki("Constraint_Excluded", excluded.ToString()));
            var sameKind = Permitted.Where(p => p.Kind == name.Kind).ToList();
            if (sameKind.Count > 0 && !sameKind.Any(p => Matches(p, name, forExclusion: false)))
                return (name, Text.Phrase.Pki("Constraint_Permitted", string.Join(", ", sameKind)));
        }
        return null;
    }

    private static bool Matches(GeneralName constraint, GeneralName name, bool forExclusion) => name.Kind switch
    {
        GeneralNameKind.Dns => MatchesDns(constraint.Text, name.Text, forExclusion),
        GeneralNameKind.Ip => MatchesIp(constraint.Bytes, name.Bytes),
        GeneralNameKind.Email => EmailAddress.Matches(constraint.Text, name.Text),
        GeneralNameKind.Directory => name.Directory!.IsWithin(constraint.Directory!),
        // otherName, URI, x400, ediParty, registeredID: not evaluated, so treated as a match: an
        // exclusion forbids every such name, a permission allows it (never silently ignored).
        _ => true,
    };

    private static bool MatchesDns(string constraint, string name, bool forExclusion)
    {
        if (!name.StartsWith("*.", StringComparison.Ordinal)) return DnsName.IsWithin(name, constraint);
        // A wildcard stands for every name one label below its base: it is permitted only when all of
        // them are, and excluded when any of them is (CVE-2025-61727).
        var wildcardBase = name[2..];
        if (!forExclusion) return DnsName.IsWithin(wildcardBase, constraint);
        if (DnsName.IsWithin(wildcardBase, constraint)) return true;
        var dot = constraint.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && string.Equals(constraint[(dot + 1)..], wildcardBase, StringComparison.OrdinalIgnoreCase);
    }

    private static bool MatchesIp(byte[] constraint, byte[] address)
    {
        var half = constraint.Length / 2;
        if (address.Length != half) return false;
        for (var i = 0; i < half; i++)
            if ((address[i] & constraint[half + i]) != (constraint[i] & constraint[half + i])) return false;
        return true;
    }
}
