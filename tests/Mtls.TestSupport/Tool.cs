using System.Diagnostics;

namespace Mtls.TestSupport;

public sealed record ToolResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>Runs external programs (openssl, curl, gnutls-cli, the built mtls) with a time limit.</summary>
public static class Tool
{
    public static ToolResult Run(string file, IEnumerable<string> args, string? workingDirectory = null, string? stdin = null,
        TimeSpan? timeout = null, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        if (environment is not null)
            foreach (var (k, v) in environment) info.Environment[k] = v;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            // What it said until then (its pipes close with it): where it was stuck.
            var said = Task.WaitAll([stdout, stderr], TimeSpan.FromSeconds(5)) ? $"\nstdout: {stdout.Result}\nstderr: {stderr.Result}" : "";
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in time{said}");
        }
        return new ToolResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>
    /// Runs a tool with <paramref name="input"/> on a stdin that stays open until it exits (at most 40 s), so
    /// that only its peer can end a session (openssl s_client's connected commands); returns how long it ran.
    /// </summary>
    public static async Task<(TimeSpan Elapsed, string Output)> RunWithOpenStdinAsync(string file, string[] args, string input, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input);
        await process.StandardInput.FlushAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); }
        var elapsed = clock.Elapsed;
        process.StandardInput.Close();
        return (elapsed, await stdout + await stderr);
    }

    public static ToolResult Openssl(params string[] args) => Run("openssl", args);

    public static ToolResult OpensslIn(string dir, string command) => Run("bash", ["-c", command], dir);

    public static bool Exists(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(p => File.Exists(System.IO.Path.Combine(p, name)));
}
