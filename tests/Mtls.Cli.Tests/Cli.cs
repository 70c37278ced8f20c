using Mtls.Cli;

namespace Mtls.Cli.Tests;

public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>Runs `mtls` in-process (fast) or as the built program (as a user does).</summary>
public static class Cli
{
    public static CliResult Run(params string[] args) => RunAt(null, args);

    public static CliResult RunAt(DateTimeOffset? now, params string[] args) => RunWith(now, new Dictionary<string, string?>(), args);

    /// <summary>With these environment variables (LANG...), never the machine's: tests do not depend on its locale.</summary>
    public static CliResult RunIn(IReadOnlyDictionary<string, string?> env, params string[] args) => RunWith(null, env, args);

    private static CliResult RunWith(DateTimeOffset? now, IReadOnlyDictionary<string, string?> env, string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var ctx = new CliContext { Out = stdout, Err = stderr, Environment = env, Clock = now is null ? () => DateTimeOffset.UtcNow : () => now.Value };
        var code = CliApp.RunAsync(args, ctx).GetAwaiter().GetResult();
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The built mtls.dll next to the test assembly, run with `dotnet` like a user would.</summary>
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "mtls.dll");

    public static CliResult Process(string workingDirectory, params string[] args)
    {
        var result = Tool.Run("dotnet", [Dll, .. args], workingDirectory);
        return new CliResult(result.ExitCode, result.Stdout, result.Stderr);
    }
}
