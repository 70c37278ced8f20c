using Mtls.Pki.Certificates;
using Mtls.Pki.Trust;

namespace Mtls.Pki.Validation;

/// <summary>
/// The per-path rules (RFC 5280 6.1 with the Web PKI's certificate profile): every certificate from the
/// leaf (depth 0) to the anchor (last) is checked in that order, and the first problem is the answer.
/// </summary>
internal static class PathChecks
{
    /// <summary>Rules about one certificate on its own, at its place: anything that fails here fails every path through it.</summary>
    public static VerifyFailure? Local(ParsedCertificate cert, int depth, bool isAnchor, DateTimeOffset at)
    {
        var s = cert.SubjectText;
        if (cert.Defects.Count > 0) return new(cert.Defects[0].Reason, depth, s, $"{s}: {cert.Defects[0].Message}");
        if (at < cert.NotBefore) return new(FailureReason.NotYetValid, depth, s, $"{s}: not valid until {Messages.Time(cert.NotBefore)} (checked at {Messages.Time(at)})");
        if (at > cert.NotAfter) return new(FailureReason.Expired, depth, s, $"{s}: expired on {Messages.Time(cert.NotAfter)} (checked at {Messages.Time(at)})");
        if (cert.KeyProblem is { } keyProblem) return new(keyProblem.Reason, depth, s, $"{s}: {keyProblem.Message}");
        // RFC 5280 4.2.1.2: issued certificates only; a CA's own certificate is trusted as it is (some roots have serial 0).
        if (!isAnchor && !cert.HasValidSerial)
            return new(FailureReason.Malformed, depth, s, $"{s}: its serial number {cert.SerialHex} is not a positive integer of at most 20 octets (RFC 5280 4.1.2.2)");
        // RFC 5280 4.2.1.1: every certificate but a self-signed one names its issuer's key. Exempt: a trust
        // anchor (its name and key are what is trusted) and a v1 certificate (no extensions at all, as
        // `openssl x509 -req` makes).
        if (!isAnchor && !cert.IsSelfIssued && cert.Version == 2 && cert.AuthorityKeyId?.KeyId is null)
            return new(FailureReason.Malformed, depth, s, $"{s}: has no authorityKeyIdentifier keyIdentifier (RFC 5280 4.2.1.1 requires it)");
        if (depth > 0) return Issuer(cert, depth, isAnchor);
        return null;
    }

    private static VerifyFailure? Issuer(ParsedCertificate cert, int depth, bool isAnchor)
    {
        var s = cert.SubjectText;
        if (cert.BasicConstraints is not { IsCa: true } bc)
            return new(FailureReason.NotACa, depth, s, $"{s}: issued a certificate but is not a CA ({(cert.BasicConstraints is null ? "no basicConstraints" : "basicConstraints cA is false")})");
        if (!bc.Critical)
            return new(FailureReason.NotACa, depth, s, $"{s}: its basicConstraints is not critical (RFC 5280 4.2.1.9 requires it in a CA)");
        if (cert.KeyUsage is { } ku && !ku.HasFlag(KeyUsageBits.KeyCertSign))
            return new(FailureReason.NotACa, depth, s, $"{s}: its keyUsage lacks keyCertSign, so it may not issue certificates");
        if (cert.SubjectKeyId is null)
            return new(FailureReason.Malformed, depth, s, $"{s}: a CA without subjectKeyIdentifier (RFC 5280 4.2.1.2 requires it)");
        if (cert.Subject.IsEmpty)
            return new(FailureReason.Malformed, depth, s, $"{s}: a CA with an empty subject (RFC 5280 4.1.2.6)");
        if (isAnchor && cert.IsSelfIssued)
        {
            if (cert.ExtendedKeyUsage is not null)
                return new(FailureReason.WrongUsage, depth, s, $"{s}: a root CA with extendedKeyUsage (CABF BR 7.1.2.1.2 forbids it)");
            if (cert.AuthorityKeyId is { } aki && (aki.KeyId is null || aki.HasIssuer || aki.HasSerial || !aki.KeyId.AsSpan().SequenceEqual(cert.SubjectKeyId)))
                return new(FailureReason.Malformed, depth, s, $"{s}: a root CA whose authorityKeyIdentifier is not just its own subjectKeyIdentifier (CABF BR 7.1.2.1.3)");
        }
        return null;
    }

