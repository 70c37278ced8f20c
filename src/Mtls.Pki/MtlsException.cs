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
/// Why an <see cref="MtlsException"/> was thrown, where a front end may want to say the fix in its own
/// terms (a command's flags): the message gives the facts and, for now, the CLI's advice in English and
/// Japanese; a front end with other flags maps the kind. Stable names.
/// </summary>
public enum MtlsErrorKind
{
    /// <summary>Nothing a front end needs to tell apart.</summary>
    None,
    /// <summary>The output file exists (the CLI's fix: another --out, or --force).</summary>
    OutputExists,
    /// <summary>The output path is a symbolic link (remove it, or --force).</summary>
    OutputIsSymbolicLink,
    /// <summary>The private key is encrypted and no password was given (--password-file).</summary>
    KeyPasswordNeeded,
    /// <summary>The inventory path is a folder, or its folder is missing, or it is not an inventory (--db).</summary>
    InventoryPath,
    /// <summary>The inventory is corrupt, or cannot be opened for writing (restore it, or another --db).</summary>
    InventoryUnusable,
    /// <summary>The inventory belongs to another CA (--db or --ca-cert).</summary>
    InventoryOfAnotherCa,
    /// <summary>A SAN value is malformed (--san).</summary>
    SanSyntax,
    /// <summary>A server certificate needs a host name and none could be found (--san DNS:...).</summary>
    ServerNeedsHostName,
    /// <summary>A validity in days out of range (--days).</summary>
    DaysOutOfRange,
    /// <summary>The parent CA's path length forbids another CA, or the one asked for is too large (--path-len).</summary>
    PathLengthTooLarge,
    /// <summary>A CRL's nextUpdate that is not in the future (--next-update).</summary>
    NextUpdateNotInFuture,
    /// <summary>An unknown revocation reason (--reason).</summary>
    UnknownRevocationReason,
    /// <summary>Two key types asked for at once (--curve and --rsa).</summary>
    ConflictingKeyTypes,
    /// <summary>A certificate's profile cannot be told from its extendedKeyUsage (mtls ca sign --profile).</summary>
    UnknownProfile,
    /// <summary>The port a server was to listen on is taken by another program (another --port, or a free one).</summary>
    PortInUse,
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

    /// <summary>Set where a front end may say the fix in its own terms (<see cref="MtlsErrorKind"/>).</summary>
    public MtlsErrorKind Kind { get; init; }

    /// <summary>Input that is well-formed but refused by policy (exit code 1).</summary>
    public static MtlsException Refused(string message) => new(message, ExitCode.Failed);

    /// <summary>Refused, with the kind a front end may say the fix for in its own terms.</summary>
    public static MtlsException Refused(string message, MtlsErrorKind kind) => new(message, ExitCode.Failed) { Kind = kind };
}
