namespace Mtls.Server;

/// <summary>
/// The server's events, the one table of their stable ids (JSON <c>event_id</c>); names and the
/// <see cref="ServerLogKind"/> each belongs to are in <see cref="ServerEvents"/>. Log readers match
/// on these: never renumber one, only add.
/// </summary>
public enum ServerEvent
{
    /// <summary>The server listens (the message names the addresses and whom it lets in).</summary>
    Started = 1,
    /// <summary>The server stopped.</summary>
    Stopped = 2,
    /// <summary>A request was answered by the application.</summary>
    Request = 10,
    /// <summary>A client was refused with a 403 (no, untrusted, expired, revoked or misused certificate).</summary>
    Rejected = 11,
    /// <summary>A plain-HTTP request arrived on the HTTPS port and got a 400.</summary>
    PlainHttp = 12,
    /// <summary>A TLS handshake failed or timed out.</summary>
    HandshakeFailed = 13,
    /// <summary>mtls proxy: a valid client certificate that no allow rule admits got a 403 (the backend was not contacted).</summary>
    NotAllowed = 14,
    /// <summary>mtls proxy: the backend refused, could not be reached, reset or did not answer in time (502 or 504).</summary>
    BackendFailed = 15,
    /// <summary>mtls proxy, TCP mode: a tunnel with no bytes either way for --idle-timeout was closed.</summary>
    IdleTimeout = 16,
    /// <summary>A watched file changed and was reloaded (CRLs, the server's certificate and key).</summary>
    Reloaded = 20,
    /// <summary>A changed file could not be used; the previous one stays in force.</summary>
    ReloadFailed = 21,
    /// <summary>A CRL is past its nextUpdate.</summary>
    CrlStale = 22,
    /// <summary>The server certificate or a client CA expires within 30 days.</summary>
    ExpiryWarning = 30,
    /// <summary>Something works but will surprise someone (a certificate without SAN, no IPv6).</summary>
    Warning = 31,
}
