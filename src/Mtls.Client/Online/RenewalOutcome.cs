using Mtls.Pki.Online;

namespace Mtls.Client.Online;

public enum RenewalOutcomeKind { Renewed, NotDueYet, Refused, Unreachable }

/// <summary>
/// What one renewal attempt came to (<see cref="CertificateRenewal.RenewOnceAsync"/>): renewed (the new
/// certificate written; <see cref="NotAfter"/> its expiry), not due yet (<see cref="DueAt"/>), refused by
/// the CA (<see cref="Problem"/>), or the CA unreachable (<see cref="Reason"/>). A daemon retries
/// Unreachable with backoff, waits for NotDueYet, and stops or alerts on Refused.
/// </summary>
public sealed record RenewalOutcome(RenewalOutcomeKind Kind, string? Reason = null, Problem? Problem = null,
    string? Serial = null, DateTimeOffset? NotAfter = null, DateTimeOffset? DueAt = null)
{
    public static RenewalOutcome Refused(Problem problem) => new(RenewalOutcomeKind.Refused, problem.Detail, problem);
}
