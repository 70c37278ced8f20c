namespace Mtls.Server;

/// <summary>What a <see cref="ServerLogEntry"/> is about; stable names, used in logs and JSON.</summary>
public enum ServerLogKind
{
    /// <summary>The server listens (the message names the URLs).</summary>
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
}

/// <summary>
/// One event of the server. Client fields come from the client certificate (subject and issuer in
/// RFC 4514 form with control characters escaped, serial in hex); Reason is a stable
/// <c>Mtls.Pki.Trust.FailureReason</c> name for rejections.
/// </summary>
public sealed record ServerLogEntry(
    DateTimeOffset Time,
    ServerLogKind Kind,
    string Message,
    string? ClientSubject,
    string? ClientIssuer,
    string? ClientSerial,
    string? Reason)
{
    /// <summary>
    /// Detail rather than news: worth a line only when the operator asks for detail (mtls serve
    /// --verbose), e.g. a handshake a browser abandoned without a word. False for everything else.
    /// </summary>
    public bool Verbose { get; init; }
}
