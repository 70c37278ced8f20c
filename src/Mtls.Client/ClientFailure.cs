namespace Mtls.Client;

/// <summary>A failure: one line of facts in the current UI culture (made when it happened), and what would fix it.</summary>
public sealed record ClientFailure(ClientFailureKind Kind, string Message)
{
    public ClientRemedy Remedy { get; init; }
}
