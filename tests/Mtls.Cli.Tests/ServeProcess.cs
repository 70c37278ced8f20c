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

    private readonly Task<string> _stderr;

    private ServeProcess(Process process, string url, string firstLine, Task<string> stderr)
    {
        _process = process;
        Url = url;
        FirstLine = firstLine;
        _stderr = stderr;
    }

    public string Url { get; }

    /// <summary>The line that gave the URL: the URL itself, or with --log-format json the started event.</summary>
    public string FirstLine { get; }

    public int Port => new Uri(Url).Port;

    public static Task<ServeProcess> StartAsync(string workingDirectory, params string[] args) => StartCommandAsync("serve", workingDirectory, null, args);

    /// <summary>As above, with <paramref name="env"/> added to the environment (LANG, LC_ALL...); a null value unsets.</summary>
    public static Task<ServeProcess> StartAsync(string workingDirectory, IReadOnlyDictionary<string, string?>? env, params string[] args) => StartCommandAsync("serve", workingDirectory, env, args);

    /// <summary>`mtls proxy`, run the same way (it prints its URL first too).</summary>
    public static Task<ServeProcess> StartProxyAsync(string workingDirectory, params string[] args) => StartCommandAsync("proxy", workingDirectory, null, args);

    private static async Task<ServeProcess> StartCommandAsync(string command, string workingDirectory, IReadOnlyDictionary<string, string?>? env, string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        info.ArgumentList.Add(Cli.Dll);
        info.ArgumentList.Add(command);
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (name, value) in env ?? new Dictionary<string, string?>()) info.Environment[name] = value;
        var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var first = await process.StandardOutput.ReadLineAsync(timeout.Token);
        var url = UrlIn(first);
        if (url is null)
        {
            process.Kill();
            process.Dispose();
            throw new InvalidOperationException($"mtls {command} did not print its URL: {first}");
        }
        return new ServeProcess(process, url, first!, stderr);
    }

    // Text: the first line is the URL. JSON: the first line is the started event, which carries it.
    private static string? UrlIn(string? line)
    {
        if (line is null) return null;
        if (line.StartsWith('{'))
        {
            using var doc = System.Text.Json.JsonDocument.Parse(line);
            return doc.RootElement.TryGetProperty("url", out var url) ? url.GetString() : null;
        }
        return line.StartsWith("https://", StringComparison.Ordinal) ? line : null;
    }

    /// <summary>Stops the server (killed: as Ctrl+C would, without waiting) and returns what it wrote on stderr.</summary>
    public async Task<string> StopAsync()
    {
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        return await _stderr;
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
