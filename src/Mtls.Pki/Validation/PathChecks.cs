using Mtls.Pki.Certificates;
using Mtls.Pki.Text;
using Mtls.Pki.Trust;

namespace Mtls.Pki.Validation;

/// <summary>
/// The per-path rules (RFC 5280 6.1 with the Web PKI's certificate profile): every certificate from the
/// leaf (depth 0) to the anchor (last) is checked in that order, and the first problem is the answer.
/// A rule naming a <see cref="LapseKind"/> goes through the <see cref="LapseLog"/>: refused under Strict,
/// else noted and the checks go on.
/// </summary>
internal static class PathChecks
{
    private static Phrase P(string key, params object?[] facts) => Phrase.Pki(key, facts);

    /// <summary>Rules about one certificate on its own, at its place: anything that fails here fails every path through it.</summary>
    public static VerifyFailure? Local(ParsedCertificate cert, int depth, bool isAnchor, DateTimeOffset at, LapseLog lapses)
    {
        var s = cert.SubjectText;
        foreach (var defect in cert.Defects)
        {
            VerifyFailure failure = new(defect.Reason, depth, s, P("Path_SubjectSays", s, defect.Message));
            if (defect.Lapse is not { } kind || lapses.Judge(kind, failure) is not null) return failure with { Lapse = defect.Lapse };
        }
        if (at < cert.NotBefore) return new(FailureReason.NotYetValid, depth, s, P("Path_NotYetValid", s, Messages.Time(cert.NotBefore), Messages.Time(at)));
        if (at > cert.NotAfter) return new(FailureReason.Expired, depth, s, P("Path_Expired", s, Messages.Time(cert.NotAfter), Messages.Time(at)));
        if (cert.KeyProblem is { } keyProblem) return new(keyProblem.Reason, depth, s, P("Path_SubjectSays", s, keyProblem.Message));
        // RFC 5280 4.1.2.2: issued certificates only; a CA's own certificate is trusted as it is (some roots have serial 0).
        if (!isAnchor && cert.SerialSign < 0)
            return new(FailureReason.Malformed, depth, s, P("Path_NegativeSerial", s, cert.SerialHex));
        if (!isAnchor && (cert.SerialSign == 0 || cert.Serial.Length > 20)
            && lapses.Judge(LapseKind.SerialNumberOutOfProfile, new(FailureReason.Malformed, depth, s,
                P("Path_SerialOutOfProfile", s, cert.SerialHex))) is { } serial)
            return serial;
        // RFC 5280 4.2.1.1: every certificate but a self-signed one names its issuer's key. Exempt: a trust
        // anchor (its name and key are what is trusted) and a v1 certificate (no extensions at all, as
        // `openssl x509 -req` makes). A lapse: path building matches names and signatures without it.
        if (!isAnchor && !cert.IsSelfIssued && cert.Version == 2 && cert.AuthorityKeyId?.KeyId is null
            && lapses.Judge(LapseKind.MissingAuthorityKeyId, new(FailureReason.Malformed, depth, s,
                P("Path_MissingAuthorityKeyId", s))) is { } aki)
            return aki;
        if (depth > 0) return Issuer(cert, depth, isAnchor, lapses);
        return null;
    }

    private static VerifyFailure? Issuer(ParsedCertificate cert, int depth, bool isAnchor, LapseLog lapses)
    {
        var s = cert.SubjectText;
        if (cert.BasicConstraints is not { IsCa: true } bc)
            return new(FailureReason.NotACa, depth, s, P(cert.BasicConstraints is null ? "Path_NotACaNoBasicConstraints" : "Path_NotACaCaFalse", s));
        if (!bc.Critical && lapses.Judge(LapseKind.NonCriticalBasicConstraints, new(FailureReason.NotACa, depth, s,
                P("Path_BasicConstraintsNotCritical", s))) is { } critical)
            return critical;
        if (cert.KeyUsage is { } ku && !ku.HasFlag(KeyUsageBits.KeyCertSign))
            return new(FailureReason.NotACa, depth, s, P("Path_NoKeyCertSign", s));
        if (cert.SubjectKeyId is null && lapses.Judge(LapseKind.MissingSubjectKeyId, new(FailureReason.Malformed, depth, s,
                P("Path_CaWithoutSubjectKeyId", s))) is { } ski)
            return ski;
        if (cert.Subject.IsEmpty)
            return new(FailureReason.Malformed, depth, s, P("Path_CaWithEmptySubject", s));
        if (isAnchor && cert.IsSelfIssued)
        {
            // Its usages still limit the chain (Path applies them as an intermediate's), as openssl and Go do.
            if (cert.ExtendedKeyUsage is not null && lapses.Judge(LapseKind.RootWithExtendedKeyUsage, new(FailureReason.WrongUsage, depth, s,
                    P("Path_RootWithExtendedKeyUsage", s))) is { } eku)
                return eku;
            if (cert.AuthorityKeyId is { } aki)
            {
                // openssl matches these fields against the root itself and refuses a root they do not describe.
                if (aki.HasIssuer || aki.HasSerial || (aki.KeyId is { } id && cert.SubjectKeyId is { } own && !id.AsSpan().SequenceEqual(own)))
                    return new(FailureReason.Malformed, depth, s, P("Path_RootAuthorityKeyIdNotOwn", s));
                if (aki.KeyId is null && lapses.Judge(LapseKind.RootAuthorityKeyIdWithoutKeyId, new(FailureReason.Malformed, depth, s,
                        P("Path_RootAuthorityKeyIdWithoutKeyId", s))) is { } noKeyId)
                    return noKeyId;
            }
        }
        return null;
    }