    /// <summary>The whole path, leaf first, anchor last.</summary>
    public static VerifyFailure? Path(IReadOnlyList<ParsedCertificate> path, DateTimeOffset at, VerifyOptions options)
    {
        for (var depth = 0; depth < path.Count; depth++)
        {
            var cert = path[depth];
            var isAnchor = depth == path.Count - 1;
            if (Local(cert, depth, isAnchor, at) is { } local) return local;
            if (depth == 0 && Leaf(cert, options) is { } leaf) return leaf;
            if (depth > 0 && PathLength(path, depth) is { } pathLen) return pathLen;
            if (depth > 0 && !isAnchor && Intermediate(cert, depth, options) is { } usage) return usage;
            if (Constraints(path, depth) is { } nc) return nc;
        }
        return null;
    }

    private static VerifyFailure? Leaf(ParsedCertificate cert, VerifyOptions options)
    {
        var s = cert.SubjectText;
        if (options.Purpose != Purpose.Any && cert.ExtendedKeyUsage is { } eku)
        {
            var wanted = Messages.PurposeOid(options.Purpose);
            if (!eku.Contains(wanted))
                return new(FailureReason.WrongUsage, 0, s, $"{s}: its extendedKeyUsage ({Messages.Usages(eku)}) does not allow {Messages.PurposeText(options.Purpose)}");
            if (eku.Contains(Oids.AnyExtendedKeyUsage))
                return new(FailureReason.WrongUsage, 0, s, $"{s}: its extendedKeyUsage includes anyExtendedKeyUsage (CABF BR 7.1.2.7.10 forbids it in a leaf)");
            if (cert.Extension(Oids.ExtendedKeyUsage)!.Critical)
                return new(FailureReason.WrongUsage, 0, s, $"{s}: its extendedKeyUsage is critical (CABF BR 7.1.2.7.10: it must not be)");
        }
        if (options.Host is { } host && !HostNames.Matches(cert, host))
            return new(FailureReason.HostMismatch, 0, s, $"{s}: is not for '{host}'; it names {HostNames.Describe(cert)}");
        return null;
    }

    private static VerifyFailure? Intermediate(ParsedCertificate cert, int depth, VerifyOptions options)
    {
        if (options.Purpose == Purpose.Any || cert.ExtendedKeyUsage is not { } eku) return null;
        if (eku.Contains(Messages.PurposeOid(options.Purpose)) || eku.Contains(Oids.AnyExtendedKeyUsage)) return null;
        var s = cert.SubjectText;
        return new(FailureReason.WrongUsage, depth, s, $"{s}: this CA's extendedKeyUsage ({Messages.Usages(eku)}) does not allow {Messages.PurposeText(options.Purpose)}, so neither may the certificates it issues");
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
        return new(FailureReason.PathLengthExceeded, depth, s, $"{s}: its pathLenConstraint is {limit} but {below} intermediate CA(s) follow it");
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
                return new(FailureReason.NameConstraintsViolated, j, ca, $"{ca}: its nameConstraints cannot be applied: {invalid}");
            names ??= NamesOf(cert);
            if (nc.FirstViolation(names) is { } v)
                return new(FailureReason.NameConstraintsViolated, depth, s, $"{s}: the name {v.Name} violates the name constraints of {ca} ({v.Rule})");
        }
        return null;
    }

    private static List<GeneralName> NamesOf(ParsedCertificate cert)
    {
        var names = new List<GeneralName>();
        if (!cert.Subject.IsEmpty)
        {
            names.Add(new GeneralName(GeneralNameKind.Directory, "", [], cert.Subject));
            foreach (var email in cert.Subject.Attributes.Where(a => a.Oid == "1.2.840.113549.1.9.1" && a.Text is not null))
                names.Add(new GeneralName(GeneralNameKind.Email, email.Text!, [], null));
        }
        if (cert.SubjectAltNames is { } sans) names.AddRange(sans);
        return names;
    }
}
