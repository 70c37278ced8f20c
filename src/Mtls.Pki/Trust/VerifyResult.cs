using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Text;

namespace Mtls.Pki.Trust;

/// <summary>The outcome of path validation: the chain built (leaf first, anchor last) or the failure.</summary>
public sealed record VerifyResult(IReadOnlyList<X509Certificate2> Chain, VerifyFailure? Failure)
{
    public bool IsValid => Failure is null;

    /// <summary>The CA lapses on the accepted chain (<see cref="LapseKind"/>), accepted as openssl and Go accept them; empty under Strict.</summary>
    public IReadOnlyList<VerifyLapse> Lapses { get; init; } = [];

    internal static VerifyResult Fail(FailureReason reason, int depth, string subject, Phrase text) =>
        new([], new VerifyFailure(reason, depth, subject, text));
}
