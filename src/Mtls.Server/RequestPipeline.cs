using Microsoft.AspNetCore.Http;

namespace Mtls.Server;

/// <summary>
/// Every request, in one delegate: the security headers, the client-certificate gate, the answer and
/// the log line. One method instead of a middleware each: the keep-alive profile counted four async
/// state machines and delegate hops per request for work that never awaits anything but the answer's
/// write (bench/RESULTS.md, "Notes on this session's keep-alive work"). The order is the old middleware order: a refused client gets its 403 and a
/// "rejected" line, never the answer or a "request" line. The line is logged before the answer is
/// written, as the refusal's is: once a client has its answer it may send its next request, and that
/// request's line must come after this one (the log is in the order of the events).
/// </summary>
/// <remarks>
/// With an <paramref name="application"/> (mtls proxy) the gate is the same, and what lies behind it
/// answers instead of the hello: the backend's answers get none of our security headers (they would
/// rewrite the backend's policy), only our own answers do. A request on a connection without facts
/// came to the plain-HTTP status listener (<paramref name="status"/>).
/// </remarks>
internal sealed class RequestPipeline(ClientCertificateGate? gate, IdleMemoryTrim? trim, ServerLog log,
    IRequestApplication? application = null, Proxy.StatusEndpoint? status = null)
{
    public Task InvokeAsync(HttpContext context)
    {
        trim?.Touch();
        if (application is not null || status is not null) return Apply(context);
        SecurityHeaders.Apply(context.Response.Headers);
        var connection = ConnectionFacts.Of(context);
        if (gate?.Refusal(connection) is { } refusal)
            return gate.RefuseAsync(context, connection, refusal);
        Log(context, connection);
        return HelloResponse.WriteAsync(context, connection, log.Culture);
    }

    private Task Apply(HttpContext context)
    {
        if (status is not null && context.Features.Get<ConnectionFacts>() is null) return status.InvokeAsync(context);
        var connection = ConnectionFacts.Of(context);
        if (gate?.Refusal(connection) is { } refusal)
        {
            SecurityHeaders.Apply(context.Response.Headers);
            return gate.RefuseAsync(context, connection, refusal);
        }
        return application!.AnswerAsync(context, connection);
    }

    private void Log(HttpContext context, ConnectionFacts connection)
    {
        var status = context.Response.StatusCode; // the answer's, set before it is written (the hello answer: 200)
        log.Write(ServerEvent.Request, null, connection.Client, connection.Remote, context.Request.Method,
            ServerLog.Printable(context.Request.Path.ToString()), status);
    }
}
