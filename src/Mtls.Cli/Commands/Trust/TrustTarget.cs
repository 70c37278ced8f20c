using Mtls.TrustStore;

namespace Mtls.Cli.Commands.Trust;

/// <summary>
/// What install or uninstall acts on: a client identity and the NSS databases (<see cref="Identity"/> set),
/// or a CA and the stores asked for (<see cref="Ca"/> set). <see cref="Source"/> is how it was named on the
/// command line (the CA file; --cert FILE; --client FILE.p12 [--password-file F]). Every store in it has
/// been found and checked changeable.
/// </summary>
internal sealed record TrustTarget(IReadOnlyList<string> Source, ClientIdentity? Identity, IReadOnlyList<NssStore> Nss, TrustedCa? Ca, IReadOnlyList<ITrustStore> Stores)
{
    /// <summary>The command that undoes this change, to copy as printed (a word with spaces quoted).</summary>
    public string Undo => "mtls trust uninstall " + string.Join(' ', Source.Select(w => w.Any(char.IsWhiteSpace) ? $"'{w}'" : w));
}
