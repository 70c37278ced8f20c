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
        var hint = reason is null ? null : Hints.FirstOrDefault(h => reason.Contains(h.Said, StringComparison.OrdinalIgnoreCase)).Meaning;
        Write(log, what, Current.Value, reason is null ? null : ServerLog.Printable(reason) + (hint is null ? "" : $" ({hint})"));
    }

    /// <summary>The one shape of a HandshakeFailed line: what, with whom, and why.</summary>
    public static void Write(ServerLog log, string what, ConnectionContext? connection, string? why) =>
        log.Write(ServerLogKind.HandshakeFailed,
            $"{what} with {connection?.RemoteEndPoint?.ToString() ?? "unknown client"}" + (why is null ? "" : $": {why}"));

    // What OpenSSL's words usually mean for whoever runs the server.
    private static readonly (string Said, string Meaning)[] Hints =
    [
        ("alert unknown ca", "the client does not trust the CA that issued this server's certificate: give it that CA, e.g. curl --cacert"),
        ("alert bad certificate", "the client rejected this server's certificate"),
        ("alert certificate unknown", "the client rejected this server's certificate: does its name match the host the client asked for?"),
        ("alert certificate expired", "the client says this server's certificate has expired"),
        ("wrong version number", "the client speaks a TLS version this server does not: TLS 1.2 and 1.3 only"),
        ("unsupported protocol", "the client speaks a TLS version this server does not: TLS 1.2 and 1.3 only"),
        ("no shared cipher", "no cipher suite in common: this server offers forward-secret AEAD suites only"),
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
