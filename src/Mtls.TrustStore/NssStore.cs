using System.Text.RegularExpressions;

namespace Mtls.TrustStore;

/// <summary>
/// One NSS database (Chromium's ~/.pki/nssdb, a Firefox profile, snap Chromium's), through certutil and
/// pk12util from libnss3-tools. A CA goes in with trust "C,," (trusted to issue server certificates); a
/// client identity (certificate and key) with pk12util, then renamed to the nickname mtls derives.
/// </summary>
public sealed partial class NssStore(string directory, string browser) : ITrustStore
{
    /// <summary>SSL, S/MIME, code signing: a CA trusted for TLS servers only.</summary>
    private const string CaTrust = "C,,";

    public string Name => "nss";

    public string Location => directory;

    /// <summary>Which browser reads this database ("chromium", "firefox", "chromium (snap)").</summary>
    public string Browser => browser;

    private string Db => "sql:" + directory;

    public bool CanChange => Privileges.CanWrite(Path.Combine(directory, "cert9.db"));

    public static bool ExistsAt(string directory) => File.Exists(Path.Combine(directory, "cert9.db"));

    /// <summary>Makes an empty database with no password (what a browser makes on its first start).</summary>
    public static NssStore Create(string directory, string browser, Action<TrustChange> report)
    {
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(directory);
        else Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        ExternalTool.RunOrFail("certutil", "-N", "-d", "sql:" + directory, "--empty-password");
        var store = new NssStore(directory, browser);
        report(new TrustChange(store.Name, directory, TrustChangeKind.Created, "cert9.db"));
        return store;
    }

    public void Install(TrustedCa ca, Action<TrustChange> report)
    {
        if (Contains(ca))
        {
            report(new TrustChange(Name, Location, TrustChangeKind.AlreadyPresent, ca.Nickname));
            return;
        }
        WithTempFolder(folder =>
        {
            var pem = Path.Combine(folder, "ca.pem");
            File.WriteAllText(pem, ca.Pem);
            ExternalTool.RunOrFail("certutil", "-A", "-d", Db, "-t", CaTrust, "-n", ca.Nickname, "-a", "-i", pem);
        });
        report(new TrustChange(Name, Location, TrustChangeKind.Added, ca.Nickname));
    }

    public void Uninstall(TrustedCa ca, Action<TrustChange> report) => Remove(ca.Nickname, "-D", report);

    public bool Contains(TrustedCa ca) => Entries().Any(e => e.Nickname == ca.Nickname && e.Trust.StartsWith('C'));

    public IReadOnlyList<TrustEntry> List() =>
        [.. Entries().Where(e => e.Nickname.StartsWith(TrustNames.NicknamePrefix, StringComparison.Ordinal))
            .Select(e => new TrustEntry(Name, Location, e.Nickname, IsClientIdentity: e.Trust.StartsWith('u')))];

    public bool Contains(ClientIdentity identity) => Entries().Any(e => e.Nickname == identity.Nickname && e.Trust.StartsWith('u'));

    /// <summary>Imports the certificate and its key (pk12util), then gives it mtls's nickname.</summary>
    public void Install(ClientIdentity identity, Action<TrustChange> report)
    {
        if (Contains(identity))
        {
            report(new TrustChange(Name, Location, TrustChangeKind.AlreadyPresent, identity.Nickname));
            return;
        }
        var before = Entries().Select(e => e.Nickname).ToHashSet(StringComparer.Ordinal);
        string? given = null;
        WithTempFolder(folder =>
        {
            // A one-time password for a PKCS#12 that lives only in this 0700 folder, passed as a file (-w).
            var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
            var p12 = Path.Combine(folder, "client.p12");
            var passwordFile = Path.Combine(folder, "p12.pass");
            File.WriteAllBytes(p12, identity.ExportPkcs12(password));
            File.WriteAllText(passwordFile, password);
            var output = ExternalTool.RunOrFail("pk12util", "-i", p12, "-d", Db, "-w", passwordFile);
            given = UsingNickname().Match(output.Stdout + output.Stderr) is { Success: true } m ? m.Groups[1].Value.Trim() : null;
        });
        // pk12util names a PKCS#12 without a friendlyName after the subject ("using nickname: Super Client");
        // when it does not say, the new name is the one that was not there before.
        given ??= Entries().Select(e => e.Nickname).FirstOrDefault(n => !before.Contains(n));
        if (given is not null && given != identity.Nickname)
            ExternalTool.RunOrFail("certutil", "--rename", "-d", Db, "-n", given, "--new-n", identity.Nickname);
        report(new TrustChange(Name, Location, TrustChangeKind.Added, identity.Nickname));
    }

    /// <summary>Removes the certificate and its private key (certutil -F).</summary>
    public void Uninstall(ClientIdentity identity, Action<TrustChange> report) => Remove(identity.Nickname, "-F", report);

    private void Remove(string nickname, string verb, Action<TrustChange> report)
    {
        if (!Entries().Any(e => e.Nickname == nickname))
        {
            report(new TrustChange(Name, Location, TrustChangeKind.NotPresent, nickname));
            return;
        }
        // One certutil -D removes one certificate; a nickname may hold more (bounded: never loop forever).
        for (var i = 0; i < 8 && Entries().Any(e => e.Nickname == nickname); i++)
            ExternalTool.RunOrFail("certutil", verb, "-d", Db, "-n", nickname);
        report(new TrustChange(Name, Location, TrustChangeKind.Removed, nickname));
    }

    private IEnumerable<(string Nickname, string Trust)> Entries()
    {
        var output = ExternalTool.RunOrFail("certutil", "-L", "-d", Db);
        foreach (var line in output.Stdout.Split('\n'))
            if (EntryLine().Match(line) is { Success: true } m && m.Groups[1].Value != "Certificate Nickname")
                yield return (m.Groups[1].Value, m.Groups[2].Value);
    }

    private static void WithTempFolder(Action<string> action)
    {
        var folder = Directory.CreateTempSubdirectory("mtls-trust-").FullName;
        try { action(folder); }
        finally { Directory.Delete(folder, recursive: true); }
    }

    /// <summary>"nickname   C,," (certutil -L pads the nickname; the trust column has two commas).</summary>
    [GeneratedRegex(@"^(.*\S)\s+([a-zA-Z]*,[a-zA-Z]*,[a-zA-Z]*)\s*$")]
    private static partial Regex EntryLine();

    [GeneratedRegex(@"using nickname: (.+)")]
    private static partial Regex UsingNickname();
}
