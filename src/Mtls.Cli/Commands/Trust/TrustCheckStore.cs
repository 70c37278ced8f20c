namespace Mtls.Cli.Commands.Trust;

/// <summary>One store's answer in `mtls trust check`.</summary>
internal sealed record TrustCheckStore(string Store, string Location, bool Trusted);
