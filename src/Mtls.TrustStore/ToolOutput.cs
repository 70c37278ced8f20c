namespace Mtls.TrustStore;

/// <summary>What an external program printed and how it exited.</summary>
public sealed record ToolOutput(int ExitCode, string Stdout, string Stderr)
{
    public bool Ok => ExitCode == 0;

    /// <summary>The first line that says something, for a one-line error.</summary>
    public string FirstLine => (Stderr + "\n" + Stdout).Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
}
