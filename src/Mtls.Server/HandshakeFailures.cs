using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Mtls.Server;

/// <summary>
/// Makes failed TLS handshakes visible in the server's log (<see cref="ServerLogKind.HandshakeFailed"/>):
/// a client that does not trust our certificate, speaks no TLS we accept, sends garbage after a TLS
/// record header or times out. Kestrel's HTTPS middleware catches those and only tells its ILogger
/// (events AuthenticationFailed and AuthenticationTimedOut, at Debug), without the client's address.
/// <see cref="Track"/> wraps the HTTPS middleware, so the failure is logged in the connection's own
/// async flow: the connection is known through an AsyncLocal, and the line names the client's address
/// and the reason with its causes. Nothing else Kestrel logs reaches us.
/// </summary>
internal sealed class HandshakeFailures(ServerLog log) : ILoggerProvider, ILogger
{
    /// <summary>Kestrel's logger category for the TLS handshake.</summary>
    public const string Category = "Microsoft.AspNetCore.Server.Kestrel.Https.Internal.HttpsConnectionMiddleware";

    private static readonly AsyncLocal<ConnectionContext?> Current = new();

    /// <summary>Connection middleware, placed just before UseHttps.</summary>
    public static Func<ConnectionDelegate, ConnectionDelegate> Track() => next => async connection =>
    {
        Current.Value = connection;
        try { await next(connection); }
        finally { Current.Value = null; }
    };

    /// <summary>
    /// Connection middleware, placed just after UseHttps: the handshake is over, so the requests run
    /// without the AsyncLocal. A connection whose ExecutionContext is not the default one pays for
    /// copying and restoring it at every await of every request.
    /// </summary>
    public static Func<ConnectionDelegate, ConnectionDelegate> Untrack() => next => connection =>
    {
        Current.Value = null;
        return next(connection);
    };

    public ILogger CreateLogger(string categoryName) => categoryName == Category ? this : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var what = eventId.Name switch
        {
            "AuthenticationFailed" => "TLS handshake failed",
            "AuthenticationTimedOut" => "TLS handshake timed out",
            _ => null,
        };
        if (what is null) return;
        var reason = Reason(exception);
        var hint = reason is null ? default : Hints.FirstOrDefault(h => reason.Contains(h.Said, StringComparison.OrdinalIgnoreCase));
        Write(log, what, Current.Value, reason is null ? null : ServerLog.Printable(reason) + (hint.Meaning is null ? "" : $" ({hint.Meaning})"), hint.Verbose);
    }

    /// <summary>The one shape of a HandshakeFailed line: what, with whom, and why.</summary>
    public static void Write(ServerLog log, string what, ConnectionContext? connection, string? why, bool verbose = false) =>
        log.Write(ServerEvent.HandshakeFailed,
            $"{what} with {connection?.RemoteEndPoint?.ToString() ?? "unknown client"}" + (why is null ? "" : $": {why}"),
            remote: connection?.RemoteEndPoint?.ToString(), verbose: verbose);

    /// <summary>
    /// What a failed handshake's words mean for whoever runs the server, and whether the line is only
    /// detail (Verbose: mtls serve --verbose). Each alert's text says what the clients that send it
    /// mean by it, as observed with real peers (HandshakeFailureLineTests): the same refusal comes as a
    /// different alert from different TLS stacks.
    /// </summary>
    private static readonly (string Said, string Meaning, bool Verbose)[] Hints =
    [
        // OpenSSL clients (curl, openssl s_client) for an issuer they do not trust.
        ("alert unknown ca", "the client does not trust the CA that issued this server's certificate: give it that CA, e.g. curl --cacert server-ca.crt", false),
        // Go and GnuTLS for any refusal (an untrusted CA included); OpenSSL for a name mismatch or a certificate not valid yet.
        ("alert bad certificate", "the client refused this server's certificate: Go and GnuTLS clients say this when they do not trust its CA, any client when its names do not match the host it asked for; mtls verify server.crt --cacert server-ca.crt --host HOST tells which", false),
        // Java (PKIX path building failed) and Chromium-based browsers for an issuer they do not trust; OpenSSL for unlisted reasons.
        ("alert certificate unknown", "the client could not accept this server's certificate and did not say why: Java and Chromium-based browsers say this when they do not trust its CA (add server-ca.crt to the client's trust store), others when its names do not match the host", false),
        ("alert certificate expired", "the client says this server's certificate has expired: renew it (mtls cert renew), or check the client's clock", false),
        // OpenSSL when the extendedKeyUsage lacks serverAuth (a client certificate served as a server's).
        ("alert unsupported certificate", "the client says this certificate is not for a TLS server (no serverAuth in its extendedKeyUsage): reissue it with mtls ca sign --profile server", false),
        ("wrong version number", "the client speaks a TLS version this server does not: TLS 1.2 and 1.3 only", false),
        ("unsupported protocol", "the client speaks a TLS version this server does not: TLS 1.2 and 1.3 only", false),
        ("no shared cipher", "no cipher suite in common: this server offers forward-secret AEAD suites only", false),
        // No alert, the connection just closed: Chromium and Firefox drop their first connection after a
        // CertificateRequest (DESIGN, Platform facts), so a good visit would log one or two of these.
        ("unexpected EOF", "the client hung up during the handshake without a TLS alert; browsers do this to their first connection after the server asks for a client certificate, so one or two per visit are normal", true),
    ];

    /// <summary>The messages of the exception and its causes, each once ("alert UnknownCA: reset by peer").</summary>
    private static string? Reason(Exception? e)
    {
        var messages = new List<string>();
        for (; e is not null; e = e.InnerException)
            if (!e.Message.EndsWith("see inner exception.", StringComparison.Ordinal) && !messages.Contains(e.Message.TrimEnd('.')))
                messages.Add(e.Message.TrimEnd('.'));
        return messages.Count == 0 ? null : string.Join(": ", messages);
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public void Dispose() { }
}
