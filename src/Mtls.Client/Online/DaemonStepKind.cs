namespace Mtls.Client.Online;

/// <summary>What a renewal daemon just did (<see cref="DaemonStep"/>).</summary>
public enum DaemonStepKind
{
    /// <summary>Started: the current certificate read, the first renewal scheduled.</summary>
    Started,
    /// <summary>A new certificate (and key, on a rekey) written.</summary>
    Renewed,
    /// <summary>The attempt failed in a way that may heal (the CA unreachable, busy, or refusing a storm); retrying later.</summary>
    Retrying,
    /// <summary>The CA refused in a way that cannot heal (revoked, not issued here, superseded...); the daemon stops.</summary>
    GaveUp,
    /// <summary>Asked to stop (SIGTERM, Ctrl+C).</summary>
    Stopped,
}
