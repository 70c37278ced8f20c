namespace Mtls.Server;

/// <summary>The stable name of each <see cref="ServerEvent"/> (JSON <c>event</c>) and the kind it is shown as.</summary>
public static class ServerEvents
{
    /// <summary>Every event, in table order (README's event table, tests).</summary>
    public static IReadOnlyList<ServerEvent> All { get; } =
    [
        ServerEvent.Started, ServerEvent.Stopped, ServerEvent.Request, ServerEvent.Rejected, ServerEvent.PlainHttp,
        ServerEvent.HandshakeFailed, ServerEvent.NotAllowed, ServerEvent.BackendFailed, ServerEvent.IdleTimeout, ServerEvent.Reloaded, ServerEvent.ReloadFailed, ServerEvent.CrlStale,
        ServerEvent.ExpiryWarning, ServerEvent.Warning,
    ];

    /// <summary>Snake-case names, spelled out rather than derived from the enum's, so a rename in code cannot change a log.</summary>
    public static string Name(ServerEvent e) => e switch
    {
        ServerEvent.Started => "started",
        ServerEvent.Stopped => "stopped",
        ServerEvent.Request => "request",
        ServerEvent.Rejected => "rejected",
        ServerEvent.PlainHttp => "plain_http",
        ServerEvent.HandshakeFailed => "handshake_failed",
        ServerEvent.NotAllowed => "not_allowed",
        ServerEvent.BackendFailed => "backend_failed",
        ServerEvent.IdleTimeout => "idle_timeout",
        ServerEvent.Reloaded => "reloaded",
        ServerEvent.ReloadFailed => "reload_failed",
        ServerEvent.CrlStale => "crl_stale",
        ServerEvent.ExpiryWarning => "expiry_warning",
        ServerEvent.Warning => "warning",
        _ => throw new ArgumentOutOfRangeException(nameof(e), e, null),
    };

    /// <summary>The coarser kind an event is shown as: every warning-like event is a <see cref="ServerLogKind.Warning"/>.</summary>
    public static ServerLogKind Kind(ServerEvent e) => e switch
    {
        ServerEvent.Started => ServerLogKind.Started,
        ServerEvent.Stopped => ServerLogKind.Stopped,
        ServerEvent.Request => ServerLogKind.Request,
        ServerEvent.Rejected => ServerLogKind.Rejected,
        ServerEvent.PlainHttp => ServerLogKind.PlainHttp,
        ServerEvent.HandshakeFailed => ServerLogKind.HandshakeFailed,
        ServerEvent.NotAllowed => ServerLogKind.Rejected,
        ServerEvent.BackendFailed => ServerLogKind.BackendFailed,
        ServerEvent.IdleTimeout => ServerLogKind.IdleTimeout,
        ServerEvent.Reloaded => ServerLogKind.Reloaded,
        _ => ServerLogKind.Warning,
    };
}
