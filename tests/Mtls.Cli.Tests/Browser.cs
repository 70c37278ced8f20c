using System.Diagnostics;

namespace Mtls.Cli.Tests;

/// <summary>
/// Headless Chromium and Firefox run as a user would, in a temporary HOME (their NSS databases and
/// profiles live there: no real user's store is touched), always under a time limit: with a client
/// certificate in NSS and no AutoSelectCertificateForUrls policy Chromium waits on a hidden dialog.
/// </summary>
public static class Browser
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(45);

    public static string Require(string program) =>
        Tool.Exists(program) ? program : throw new InvalidOperationException(
            $"{program} is not installed; the Browser tests need it (apt-get install chromium firefox-esr libnss3-tools, as .ci/run does)");

    /// <summary>The page's DOM after load; empty when the load failed (--dump-dom exits 0 then as well).</summary>
    public static (string Dom, TimeSpan Elapsed) ChromiumDumpDom(string home, string url)
    {
        var profile = Directory.CreateDirectory(Path.Combine(home, $"chromium-{Guid.NewGuid():N}")).FullName;
        var clock = Stopwatch.StartNew();
        var result = Tool.Run(Require("chromium"),
            ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--no-first-run", $"--user-data-dir={profile}", "--dump-dom", url],
            home, timeout: Limit, environment: new Dictionary<string, string> { ["HOME"] = home });
        return (result.Stdout, clock.Elapsed);
    }

    /// <summary>
    /// A Firefox profile under HOME (so `mtls trust` finds it as ~/.mozilla/firefox/&lt;profile&gt;): its NSS
    /// database made as Firefox's first start makes it, and a user.js that selects a client certificate
    /// automatically and keeps Firefox off the network beyond the page.
    /// </summary>
    public static string FirefoxProfile(string home)
    {
        var profile = Path.Combine(home, ".mozilla", "firefox", "mtls.test");
        Directory.CreateDirectory(profile);
        var created = Tool.Run(Require("certutil"), ["-N", "-d", "sql:" + profile, "--empty-password"], timeout: Limit);
        if (created.ExitCode != 0) throw new InvalidOperationException($"certutil -N failed: {created}");
        File.WriteAllText(Path.Combine(profile, "user.js"), """
            user_pref("security.default_personal_cert", "Select Automatically");
            user_pref("browser.shell.checkDefaultBrowser", false);
            user_pref("app.update.enabled", false);
            user_pref("datareporting.policy.dataSubmissionEnabled", false);
            user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);
            user_pref("browser.startup.homepage_override.mstone", "ignore");
            user_pref("network.captive-portal-service.enabled", false);
            user_pref("network.connectivity-service.enabled", false);
            """);
        return profile;
    }

    /// <summary>
    /// Points headless Firefox at a server it is expected to refuse, until the server logs
    /// <paramref name="text"/> (Firefox's alert), then stops it: on a certificate error page Firefox's
    /// --screenshot never finishes (measured: still waiting after 20 s).
    /// </summary>
    public static async Task<string> FirefoxUntilServerLogs(string home, string profile, string url, ServeProcess server, string text)
    {
        var info = new ProcessStartInfo(Require("firefox-esr")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["-headless", "-no-remote", "-profile", profile, "--screenshot", Path.Combine(home, "refused.png"), url])
            info.ArgumentList.Add(a);
        info.Environment["HOME"] = home;
        using var firefox = Process.Start(info)!;
        _ = firefox.StandardOutput.ReadToEndAsync();
        _ = firefox.StandardError.ReadToEndAsync();
        try
        {
            return await server.WaitForLineAsync(text).WaitAsync(Limit);
        }
        finally
        {
            if (!firefox.HasExited) firefox.Kill(entireProcessTree: true);
            await firefox.WaitForExitAsync();
        }
    }

    /// <summary>Loads the page in headless Firefox and writes a screenshot; what it saw is told by the server's log.</summary>
    public static TimeSpan FirefoxScreenshot(string home, string profile, string url, string png)
    {
        var clock = Stopwatch.StartNew();
        var result = Tool.Run(Require("firefox-esr"), ["-headless", "-no-remote", "-profile", profile, "--screenshot", png, url],
            home, timeout: Limit, environment: new Dictionary<string, string> { ["HOME"] = home });
        if (result.ExitCode != 0) throw new InvalidOperationException($"firefox-esr failed: {result}");
        return clock.Elapsed;
    }
}
