using Microsoft.AspNetCore.Http;

namespace Mtls.Server.Proxy;

/// <summary>
/// Incoming headers a backend could take for the proxy's word about the client: Client-Cert*,
/// X-Client-*, X-Forwarded-*, Forwarded, X-SSL-Client-*, SSL-Client-*, in any case and with '_' for
/// '-' (CGI, WSGI, PHP and nginx's underscores_in_headers all read X_Client_Subject as X-Client-Subject).
/// Removed from every request before it is forwarded, whether or not the client sent a certificate;
/// the proxy then sets its own. Request trailers never reach the backend: YARP does not forward them.
/// </summary>
internal static class SpoofableHeaders
{
    private static readonly string[] Prefixes = ["client-cert", "x-client-", "x-forwarded-", "x-ssl-client-", "ssl-client-"];

    public static bool IsSpoofable(string name)
    {
        if (name.Length == 0) return false;
        // Every pattern starts with c, f, s or x: most headers are dismissed on their first letter.
        var first = (char)(name[0] | 0x20);
        if (first is not ('c' or 'f' or 's' or 'x')) return false;
        if (Same(name, "forwarded")) return true;
        foreach (var prefix in Prefixes)
            if (name.Length >= prefix.Length && StartsWith(name, prefix)) return true;
        return false;
    }

    /// <summary>Removes every spoofable header from a request's headers (duplicates included: Kestrel merges them under one name).</summary>
    public static void Strip(IHeaderDictionary headers)
    {
        List<string>? found = null;
        foreach (var header in headers)
            if (IsSpoofable(header.Key)) (found ??= []).Add(header.Key);
        if (found is null) return;
        foreach (var name in found) headers.Remove(name);
    }

    private static bool Same(string name, string lower) => name.Length == lower.Length && StartsWith(name, lower);

    /// <summary>Case-insensitive ASCII prefix test where '_' in the name counts as '-'.</summary>
    private static bool StartsWith(string name, string lowerPrefix)
    {
        for (var i = 0; i < lowerPrefix.Length; i++)
        {
            var c = name[i];
            if (c == '_') c = '-';
            else if (c is >= 'A' and <= 'Z') c = (char)(c | 0x20);
            if (c != lowerPrefix[i]) return false;
        }
        return true;
    }
}
