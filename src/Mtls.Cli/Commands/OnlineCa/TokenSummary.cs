namespace Mtls.Cli.Commands.OnlineCa;

/// <summary>`mtls ca token --json` (one object; with --count, an array of them). Cn is null when the token binds names only.</summary>
internal sealed record TokenSummary(
    string Token,
    IReadOnlyList<string> Names,
    string? Cn,
    string Profile,
    string ExpiresAt,
    string Inventory);
