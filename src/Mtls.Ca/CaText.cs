using System.Globalization;
using Mtls.Ca.Resources;

namespace Mtls.Ca;

/// <summary>The CA's sentences (Resources/CaServer.resx and its .ja twin) by key, in a culture.</summary>
internal static class CaText
{
    public static string Format(string key, CultureInfo? culture, params object?[] facts)
    {
        var format = CaServer.ResourceManager.GetString(key, culture ?? CultureInfo.CurrentUICulture) ?? key;
        return facts.Length == 0 ? format : string.Format(CultureInfo.InvariantCulture, format, facts);
    }

    public static string Say(string key, params object?[] facts) => Format(key, null, facts);
}
