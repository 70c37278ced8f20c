using System.Net;
using Mtls.Pki;
using Mtls.Pki.Text;
using ProxyResources = Mtls.Server.Resources.Proxy;

namespace Mtls.Server.Proxy;

/// <summary>
/// Turns <see cref="MtlsServer"/> into mtls proxy: instead of answering who the client is, each request
/// of a client that passed the certificate gate and the <see cref="Allow"/> rules is forwarded to
/// <see cref="Target"/> (YARP direct forwarding) with the client's identity in headers. Defaults are
/// the safe ones: the target must be on this machine, identity headers are RFC 9440 and the simple set,
/// and every incoming header a backend could take for identity is removed.
/// </summary>
public sealed class ProxyOptions
{
    /// <summary>
    /// The backend: <c>http://127.0.0.1:8080</c> (a path is a prefix put before the request's),
    /// <c>https://...</c> (trusted through the system store), or <c>unix:/path/to.sock</c> (HTTP over a Unix socket), or
    /// <c>tcp://127.0.0.1:5432</c> (TCP mode: the client's bytes both ways, no HTTP).
    /// </summary>
    public required string Target { get; init; }

    /// <summary>Who may pass (required: an empty list is a configuration error).</summary>
    public required AllowList Allow { get; init; }

    /// <summary>Identity headers sent to the backend (default RFC 9440 and the simple set).</summary>
    public IdentityHeaderSet IdentityHeaders { get; init; } = IdentityHeaderSet.Rfc9440 | IdentityHeaderSet.Simple;

    /// <summary>Also send the intermediates the client presented (Client-Cert-Chain, xfcc Chain). Default false.</summary>
    public bool ForwardChain { get; init; }

    /// <summary>How long the backend may stay silent (connect, headers, each body read) before the client gets a 504 (default 30 s).</summary>
    public TimeSpan BackendTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Time a client has to send a request's headers (default 10 s).</summary>
    public TimeSpan HeaderTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Slowest request body accepted, in bytes per second after a 5 s grace (default 240, Kestrel's); 0 turns the check off.</summary>
    public double MinBodyRate { get; init; } = 240;

    /// <summary>
    /// TCP mode only (<c>tcp://HOST:PORT</c>): send a PROXY protocol v2 header first, with the client's and the
    /// proxy's addresses and the client certificate (see <see cref="ProxyProtocolV2"/>). Default false.
    /// </summary>
    public bool ProxyProtocol { get; init; }

    /// <summary>
    /// TCP mode only (<c>tcp://HOST:PORT</c>): a tunnel through which no byte has moved either way for this long is
    /// closed (the client gets a close_notify, the backend a FIN) and logged as <see cref="ServerEvent.IdleTimeout"/>.
    /// Null: <see cref="DefaultIdleTimeout"/>; <see cref="TimeSpan.Zero"/>: tunnels may stay idle for ever.
    /// </summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>The TCP idle timeout when none is given: 5 minutes (nginx's stream proxy_timeout defaults to 10; HAProxy has no default and warns without one).</summary>
    public static TimeSpan DefaultIdleTimeout { get; } = TimeSpan.FromMinutes(5);

    /// <summary>The idle timeout in force for a TCP tunnel (zero: none).</summary>
    internal TimeSpan TcpIdleTimeout => IdleTimeout ?? DefaultIdleTimeout;

    /// <summary>
    /// Run each connection's work on the thread that saw its socket ready (Kestrel's UnsafePreferInlineScheduling)
    /// instead of handing it to the thread pool: fewer thread hops and context switches per request. Pair it with
    /// DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 (set by the process before its first socket; the mtls CLI does),
    /// so socket completions run on the epoll thread too. Anything that blocks in a request then stalls every
    /// connection of that thread: the access log is written by its own thread (the CLI's ServeOutput), the
    /// handshake's crypto is the longest step (bench/RESULTS.md, "mtls proxy: cost of one keep-alive request").
    /// Default false.
    /// </summary>
    public bool InlineScheduling { get; init; }

    /// <summary>Allow a target that is not on this machine (default false: a typo must not send identities across the network in clear).</summary>
    public bool UnsafeTarget { get; init; }

    /// <summary>Where to answer /_status and /_metrics over plain HTTP (default none); port 0 picks a free one.</summary>
    public IPEndPoint? Status { get; init; }

    /// <summary>Checks the settings once, before anything starts (an <see cref="MtlsException"/>, exit 2, in the server's language).</summary>
    internal void Validate(MtlsServerOptions server)
    {
        ArgumentNullException.ThrowIfNull(Allow);
        MtlsException Invalid(string key, params object?[] facts) => new(ProxyText.Format(key, server.Language, facts), ExitCode.BadInput);
        if (!server.RequiresClientCertificate) throw Invalid(nameof(ProxyResources.Config_NoClientCa));
        using var target = BackendTarget.Parse(Target) ?? throw Invalid(nameof(ProxyResources.Config_BadTarget), Target);
        if (ProxyProtocol && !target.IsTcp)
            throw new MtlsException(Language.Format(Resources.Tcp.ResourceManager.GetString(nameof(Resources.Tcp.Config_ProxyProtocolNeedsTcp), server.Language)!, Target),
                ExitCode.BadInput);
        if (IdleTimeout is { } idle)
        {
            string IdleText(string key) => Language.Format(Resources.TcpIdle.ResourceManager.GetString(key, server.Language)!, key == nameof(Resources.TcpIdle.Config_IdleTimeoutNeedsTcp) ? Target : idle);
            if (idle < TimeSpan.Zero) throw new MtlsException(IdleText(nameof(Resources.TcpIdle.Config_IdleTimeoutNegative)), ExitCode.BadInput);
            if (!target.IsTcp) throw new MtlsException(IdleText(nameof(Resources.TcpIdle.Config_IdleTimeoutNeedsTcp)), ExitCode.BadInput);
        }
        if (!target.IsLoopback && !UnsafeTarget) throw Invalid(nameof(ProxyResources.Config_RemoteTarget), Target);
        if (Allow.IsEmpty) throw Invalid(nameof(ProxyResources.Config_NoAllowRule));
        foreach (var fingerprint in Allow.Fingerprints)
            if (!AllowRules.IsFingerprint(fingerprint)) throw Invalid(nameof(ProxyResources.Config_BadFingerprint), fingerprint);
        foreach (var pattern in Allow.UriPatterns)
            if (!pattern.Contains(':', StringComparison.Ordinal) || pattern.Any(char.IsWhiteSpace)) throw Invalid(nameof(ProxyResources.Config_BadUriPattern), pattern);
        if (BackendTimeout <= TimeSpan.Zero) throw Invalid(nameof(ProxyResources.Config_BackendTimeout), BackendTimeout);
        if (HeaderTimeout <= TimeSpan.Zero) throw Invalid(nameof(ProxyResources.Config_HeaderTimeout), HeaderTimeout);
        if (MinBodyRate < 0 || double.IsNaN(MinBodyRate)) throw Invalid(nameof(ProxyResources.Config_MinBodyRate), MinBodyRate);
    }
}
