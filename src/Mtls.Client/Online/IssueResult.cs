using Mtls.Pki.Online;

namespace Mtls.Client.Online;

/// <summary>
/// What the CA answered to an enrollment or a renewal: the certificate (<see cref="Issued"/>), a refusal
/// (<see cref="Problem"/>, RFC 9457), or no answer at all (<see cref="Unreachable"/>: why, in one line).
/// </summary>
public sealed record IssueResult(IssuedAnswer? Issued, Problem? Problem, string? Unreachable);
