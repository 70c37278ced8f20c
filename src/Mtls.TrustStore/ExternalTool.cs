using System.Diagnostics;
using Mtls.Pki;
using Mtls.Pki.Text;
using Mtls.TrustStore.Resources;

namespace Mtls.TrustStore;

/// <summary>
/// Runs the stores' own programs (certutil, pk12util, keytool, update-ca-certificates...) with a time limit,
/// stdin closed (so a password prompt fails instead of hanging) and arguments passed as a list (no shell).
/// </summary>
public static class ExternalTool
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    /// <summary>The program's full path on PATH (and /usr/sbin, /sbin, where root's tools live), or null.</summary>
    public static string? Find(string tool)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "") + ":/usr/local/sbin:/usr/sbin:/sbin:/usr/bin:/bin";
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Fails with the exact install command when the tool is missing.</summary>
    public static string Require(string tool) =>
        Find(tool) ?? throw MtlsException.Refused(Language.Format(TrustStoreText.Tool_Missing, tool, InstallHint.For(tool)));

    public static ToolOutput Run(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(Require(tool))
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        // The tools' own messages are matched on (certutil's "could not find"), so keep them in English.
        info.Environment["LC_ALL"] = "C";
        using var process = Process.Start(info) ?? throw MtlsException.Refused(Language.Format(TrustStoreText.Tool_Missing, tool, InstallHint.For(tool)));
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Close();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            throw MtlsException.Refused(Language.Format(TrustStoreText.Tool_TimedOut, Describe(tool, args), (int)Limit.TotalSeconds));
        }
        return new ToolOutput(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs the tool and fails with its own first line when it fails.</summary>
    public static ToolOutput RunOrFail(string tool, params string[] args)
    {
        var output = Run(tool, args);
        if (!output.Ok)
            throw MtlsException.Refused(Language.Format(TrustStoreText.Tool_Failed, Describe(tool, args), output.ExitCode, output.FirstLine));
        return output;
    }

    /// <summary>The command as a user would type it (passwords are never arguments: files are).</summary>
    public static string Describe(string tool, IEnumerable<string> args) =>
        string.Join(' ', new[] { tool }.Concat(args.Select(a => a.Length == 0 || a.Any(c => char.IsWhiteSpace(c) || c == '\'') ? $"'{a.Replace("'", "'\\''")}'" : a)));
}
