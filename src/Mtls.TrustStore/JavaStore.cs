using Mtls.Pki;
using Mtls.Pki.Text;
using Mtls.TrustStore.Resources;

namespace Mtls.TrustStore;

/// <summary>
/// Java's cacerts, through keytool (-cacerts finds the running JDK's file; Debian links it to
/// /etc/ssl/certs/java/cacerts). Its password is the well-known default every JDK ships ("changeit").
/// </summary>
public sealed class JavaStore(string keystore) : ITrustStore
{
    private const string StorePassword = "changeit";

    public string Name => "java";

    public string Location => keystore;

    public bool CanChange => Privileges.CanWrite(keystore);

    /// <summary>The JDK's cacerts when keytool is installed, else null (the store does not exist here).</summary>
    public static JavaStore? Detect()
    {
        if (ExternalTool.Find("keytool") is not { } keytool) return null;
        var home = Environment.GetEnvironmentVariable("JAVA_HOME") is { Length: > 0 } javaHome
            ? javaHome
            : Path.GetDirectoryName(Path.GetDirectoryName(new FileInfo(keytool).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? keytool));
        var cacerts = Path.Combine(home ?? "/", "lib", "security", "cacerts");
        var resolved = File.Exists(cacerts) ? new FileInfo(cacerts).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? cacerts : cacerts;
        return new JavaStore(resolved);
    }

    public void Install(TrustedCa ca, Action<TrustChange> report)
    {
        if (HasAlias(ca.JavaAlias))
        {
            report(new TrustChange(Name, Location, TrustChangeKind.AlreadyPresent, ca.JavaAlias));
            return;
        }
        RequireWritable();
        var temp = Path.Combine(Path.GetTempPath(), $"mtls-{Guid.NewGuid():N}.pem");
        try
        {
            File.WriteAllText(temp, ca.Pem);
            ExternalTool.RunOrFail("keytool", "-importcert", "-noprompt", "-cacerts", "-storepass", StorePassword, "-alias", ca.JavaAlias, "-file", temp);
        }
        finally
        {
            File.Delete(temp);
        }
        report(new TrustChange(Name, Location, TrustChangeKind.Added, ca.JavaAlias));
    }

    public void Uninstall(TrustedCa ca, Action<TrustChange> report)
    {
        if (!HasAlias(ca.JavaAlias))
        {
            report(new TrustChange(Name, Location, TrustChangeKind.NotPresent, ca.JavaAlias));
            return;
        }
        RemoveAlias(ca.JavaAlias, report);
    }

    /// <summary>Deletes an alias when present (also the one Debian's hook added for the system store).</summary>
    public void RemoveAlias(string alias, Action<TrustChange> report)
    {
        if (!HasAlias(alias)) return;
        RequireWritable();
        ExternalTool.RunOrFail("keytool", "-delete", "-cacerts", "-storepass", StorePassword, "-alias", alias);
        report(new TrustChange(Name, Location, TrustChangeKind.Removed, alias));
    }

    public bool Contains(TrustedCa ca) => HasAlias(ca.JavaAlias);

    /// <summary>Our aliases, and the "debian:mtls_*" ones Debian's hook made from our system-store files.</summary>
    public IReadOnlyList<TrustEntry> List()
    {
        var output = ExternalTool.RunOrFail("keytool", "-list", "-cacerts", "-storepass", StorePassword);
        // Entries read "alias, date, trustedCertEntry," then a fingerprint line.
        return [.. output.Stdout.Split('\n')
            .Where(l => l.Contains(", trustedCertEntry", StringComparison.Ordinal))
            .Select(l => l[..l.IndexOf(',', StringComparison.Ordinal)])
            .Where(a => a.StartsWith(TrustNames.JavaAliasPrefix, StringComparison.Ordinal) || a.StartsWith("debian:" + TrustNames.FilePrefix, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(a => new TrustEntry(Name, Location, a, IsClientIdentity: false))];
    }

    private bool HasAlias(string alias) =>
        ExternalTool.Run("keytool", "-list", "-cacerts", "-storepass", StorePassword, "-alias", alias).Ok;

    private void RequireWritable()
    {
        if (!CanChange)
            throw MtlsException.Refused(Language.Format(TrustStoreText.Java_NeedsRoot, Location));
    }
}
