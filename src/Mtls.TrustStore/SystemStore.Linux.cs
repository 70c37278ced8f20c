using System.Security.Cryptography.X509Certificates;
using Mtls.Pki;
using Mtls.Pki.IO;
using Mtls.Pki.Text;
using Mtls.TrustStore.Resources;

namespace Mtls.TrustStore;

/// <summary>
/// The operating system's store (curl, openssl, Go, .NET, Python read it): a PEM file in the family's
/// anchors folder, then the family's command to rebuild the bundle. Needs root.
/// </summary>
public sealed class SystemStore(SystemFlavor flavor) : ITrustStore
{
    public string Name => "system";

    public string Location => flavor.AnchorFolder;

    public SystemFlavor Flavor => flavor;

    public bool CanChange => Privileges.IsRoot;

    private string FileFor(TrustedCa ca) => Path.Combine(flavor.AnchorFolder, ca.FileStem + flavor.Extension);

    public void Install(TrustedCa ca, Action<TrustChange> report)
    {
        var file = FileFor(ca);
        if (File.Exists(file) && InBundle(ca))
        {
            report(new TrustChange(Name, Location, TrustChangeKind.AlreadyPresent, file));
            return;
        }
        RequireRoot();
        SecureFile.Write(file, System.Text.Encoding.ASCII.GetBytes(ca.Pem), isPrivate: false, force: true);
        report(new TrustChange(Name, Location, TrustChangeKind.Added, file));
        Refresh(flavor.Refresh, report);
    }

    public void Uninstall(TrustedCa ca, Action<TrustChange> report)
    {
        var file = FileFor(ca);
        if (!File.Exists(file))
        {
            report(new TrustChange(Name, Location, TrustChangeKind.NotPresent, file));
            return;
        }
        RequireRoot();
        File.Delete(file);
        report(new TrustChange(Name, Location, TrustChangeKind.Removed, file));
        Refresh(flavor.RefreshAfterRemoval, report);
        // Debian's ca-certificates-java hook copied the CA into Java's cacerts as "debian:<file>.pem" and
        // its --fresh run does not take it out again: remove what the system install put there.
        if (flavor == SystemFlavor.Debian && JavaStore.Detect() is { } java)
            java.RemoveAlias($"debian:{ca.FileStem}.pem", report);
    }

    /// <summary>Our file is in the anchors folder and the rebuilt bundle holds the certificate.</summary>
    public bool Contains(TrustedCa ca) => File.Exists(FileFor(ca)) && InBundle(ca);

    public IReadOnlyList<TrustEntry> List() =>
        !Directory.Exists(flavor.AnchorFolder) ? [] :
        [.. Directory.EnumerateFiles(flavor.AnchorFolder, TrustNames.FilePrefix + "*" + flavor.Extension).Order(StringComparer.Ordinal)
            .Select(f => new TrustEntry(Name, Location, Path.GetFileName(f), IsClientIdentity: false))];

    private bool InBundle(TrustedCa ca)
    {
        if (!File.Exists(flavor.Bundle)) return false;
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPemFile(flavor.Bundle);
        return bundle.Any(c => c.RawDataMemory.Span.SequenceEqual(ca.Certificate.RawDataMemory.Span));
    }

    private void Refresh(string[] command, Action<TrustChange> report)
    {
        ExternalTool.RunOrFail(command[0], command[1..]);
        report(new TrustChange(Name, Location, TrustChangeKind.Refreshed, string.Join(' ', command)));
    }

    private void RequireRoot()
    {
        if (!Privileges.IsRoot)
            throw MtlsException.Refused(Language.Format(TrustStoreText.System_NeedsRoot, flavor.AnchorFolder, string.Join(' ', flavor.Refresh)));
    }
}
