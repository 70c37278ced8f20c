namespace Mtls.TrustStore;

/// <summary>The exact command that installs a missing tool on this system (mkcert's manners).</summary>
public static class InstallHint
{
    // tool -> (apt, dnf, pacman) package
    private static readonly Dictionary<string, (string Apt, string Dnf, string Pacman)> Packages = new()
    {
        ["certutil"] = ("libnss3-tools", "nss-tools", "nss"),
        ["pk12util"] = ("libnss3-tools", "nss-tools", "nss"),
        ["keytool"] = ("default-jre-headless", "java-17-openjdk-headless", "jre-openjdk-headless"),
        ["update-ca-certificates"] = ("ca-certificates", "ca-certificates", "ca-certificates"),
        ["update-ca-trust"] = ("ca-certificates", "ca-certificates", "ca-certificates"),
        ["trust"] = ("p11-kit", "p11-kit-trust", "p11-kit"),
    };

    public static string For(string tool)
    {
        if (!Packages.TryGetValue(tool, out var p)) return $"install {tool}";
        if (ExternalTool.Find("apt-get") is not null) return $"apt-get install {p.Apt}";
        if (ExternalTool.Find("dnf") is not null) return $"dnf install {p.Dnf}";
        if (ExternalTool.Find("yum") is not null) return $"yum install {p.Dnf}";
        if (ExternalTool.Find("pacman") is not null) return $"pacman -S {p.Pacman}";
        return $"install {p.Apt} (Debian) or {p.Dnf} (Fedora)";
    }
}
