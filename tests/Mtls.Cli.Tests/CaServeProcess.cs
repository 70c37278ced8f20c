using System.Diagnostics;
using System.Globalization;

namespace Mtls.Cli.Tests;

/// <summary>
/// `mtls ca serve` run as an operator runs it: the built program in its own process, port 0 on
/// 127.0.0.1, the URL read from the first stdout line (printed once it listens: no sleeps).
/// </summary>
public sealed class CaServeProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stderr;

    private CaServeProcess(Process process, string url, Task<string> stderr)
    {
        _process = process;
        Url = url;
        _stderr = stderr;
    }

    public string Url { get; }

    public int Pid => _process.Id;

    public static async Task<CaServeProcess> StartAsync(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var a in (string[])[Cli.Dll, "ca", "serve", "--port", "0", "--bind", "127.0.0.1", .. args]) info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var url = await process.StandardOutput.ReadLineAsync(timeout.Token);
        if (url is null || !url.StartsWith("https://", StringComparison.Ordinal))
        {
            process.Kill();
            throw new InvalidOperationException($"mtls ca serve did not print its URL: {url} {await stderr}");
        }
        return new CaServeProcess(process, url, stderr);
    }

    /// <summary>Sends SIGTERM and waits for the exit: (exit code, stdout after the URL, stderr).</summary>
    public async Task<(int Code, string Stdout, string Stderr)> TerminateAsync()
    {
        Tool.Run("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var stdout = await _process.StandardOutput.ReadToEndAsync(timeout.Token);
        await _process.WaitForExitAsync(timeout.Token);
        return (_process.ExitCode, stdout, await _stderr);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.Dispose();
    }
}
