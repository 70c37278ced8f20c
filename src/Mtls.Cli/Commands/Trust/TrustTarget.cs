using Mtls.TrustStore;

namespace Mtls.Cli.Commands.Trust;

/// <summary>
/// What install or uninstall acts on: a client identity and the NSS databases (<see cref="Identity"/> set,
/// from <see cref="Flag"/> --client or --cert), or a CA and the stores asked for (<see cref="Ca"/> set).
/// Every store in it has been found and checked changeable.
/// </summary>
internal sealed record TrustTarget(string Path, string? Flag, ClientIdentity? Identity, IReadOnlyList<NssStore> Nss, TrustedCa? Ca, IReadOnlyList<ITrustStore> Stores)
{
    /// <summary>The command that undoes this change, for the user to copy (the path quoted when it has spaces).</summary>
    public string Undo => "mtls trust uninstall " + (Flag is null ? "" : Flag + " ") + (Path.Any(char.IsWhiteSpace) ? $"'{Path}'" : Path);
}
