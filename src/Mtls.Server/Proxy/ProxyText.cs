using System.Globalization;
using Mtls.Pki.Text;
using ProxyResources = Mtls.Server.Resources.Proxy;

namespace Mtls.Server.Proxy;

/// <summary>mtls proxy's sentences (Resources/Proxy.resx and its .ja twin) in a language given each time, as <see cref="ServerText"/>.</summary>
internal static class ProxyText
{
    public static string Get(string key, CultureInfo culture) =>
        ProxyResources.ResourceManager.GetString(key, culture) ?? throw new InvalidOperationException($"no proxy text {key}");

    public static string Format(string key, CultureInfo culture, params object?[] facts) => Language.Format(Get(key, culture), facts);

    /// <summary>"2s", "0.5s": a duration as messages show it, the same in every language.</summary>
    public static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
}
