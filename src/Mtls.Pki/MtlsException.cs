namespace Mtls.Pki;

/// <summary>Exit codes shared by every front end (see DESIGN.md, Conventions).</summary>
public enum ExitCode
{
    Success = 0,
    /// <summary>The operation ran and failed: verification failed, a request was refused.</summary>
    Failed = 1,
    /// <summary>Bad usage or unreadable input.</summary>
    BadInput = 2,
}

/// <summary>
/// A failure meant for the user: the message is one line that says what failed, why, and what to do.
/// Front ends print the message alone; a stack trace is never shown for these.
/// </summary>
public class MtlsException : Exception
{
    public MtlsException(string message, ExitCode exitCode = ExitCode.BadInput, Exception? inner = null)
        : base(message, inner) => ExitCode = exitCode;

    public ExitCode ExitCode { get; }

    /// <summary>Input that is well-formed but refused by policy (exit code 1).</summary>
    public static MtlsException Refused(string message) => new(message, ExitCode.Failed);
}
