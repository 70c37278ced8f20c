using System.Diagnostics;

namespace Mtls.Cli.Workshop;

internal sealed record CurlResult(bool Success, string Detail);

/// <summary>Runs the workshop's curl commands for real, from the client's folder as the seed does.</summary>
internal sealed class CurlRunner(string workingDirectory, WorkshopText text)
{
    public bool Available { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
        .Any(p => p.Length > 0 && File.Exists(Path.Combine(p, "curl")));

    /// <summary>Success means curl exited 0 with a 2xx status; the detail is the body's first line or curl's error.</summary>
    public async Task<CurlResult> RunAsync(IEnumerable<string> args, CancellationToken ct)
    {
        // -sS: no progress meter but errors; the status code is appended on its own line.
        var info = new ProcessStartInfo("curl")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-sS", "--max-time", "10", "-w", "\n%{http_code}" }.Concat(args)) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var output = (await stdout).TrimEnd('\n').Split('\n');
        var status = output[^1];
        var body = string.Join('\n', output[..^1]).Trim();
        var error = (await stderr).Trim();
        if (process.ExitCode != 0)
            return new CurlResult(false, text.F("curl.exit", process.ExitCode, error.Split('\n')[0]));
        var firstLine = body.Split('\n')[0];
        return new CurlResult(status.StartsWith('2'), $"HTTP {status}: {(firstLine.Length > 120 ? firstLine[..120] + "..." : firstLine)}");
    }
}
