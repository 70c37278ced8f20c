namespace Mtls.Cli;

/// <summary>
/// What a command writes to and reads the time from. Commands never touch Console directly, so tests
/// can run them in-process and check their output exactly.
/// </summary>
public sealed class CliContext
{
    public required TextWriter Out { get; init; }
    public required TextWriter Err { get; init; }
    public Func<DateTimeOffset> Clock { get; init; } = () => DateTimeOffset.UtcNow;
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    public DateTimeOffset Now => Clock();

    /// <summary>Colour only for a terminal, and never when NO_COLOR is set (no-color.org).</summary>
    public bool Color { get; init; }

    public static CliContext FromConsole()
    {
        var env = System.Environment.GetEnvironmentVariables();
        var dict = new Dictionary<string, string?>();
        foreach (System.Collections.DictionaryEntry e in env) dict[(string)e.Key] = e.Value as string;
        return new CliContext
        {
            Out = StandardOutput(),
            Err = Console.Error,
            Environment = dict,
            Color = !Console.IsOutputRedirected && string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable("NO_COLOR")),
        };
    }

    /// <summary>
    /// Standard output with a 16 KiB buffer, flushed after every write as Console.Out is. Console.Out's buffer is
    /// 256 characters, so a server's batch of log lines went out as one write() per 256 bytes: 0.84 system calls
    /// per proxied request (bench/RESULTS.md, "mtls proxy: cost of one keep-alive request"). Console.Out when the
    /// console's encoding is not UTF-8.
    /// </summary>
    private static TextWriter StandardOutput() => Console.OutputEncoding.CodePage != 65001 ? Console.Out
        : TextWriter.Synchronized(new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false), 16 * 1024, leaveOpen: true) { AutoFlush = true });

    public string? Env(string name) => Environment.TryGetValue(name, out var v) ? v : null;
}
