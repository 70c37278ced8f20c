using Microsoft.AspNetCore.Http;

namespace Mtls.Server;

/// <summary>
/// Response headers that keep a browser from doing anything clever with our pages: the HTML answer
/// shows attacker-chosen certificate names (escaped, HostileIdentityTests), and these headers are the
/// second line of defence (no scripts, no framing, no MIME sniffing, nothing cached or referred).
/// No Strict-Transport-Security: the usual host is localhost, and HSTS pins a host name on every
/// port for its max-age, which would break the developer's other http://localhost services
/// (README, Security choices; testssl.sh rates its absence LOW).
/// </summary>
internal static class SecurityHeaders
{
    // The pages' one style sheet is allowed by its hash; nothing else (no script, no other style, no fetch).
    private static readonly string Policy = $"default-src 'none'; style-src {BrowserPage.StyleSource}; frame-ancestors 'none'";

    public static void Apply(IHeaderDictionary headers)
    {
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
    }
}
