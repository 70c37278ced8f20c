using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Mtls.Server.Proxy;

/// <summary>
/// mtls proxy's plain-HTTP side door (--status ADDR), for health checks and Prometheus: /_status
/// answers 200 when the backend accepts a connection and 503 with the reason when it does not;
/// /_metrics is the Prometheus text format of <see cref="ServerCounters"/>. No client certificate:
/// it says nothing about clients beyond counts, and it listens where the operator puts it.
/// </summary>
internal sealed class StatusEndpoint(BackendTarget target, ProxyOptions options, ServerLog log)
{
    private static readonly TimeSpan MaxProbe = TimeSpan.FromSeconds(5);

    public async Task InvokeAsync(HttpContext context)
    {
        var response = context.Response;
        response.Headers.CacheControl = "no-store";
        switch (context.Request.Path.Value)
        {
            case "/_status":
                var timeout = options.BackendTimeout < MaxProbe ? options.BackendTimeout : MaxProbe;
                var problem = await target.ProbeAsync(timeout, log.Culture);
                response.StatusCode = problem is null ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
                response.ContentType = "text/plain; charset=utf-8";
                await response.WriteAsync(problem is null
                    ? ProxyText.Format(nameof(Resources.Proxy.Status_Up), log.Culture, target.Display) + "\n"
                    : ProxyText.Format(nameof(Resources.Proxy.Status_Down), log.Culture, target.Display, problem) + "\n");
                return;
            case "/_metrics":
                response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                await response.WriteAsync(Metrics(log.Counters));
                return;
            default:
                response.StatusCode = StatusCodes.Status404NotFound;
                response.ContentType = "text/plain; charset=utf-8";
                await response.WriteAsync(ProxyText.Get(nameof(Resources.Proxy.Status_NotFound), log.Culture) + "\n");
                return;
        }
    }

    /// <summary>The counters in Prometheus' text exposition format (version 0.0.4).</summary>
    public static string Metrics(ServerCounters counters)
    {
        var sb = new StringBuilder();
        Counter(sb, "mtls_requests_total", "Requests answered (forwarded to the backend, or answered 502/504 for it).",
            counters.Count(ServerEvent.Request) + counters.Count(ServerEvent.BackendFailed));
        sb.Append("# HELP mtls_refusals_total Clients refused, by reason (a certificate failure, NotAllowed, PlainHttp).\n# TYPE mtls_refusals_total counter\n");
        foreach (var (reason, n) in counters.Refusals.OrderBy(r => r.Key, StringComparer.Ordinal))
            sb.Append(CultureInfo.InvariantCulture, $"mtls_refusals_total{{reason=\"{reason}\"}} {n}\n");
        Counter(sb, "mtls_handshakes_total", "TLS handshakes completed.", counters.Handshakes);
        Counter(sb, "mtls_handshake_failures_total", "TLS handshakes that failed or timed out.", counters.Count(ServerEvent.HandshakeFailed));
        sb.Append("# HELP mtls_backend_errors_total Requests the backend failed, by kind (YARP's ForwarderError).\n# TYPE mtls_backend_errors_total counter\n");
        foreach (var (kind, n) in counters.BackendErrors.OrderBy(r => r.Key, StringComparer.Ordinal))
            sb.Append(CultureInfo.InvariantCulture, $"mtls_backend_errors_total{{error=\"{kind}\"}} {n}\n");
        Counter(sb, "mtls_reloads_total", "Watched files reloaded (CRLs, the server certificate and key).", counters.Count(ServerEvent.Reloaded));
        Counter(sb, "mtls_reload_failures_total", "Changed files that could not be used.", counters.Count(ServerEvent.ReloadFailed));
        return sb.ToString();
    }

    private static void Counter(StringBuilder sb, string name, string help, long value) =>
        sb.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n");
}
