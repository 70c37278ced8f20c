using System.Globalization;
using ProxyResources = Mtls.Server.Resources.Proxy;

namespace Mtls.Server.Proxy;

/// <summary>The allow rules in words ("CN one of: web, api; URI SAN matching: spiffe://example.org/**"), for the 403, the log and the start line.</summary>
internal static class AllowSummary
{
    public static string Describe(AllowList list, CultureInfo culture)
    {
        if (list.AllowAll) return ProxyText.Get(nameof(ProxyResources.Allow_All), culture);
        var parts = new List<string>();
        Add(parts, nameof(ProxyResources.Allow_Cn), list.CommonNames, culture);
        Add(parts, nameof(ProxyResources.Allow_Ou), list.OrganizationalUnits, culture);
        Add(parts, nameof(ProxyResources.Allow_Dns), list.DnsNames, culture);
        Add(parts, nameof(ProxyResources.Allow_Uri), list.UriPatterns, culture);
        Add(parts, nameof(ProxyResources.Allow_Fingerprint), list.Fingerprints, culture);
        return string.Join("; ", parts);
    }

    private static void Add(List<string> parts, string key, IReadOnlyList<string> values, CultureInfo culture)
    {
        if (values.Count > 0) parts.Add(ProxyText.Format(key, culture, string.Join(", ", values.Select(ServerLog.Printable))));
    }
}
