namespace Mtls.Cli.Commands.Trust;

/// <summary>`mtls trust check --json`: the CA, its names in the stores, and each store's answer.</summary>
internal sealed record TrustCheckJson(string Subject, string Nickname, string File, string JavaAlias, bool Trusted, IReadOnlyList<TrustCheckStore> Stores);
