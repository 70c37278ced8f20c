using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Certificates;
using Mtls.Pki.Names;

namespace Mtls.Pki.Trust;

/// <summary>
/// The one trust decision of the project: does a certificate chain to one of the given anchors (and
/// nothing else: never the machine's trust store), within its validity, for the given purpose and host?
/// Used by `mtls verify`, by `mtls serve` for client certificates and by `mtls get` for servers.
/// Built once per set of anchors; <see cref="Verify"/> is thread-safe.
/// </summary>
public sealed class ChainVerifier
{
    private readonly X509Certificate2Collection _anchors;

    public ChainVerifier(IEnumerable<X509Certificate2> anchors)
    {
        _anchors = new X509Certificate2Collection(anchors.ToArray());
        if (_anchors.Count == 0)
            throw new ArgumentException("at least one trust anchor is needed", nameof(anchors));
        Anchors = _anchors.Cast<X509Certificate2>().ToList();
    }

    public IReadOnlyList<X509Certificate2> Anchors { get; }

    public VerifyResult Verify(X509Certificate2 leaf, IReadOnlyList<X509Certificate2>? untrusted = null, VerifyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        options ??= new VerifyOptions();
        var at = options.At ?? DateTimeOffset.UtcNow;

        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(_anchors);
        if (untrusted is not null)
            foreach (var c in untrusted) policy.ExtraStore.Add(c);
        // Revocation is checked by our own code against the CRLs we are given: the platform cannot
        // check a local CRL offline on Linux, and must never fetch anything.
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = at.UtcDateTime;
        policy.VerificationTimeIgnored = false;
        if (options.Purpose != Purpose.Any)
            policy.ApplicationPolicy.Add(new Oid(options.Purpose == Purpose.Server ? Oids.ServerAuth : Oids.ClientAuth));

        var ok = chain.Build(leaf);
        var elements = chain.ChainElements.Select(e => e.Certificate).ToList();
        if (!ok)
            return new VerifyResult(elements, Explain(chain, leaf, at, options));
        if (elements.Count > options.MaxDepth)
            return new VerifyResult(elements, new VerifyFailure(FailureReason.ChainTooDeep, elements.Count - 1, Subject(elements[^1]),
                $"the chain has {elements.Count} certificates, more than the limit of {options.MaxDepth}"));
        if (options.Host is { } host && !MatchesHost(leaf, host))
            return new VerifyResult(elements, new VerifyFailure(FailureReason.HostMismatch, 0, Subject(leaf),
                $"the certificate is not for '{host}'; it names {NamesOf(leaf)}"));
        return new VerifyResult(elements, null);
    }

    private VerifyFailure Explain(X509Chain chain, X509Certificate2 leaf, DateTimeOffset at, VerifyOptions options)
    {
        var elements = chain.ChainElements;
        for (var depth = 0; depth < elements.Count; depth++)
        {
            var element = elements[depth];
            var cert = element.Certificate;
            var flags = element.ChainElementStatus.Aggregate(X509ChainStatusFlags.NoError, (f, s) => f | s.Status);
            if (flags == X509ChainStatusFlags.NoError) continue;
            var subject = Subject(cert);
            if (flags.HasFlag(X509ChainStatusFlags.NotSignatureValid))
                return new(FailureReason.BadSignature, depth, subject, $"{subject}: its signature does not verify with its issuer's key");
            if (flags.HasFlag(X509ChainStatusFlags.NotTimeValid))
                return at < cert.NotBefore.ToUniversalTime()
                    ? new(FailureReason.NotYetValid, depth, subject, $"{subject}: not valid until {Time(cert.NotBefore)}")
                    : new(FailureReason.Expired, depth, subject, $"{subject}: expired on {Time(cert.NotAfter)}");
            if (flags.HasFlag(X509ChainStatusFlags.InvalidBasicConstraints))
                return new(FailureReason.NotACa, depth, subject, $"{subject}: is used as a CA but its basicConstraints do not allow it (or its path length is exceeded)");
            if (flags.HasFlag(X509ChainStatusFlags.NotValidForUsage) || flags.HasFlag(X509ChainStatusFlags.CtlNotValidForUsage))
                return new(FailureReason.WrongUsage, depth, subject,
                    $"{subject}: its extendedKeyUsage ({EkuOf(cert)}) does not allow {(options.Purpose == Purpose.Client ? "clientAuth (TLS client)" : "serverAuth (TLS server)")}");
            if ((flags & (X509ChainStatusFlags.HasNotPermittedNameConstraint | X509ChainStatusFlags.HasExcludedNameConstraint
                          | X509ChainStatusFlags.HasNotSupportedNameConstraint | X509ChainStatusFlags.HasNotDefinedNameConstraint
                          | X509ChainStatusFlags.InvalidNameConstraints)) != 0)
                return new(FailureReason.NameConstraintsViolated, depth, subject, $"{subject}: violates its issuer's name constraints");
            if (flags.HasFlag(X509ChainStatusFlags.Revoked))
                return new(FailureReason.Revoked, depth, subject, $"{subject}: is revoked");
            if ((flags & (X509ChainStatusFlags.PartialChain | X509ChainStatusFlags.UntrustedRoot)) != 0)
                return UnknownIssuer(cert, depth);
        }
        var last = elements.Count > 0 ? elements[^1].Certificate : leaf;
        return UnknownIssuer(last, elements.Count - 1);
    }

    private VerifyFailure UnknownIssuer(X509Certificate2 cert, int depth)
    {
        var subject = Subject(cert);
        var issuer = DistinguishedName.Format(cert.IssuerName);
        var sameName = Anchors.FirstOrDefault(a => a.SubjectName.RawData.AsSpan().SequenceEqual(cert.IssuerName.RawData));
        var message = sameName is not null
            ? $"{subject}: issued by a CA named {issuer}, but not signed by the trusted CA of that name (a different key)"
            : $"{subject}: issued by {issuer}, which is not a trusted CA (trusted: {string.Join("; ", Anchors.Select(Subject))})";
        return new(FailureReason.UnknownIssuer, depth, subject, message);
    }

    /// <summary>RFC 6125 host matching on the SANs (IP addresses against IP SANs only).</summary>
    public static bool MatchesHost(X509Certificate2 cert, string host) =>
        cert.MatchesHostname(host.Trim('[', ']'), allowWildcards: true, allowCommonName: false);

    public static string NamesOf(X509Certificate2 cert)
    {
        var san = cert.Extensions.FirstOrDefault(e => e.Oid?.Value == Oids.SubjectAltName);
        if (san is null) return $"no subjectAltName (only CN={DistinguishedName.CommonName(cert.SubjectName)})";
        try { return SubjectAlternativeName.FormatList(SubjectAlternativeName.Decode(san.RawData, out _)); }
        catch (System.Formats.Asn1.AsnContentException) { return "a malformed subjectAltName"; }
    }

    private static string EkuOf(X509Certificate2 cert)
    {
        var eku = cert.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        return eku is null ? "none" : string.Join(", ", eku.EnhancedKeyUsages.Cast<Oid>().Select(o => Oids.Name(o.Value)));
    }

    public static string Subject(X509Certificate2 cert) => DistinguishedName.Format(cert.SubjectName);

    private static string Time(DateTime t) => t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
}
