using Mtls.Pki.Trust;
using Mtls.Pki.Validation;

namespace Mtls.Conformance;

/// <summary>
/// Feeds a limbo case to mtls's path validator, in its default mode (a CA's lapses accepted, as openssl
/// and Go accept them; see Pki's LapseKind) or with <c>strict</c> (lapses refused). Profile: RFC 5280
/// where it conflicts with the Web PKI (the Web PKI side of the three conflicting pairs is skipped); a
/// public suffix list is not carried.
/// </summary>
public sealed class MtlsHarness(bool strict = false) : IConformanceVerifier
{
    public string Name => strict ? "mtls-strict" : "mtls";

    public Verdict Run(LimboCase c)
    {
        if (c.ConflictsWith.Count > 0 && c.Id.StartsWith("webpki::", StringComparison.Ordinal))
            return Verdict.Skip("conflicts with an RFC 5280 case; mtls follows RFC 5280 where the two disagree");
        if (c.Features.Contains("pedantic-public-suffix-wildcard"))
            return Verdict.Skip("mtls carries no public suffix list");
        var validator = new PathValidator(c.Trusted);
        var options = new VerifyOptions
        {
            At = c.ValidationTime,
            Purpose = Purpose(c),
            Host = c.ValidationKind == "SERVER" ? c.ExpectedPeerName?.Value : null,
            // limbo's max_chain_depth counts intermediates, as openssl's -verify_depth and our MaxDepth do.
            MaxDepth = c.MaxChainDepth ?? new VerifyOptions().MaxDepth,
            Crls = c.Crls,
            Strict = strict,
        };
        var result = validator.Verify(c.Peer, c.Untrusted, options);
        return result.IsValid
            ? Verdict.Pass($"chain of {result.Chain.Count}{(result.Lapses.Count > 0 ? $"; lapses: {string.Join(", ", result.Lapses.Select(l => l.Kind))}" : "")}")
            : Verdict.Fail($"{result.Failure!.Reason} at depth {result.Failure.Depth}: {result.Failure.Message}");
    }

    private static Purpose Purpose(LimboCase c)
    {
        if (c.ExtendedKeyUsage.Contains("clientAuth")) return Pki.Trust.Purpose.Client;
        if (c.ExtendedKeyUsage.Contains("serverAuth")) return Pki.Trust.Purpose.Server;
        return c.ValidationKind == "CLIENT" ? Pki.Trust.Purpose.Client : Pki.Trust.Purpose.Server;
    }
}
