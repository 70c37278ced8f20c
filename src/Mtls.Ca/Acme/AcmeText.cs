using System.Globalization;
using Mtls.Pki.Text;

namespace Mtls.Ca.Acme;

/// <summary>
/// ACME's sentences from Resources/Acme.resx (+ .ja.resx), in a language given each time (never the
/// thread's culture: Kestrel's threads have none of ours).
/// </summary>
public static class AcmeText
{
    public static string Get(string key, CultureInfo culture) =>
        Resources.Acme.ResourceManager.GetString(key, culture) ?? throw new InvalidOperationException($"no ACME text {key}");

    public static string Format(string key, CultureInfo culture, params object?[] facts) => Language.Format(Get(key, culture), facts);
}
