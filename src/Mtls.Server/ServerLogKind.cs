namespace Mtls.Server;

/// <summary>How a <see cref="ServerLogEntry"/> is shown (several <see cref="ServerEvent"/>s are warnings).</summary>
public enum ServerLogKind
{
    /// <summary>The server listens (the message names the addresses).</summary>
    Started,
    /// <summary>Something works but will surprise someone (a server certificate without SAN).</summary>
    Warning,
    /// <summary>A request was answered by the application.</summary>
    Request,
    /// <summary>A client was refused (no, untrusted, expired or misused certificate); see Reason.</summary>
    Rejected,
    /// <summary>A plain-HTTP request arrived on the HTTPS port and got a 400.</summary>
    PlainHttp,
    /// <summary>A TLS handshake failed (the client hung up, timed out or spoke no TLS we accept).</summary>
    HandshakeFailed,
    /// <summary>The server stopped.</summary>
    Stopped,
    /// <summary>A watched file changed and was reloaded (CRLs, the server's certificate and key).</summary>
    Reloaded,
    /// <summary>mtls proxy: the backend failed a request (refused, unreachable, reset, too slow); see Reason.</summary>
    BackendFailed,
    /// <summary>mtls proxy, TCP mode: a tunnel idle for --idle-timeout was closed.</summary>
    IdleTimeout,
}