    /// <summary>The whole path, leaf first, anchor last.</summary>
    public static VerifyFailure? Path(IReadOnlyList<ParsedCertificate> path, DateTimeOffset at, VerifyOptions options, LapseLog lapses)
    {
        for (var depth = 0; depth < path.Count; depth++)
        {
            var cert = path[depth];
            var isAnchor = depth == path.Count - 1;
            if (Local(cert, depth, isAnchor, at, lapses) is { } local) return local;
            if (depth == 0 && Leaf(cert, options, lapses) is { } leaf) return leaf;
            if (depth > 0 && PathLength(path, depth) is { } pathLen) return pathLen;
            // An anchor's extendedKeyUsage limits the chain too (a root's is a lapse; see Issuer).
            if (depth > 0 && Intermediate(cert, depth, options) is { } usage) return usage;
            if (Constraints(path, depth) is { } nc) return nc;
        }
        return null;
    }

    private static VerifyFailure? Leaf(ParsedCertificate cert, VerifyOptions options, LapseLog lapses)
    {
        var s = cert.SubjectText;
        if (options.Purpose != Purpose.Any && cert.ExtendedKeyUsage is { } eku)
        {
            var wanted = Messages.PurposeOid(options.Purpose);
            if (!eku.Contains(wanted))
                return new(FailureReason.WrongUsage, 0, s, P("Path_LeafUsage", s, Messages.Usages(eku), Messages.PurposeText(options.Purpose)));
            if (eku.Contains(Oids.AnyExtendedKeyUsage) && lapses.Judge(LapseKind.LeafAnyExtendedKeyUsage, new(FailureReason.WrongUsage, 0, s,
                    P("Path_LeafAnyExtendedKeyUsage", s))) is { } any)
                return any;
            if (cert.Extension(Oids.ExtendedKeyUsage)!.Critical && lapses.Judge(LapseKind.CriticalLeafExtendedKeyUsage, new(FailureReason.WrongUsage, 0, s,
                    P("Path_LeafExtendedKeyUsageCritical", s))) is { } critical)
                return critical;
        }
        if (options.Host is { } host && !HostNames.Matches(cert, host))
            return new(FailureReason.HostMismatch, 0, s, P("Path_HostMismatch", s, host, HostNames.Listed(cert)));
        return null;
    }

    private static VerifyFailure? Intermediate(ParsedCertificate cert, int depth, VerifyOptions options)
    {
        if (options.Purpose == Purpose.Any || cert.ExtendedKeyUsage is not { } eku) return null;
        if (eku.Contains(Messages.PurposeOid(options.Purpose)) || eku.Contains(Oids.AnyExtendedKeyUsage)) return null;
        var s = cert.SubjectText;
        return new(FailureReason.WrongUsage, depth, s, P("Path_CaUsage", s, Messages.Usages(eku), Messages.PurposeText(options.Purpose)));
    }

    /// <summary>RFC 5280 6.1.4 (l, m): the CA at <paramref name="depth"/> allows so many non-self-issued intermediates below it.</summary>
    private static VerifyFailure? PathLength(IReadOnlyList<ParsedCertificate> path, int depth)
    {
        var ca = path[depth];
        if (ca.BasicConstraints?.PathLength is not { } limit) return null;
        var below = 0;
        for (var i = 1; i < depth; i++)
            if (!path[i].IsSelfIssued) below++;
        if (below <= limit) return null;
        var s = ca.SubjectText;
        return new(FailureReason.PathLengthExceeded, depth, s, P("Path_PathLength", s, limit, below));
    }

    /// <summary>The names of the certificate at <paramref name="depth"/> against every CA above it.</summary>
    private static VerifyFailure? Constraints(IReadOnlyList<ParsedCertificate> path, int depth)
    {
        var cert = path[depth];
        // RFC 5280 6.1.3 (b): a self-issued intermediate is not checked against its issuers' constraints.
        if (depth > 0 && cert.IsSelfIssued) return null;
        List<GeneralName>? names = null;
        for (var j = depth + 1; j < path.Count; j++)
        {
            if (path[j].NameConstraints is not { } nc) continue;
            var ca = path[j].SubjectText;
            var s = cert.SubjectText;
            if (nc.Invalid is { } invalid)
                return new(FailureReason.NameConstraintsViolated, j, ca, P("Path_NameConstraintsUnusable", ca, invalid));
            names ??= NamesOf(cert);
            if (nc.FirstViolation(names) is { } v)
                return new(FailureReason.NameConstraintsViolated, depth, s, P("Path_NameConstraintsViolated", s, v.Name.ToString(), ca, v.Rule));
        }
        return null;
    }

    private static List<GeneralName> NamesOf(ParsedCertificate cert)
    {
        var names = new List<GeneralName>();
        if (!cert.Subject.IsEmpty)
        {
            names.Add(new GeneralName(GeneralNameKind.Directory, "", [], cert.Subject));
            foreach (var email in cert.Subject.Attributes.Where(a => a.Oid == Oids.EmailAddress && a.Text is not null))
                names.Add(new GeneralName(GeneralNameKind.Email, email.Text!, [], null));
        }
        if (cert.SubjectAltNames is { } sans) names.AddRange(sans);
        return names;
    }
}
