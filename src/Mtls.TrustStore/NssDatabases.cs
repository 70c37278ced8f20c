namespace Mtls.TrustStore;

/// <summary>
/// Where the browsers keep their NSS databases under a home folder: Chromium and Chrome share
/// ~/.pki/nssdb (Chromium does not create it itself), snap Chromium has its own, Firefox has one per
/// profile (cert9.db in ~/.mozilla/firefox/&lt;profile&gt;/; snap Firefox under ~/snap/firefox/common).
/// </summary>
public static class NssDatabases
{
    public static string Chromium(string home) => Path.Combine(home, ".pki", "nssdb");

    /// <summary>Every database that exists, Chromium's first.</summary>
    public static IReadOnlyList<NssStore> Find(string home)
    {
        var found = new List<NssStore>();
        void Add(string dir, string browser)
        {
            if (NssStore.ExistsAt(dir)) found.Add(new NssStore(dir, browser));
        }
        Add(Chromium(home), "chromium");
        Add(Path.Combine(home, "snap", "chromium", "current", ".pki", "nssdb"), "chromium (snap)");
        foreach (var (profiles, browser) in new[]
                 {
                     (Path.Combine(home, ".mozilla", "firefox"), "firefox"),
                     (Path.Combine(home, "snap", "firefox", "common", ".mozilla", "firefox"), "firefox (snap)"),
                 })
        {
            if (!Directory.Exists(profiles)) continue;
            foreach (var profile in Directory.EnumerateDirectories(profiles).Order(StringComparer.Ordinal))
                Add(profile, browser);
        }
        return found;
    }
}
