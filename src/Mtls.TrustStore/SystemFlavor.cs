namespace Mtls.TrustStore;

/// <summary>
/// How one Linux family keeps its trust anchors: the folder an administrator's CA files go in, their
/// extension, the command that rebuilds the bundle after an install and after an uninstall, and the bundle.
/// </summary>
public sealed record SystemFlavor(string Family, string AnchorFolder, string Extension, string[] Refresh, string[] RefreshAfterRemoval, string Bundle)
{
    /// <summary>
    /// Debian and Ubuntu. Plain update-ca-certificates after a removal leaves the /etc/ssl/certs links
    /// dangling (it only prunes orphans when something was added: see the script's "Remove orphan
    /// symlinks"), so a removal rebuilds with --fresh.
    /// </summary>
    public static readonly SystemFlavor Debian = new("debian", "/usr/local/share/ca-certificates", ".crt",
        ["update-ca-certificates"], ["update-ca-certificates", "--fresh"], "/etc/ssl/certs/ca-certificates.crt");

    /// <summary>Fedora, RHEL, CentOS: p11-kit's anchors folder, extracted by update-ca-trust.</summary>
    public static readonly SystemFlavor Fedora = new("fedora", "/etc/pki/ca-trust/source/anchors", ".pem",
        ["update-ca-trust", "extract"], ["update-ca-trust", "extract"], "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem");

    /// <summary>Arch: p11-kit's `trust` tool; the anchors folder is what `trust anchor --store` writes to.</summary>
    public static readonly SystemFlavor Arch = new("arch", "/etc/ca-certificates/trust-source/anchors", ".crt",
        ["trust", "extract-compat"], ["trust", "extract-compat"], "/etc/ssl/certs/ca-certificates.crt");

    /// <summary>This machine's family, found by its tools and folders (mkcert's order), or null.</summary>
    public static SystemFlavor? Detect()
    {
        if (Directory.Exists(Fedora.AnchorFolder) && ExternalTool.Find("update-ca-trust") is not null) return Fedora;
        if (Directory.Exists(Debian.AnchorFolder) && ExternalTool.Find("update-ca-certificates") is not null) return Debian;
        if (Directory.Exists(Arch.AnchorFolder) && ExternalTool.Find("trust") is not null) return Arch;
        return null;
    }
}
