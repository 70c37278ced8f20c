namespace Mtls.Cli.Commands.OnlineCa;

/// <summary>`mtls ca token --json`.</summary>
internal sealed record TokenSummary(
    string Token,
    IReadOnlyList<string> Names,
    string Profile,
    string ExpiresAt,
    string Inventory);
