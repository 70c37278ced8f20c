using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Mtls.Pki.Text;
using Yarp.ReverseProxy.Forwarder;

namespace Mtls.Server.Proxy;

/// <summary>
/// mtls proxy's application behind the gate: the allow rules (decided once per connection), the
/// spoofable headers removed, the request forwarded with YARP (identity headers added by
/// <see cref="ProxyTransformer"/>), and a failed backend turned into a 502 or 504 that names the target
/// and the error. A client the rules do not admit gets a 403 saying which rules would; the backend never
/// hears of it.
/// </summary>
internal sealed class ProxyApplication : IRequestApplication
{
    private readonly ProxyOptions _options;
    private readonly AllowRules _rules;
    private readonly BackendTarget _target;
    private readonly IHttpForwarder _forwarder;
    private readonly ServerLog _log;
    private readonly ProxyTransformer _transformer = new();
    private readonly ForwarderRequestConfig _config;
    private readonly ForwarderRequestConfig _grpc;

    public ProxyApplication(ProxyOptions options, AllowRules rules, BackendTarget target, IHttpForwarder forwarder, ServerLog log)
    {
        _options = options;
        _rules = rules;
        _target = target;
        _forwarder = forwarder;
        _log = log;
        // HTTP/1.1 to the backend (a plain http:// backend cannot negotiate HTTP/2); gRPC needs HTTP/2, so its
        // requests go as h2c (prior knowledge), as every gRPC server listening on cleartext expects.
        _config = new ForwarderRequestConfig
        {
            ActivityTimeout = options.BackendTimeout,
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        _grpc = _config with { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
    }

    public Task AnswerAsync(HttpContext context, ConnectionFacts connection)
    {
        var proxy = connection.Proxy ??= Decide(connection);
        if (!proxy.Allow.Allowed) return RefuseAsync(context, connection);
        SpoofableHeaders.Strip(context.Request.Headers);
        return ForwardAsync(context, connection);
    }

    private ProxyConnection Decide(ConnectionFacts connection)
    {
        // The gate let the request through, so the connection has a valid certificate.
        var verdict = connection.Verdict!;
        var allow = _rules.Evaluate(verdict.Leaf);
        return new ProxyConnection(allow, allow.Allowed ? IdentityHeaders.For(verdict.Leaf, verdict.Sent, _options.IdentityHeaders, _options.ForwardChain) : []);
    }

    private async Task ForwardAsync(HttpContext context, ConnectionFacts connection)
    {
        var request = context.Request;
        var grpc = request.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);
        var error = await _forwarder.SendAsync(context, _target.Prefix, _target.Invoker!, grpc ? _grpc : _config, _transformer);
        var path = ServerLog.Printable(request.Path.ToString());
        if (error == ForwarderError.None || IsClientSide(error))
        {
            _log.Write(ServerEvent.Request, null, connection.Client, connection.Remote, request.Method, path, context.Response.StatusCode);
            return;
        }
        var cause = Cause(context.Features.Get<IForwarderErrorFeature>()?.Exception, error);
        var status = context.Response.HasStarted ? context.Response.StatusCode
            : error == ForwarderError.RequestTimedOut ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status502BadGateway;
        var key = context.Response.HasStarted ? nameof(Resources.Proxy.Backend_BrokeOff)
            : error == ForwarderError.RequestTimedOut ? nameof(Resources.Proxy.Backend_TimedOut)
            : nameof(Resources.Proxy.Backend_Failed);
        _log.Write(ServerEvent.BackendFailed, _log.Say(nameof(Resources.Strings.Rejected_Log), request.Method, path, connection.Remote,
                ProxyText.Format(key, _log.Culture, _target.Display, cause, ProxyText.Seconds(_options.BackendTimeout))),
            connection.Client, connection.Remote, request.Method, path, status, error.ToString());
        if (context.Response.HasStarted) return; // YARP has aborted the client's response: nothing more can be said
        var culture = Language.FromAcceptLanguage(request.Headers.AcceptLanguage.ToString(), _log.Culture);
        context.Response.Clear();
        context.Response.StatusCode = status;
        SecurityHeaders.Apply(context.Response.Headers);
        await HelloResponse.WriteRefusalAsync(context, status, status == StatusCodes.Status504GatewayTimeout ? "Gateway Timeout" : "Bad Gateway",
            ProxyText.Format(key, culture, _target.Display, cause, ProxyText.Seconds(_options.BackendTimeout)), culture);
    }

    /// <summary>Errors on the client's side (it went away or sent a broken body): not the backend's fault.</summary>
    private static bool IsClientSide(ForwarderError error)
    {
        var name = error.ToString();
        return name.EndsWith("Canceled", StringComparison.Ordinal) || name.EndsWith("Client", StringComparison.Ordinal);
    }

    /// <summary>The most telling message of the exception chain: the socket's ("Connection refused (127.0.0.1:8080)") when there is one.</summary>
    private static string Cause(Exception? e, ForwarderError error)
    {
        for (var x = e; x is not null; x = x.InnerException)
            if (x is SocketException) return x.Message;
        return e?.Message ?? error.ToString();
    }

    private Task RefuseAsync(HttpContext context, ConnectionFacts connection)
    {
        var request = context.Request;
        var culture = Language.FromAcceptLanguage(request.Headers.AcceptLanguage.ToString(), _log.Culture);
        var subject = connection.Client?.Subject ?? "";
        var path = ServerLog.Printable(request.Path.ToString());
        _log.Write(ServerEvent.NotAllowed, _log.Say(nameof(Resources.Strings.Rejected_Log), request.Method, path, connection.Remote,
                ProxyText.Format(nameof(Resources.Proxy.NotAllowed_Log), _log.Culture, subject, AllowSummary.Describe(_rules.List, _log.Culture))),
            connection.Client, connection.Remote, request.Method, path, StatusCodes.Status403Forbidden, "NotAllowed");
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        SecurityHeaders.Apply(context.Response.Headers);
        context.Response.Headers["X-Mtls-Reject-Reason"] = "NotAllowed";
        return HelloResponse.WriteRefusalAsync(context, StatusCodes.Status403Forbidden, "Forbidden",
            ProxyText.Format(nameof(Resources.Proxy.Refusal_NotAllowed), culture, subject, AllowSummary.Describe(_rules.List, culture)), culture);
    }
}
