using Mtls.Pki.Online;

namespace Mtls.Client.Online;

/// <summary>
/// One step of a renewal daemon, for its one log line: when, what, the certificate's serial and expiry,
/// the next renewal (or retry) time, and for a failure its reason (and the CA's problem, when it answered).
/// </summary>
public sealed record DaemonStep(DaemonStepKind Kind, DateTimeOffset At, string CertificatePath, string? Serial = null,
    DateTimeOffset? NotAfter = null, DateTimeOffset? Next = null, int Attempt = 0, string? Reason = null, Problem? Problem = null);
