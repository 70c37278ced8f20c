using System.Diagnostics;
using System.Globalization;

namespace Mtls.Cli.Tests;

/// <summary>
/// `mtls serve` run as a user runs it: the built program in its own process (so it starts its own
/// OpenSSL, with the serve process's configuration), port 0, the URL read from the first stdout line
/// (printed once it listens: no sleeps). Killed on dispose if still running.
/// </summary>
public sealed class ServeProcess : IDisposable
{
    private readonly Process _process;
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));

    private ServeProcess(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    public string Url { get; }

    public int Port => new Uri(Url).Port;

    public static Task<ServeProcess> StartAsync(string workingDirectory, params string[] args) => StartCommandAsync("serve", workingDirectory, args);

    /// <summary>`mtls proxy`, run the same way (it prints its URL first too).</summary>
    public static Task<ServeProcess> StartProxyAsync(string workingDirectory, params string[] args) => StartCommandAsync("proxy", workingDirectory, args);

    private static async Task<ServeProcess> StartCommandAsync(string command, string workingDirectory, string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        info.ArgumentList.Add(Cli.Dll);
        info.ArgumentList.Add(command);
        foreach (var a in args) info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        _ = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var url = await process.StandardOutput.ReadLineAsync(timeout.Token);
        if (url is null || !url.StartsWith("https://", StringComparison.Ordinal))
        {
            process.Kill();
            process.Dispose();
            throw new InvalidOperationException($"mtls {command} did not print its URL: {url}");
        }
        return new ServeProcess(process, url);
    }

    /// <summary>The next line the server logs (stdout), or null when it exited.</summary>
    public Task<string?> ReadLineAsync() => _process.StandardOutput.ReadLineAsync(_timeout.Token).AsTask();

    /// <summary>Reads log lines until one contains <paramref name="text"/>; returns it.</summary>
    public async Task<string> WaitForLineAsync(string text)
    {
        while (await ReadLineAsync() is { } line)
            if (line.Contains(text, StringComparison.Ordinal))
                return line;
        throw new InvalidOperationException($"mtls serve exited before logging \"{text}\"");
    }

    public string Pid => _process.Id.ToString(CultureInfo.InvariantCulture);

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.Dispose();
        _timeout.Dispose();
    }
}
