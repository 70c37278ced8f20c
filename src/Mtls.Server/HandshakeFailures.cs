using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Mtls.Server.Resources;

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
            "AuthenticationFailed" => nameof(Strings.Handshake_Failed),
            "AuthenticationTimedOut" => nameof(Strings.Handshake_TimedOut),
            _ => null,
        };
        if (what is null) return;
        var reason = Reason(exception);
        var hint = reason is null ? default : Hints.FirstOrDefault(h => reason.Contains(h.Said, StringComparison.OrdinalIgnoreCase));
        Write(log, what, Current.Value, reason is null ? null : ServerLog.Printable(reason) + (hint.Meaning is null ? "" : $" ({log.Say(hint.Meaning)})"), hint.Verbose);
    }

    /// <summary>
    /// The one shape of a HandshakeFailed line: what (a catalogue key whose {0} is the client), with whom,
    /// and why. The words the TLS stack said stay as it said them: they are what a search finds.
    /// </summary>
    public static void Write(ServerLog log, string whatKey, ConnectionContext? connection, string? why, bool verbose = false)
    {
        var remote = connection?.RemoteEndPoint?.ToString();
        log.Write(ServerEvent.HandshakeFailed,
            log.Say(whatKey, remote ?? log.Say(nameof(Strings.Handshake_UnknownClient))) + (why is null ? "" : $": {why}"),
            remote: remote, verbose: verbose);
    }

    /// <summary>
    /// What a failed handshake's words mean for whoever runs the server (a catalogue key), and whether the line is only
    /// detail (Verbose: mtls serve --verbose). Each alert's text says what the clients that send it
    /// mean by it, as observed with real peers (HandshakeFailureLineTests): the same refusal comes as a
    /// different alert from different TLS stacks.
    /// </summary>
    private static readonly (string Said, string Meaning, bool Verbose)[] Hints =
    [
        // OpenSSL clients (curl, openssl s_client) for an issuer they do not trust.
        ("alert unknown ca", nameof(Strings.Hint_UnknownCa), false),
        // Go and GnuTLS for any refusal (an untrusted CA included); OpenSSL for a name mismatch or a certificate not valid yet.
        ("alert bad certificate", nameof(Strings.Hint_BadCertificate), false),
        // Java (PKIX path building failed) and Chromium-based browsers for an issuer they do not trust; OpenSSL for unlisted reasons.
        ("alert certificate unknown", nameof(Strings.Hint_CertificateUnknown), false),
        ("alert certificate expired", nameof(Strings.Hint_CertificateExpired), false),
        // OpenSSL when the extendedKeyUsage lacks serverAuth (a client certificate served as a server's).
        ("alert unsupported certificate", nameof(Strings.Hint_UnsupportedCertificate), false),
        ("wrong version number", nameof(Strings.Hint_TlsVersion), false),
        ("unsupported protocol", nameof(Strings.Hint_TlsVersion), false),
        ("no shared cipher", nameof(Strings.Hint_NoSharedCipher), false),
        // No alert, the connection just closed: Chromium and Firefox drop their first connection after a
        // CertificateRequest (DESIGN, Platform facts), so a good visit would log one or two of these.
        ("unexpected EOF", nameof(Strings.Hint_UnexpectedEof), true),
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
