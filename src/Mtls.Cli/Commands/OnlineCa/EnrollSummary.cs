namespace Mtls.Cli.Commands.OnlineCa;

/// <summary>`mtls enroll --json` and `mtls cert renew --ca-url --json`: what was written and what it holds.</summary>
internal sealed record EnrollSummary(
    string Outcome,
    string? Certificate,
    string? Key,
    string? Serial,
    string? NotAfter,
    string? RenewAfter = null);
