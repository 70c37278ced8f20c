using System.Globalization;
using Mtls.Pki.Text;
using Mtls.Server.Resources;

namespace Mtls.Server;

/// <summary>
/// The server's sentences from its catalogue (Resources/Strings.resx and Strings.ja.resx), in a language
/// given each time. Never the generated properties of <see cref="Strings"/>: they read
/// CultureInfo.CurrentUICulture, which on Kestrel's threads is whatever the thread pool has, not the
/// server's language nor the request's. Keys are written nameof(Strings.Key), so a missing one does not compile.
/// </summary>
internal static class ServerText
{
    public static string Get(string key, CultureInfo culture) =>
        Strings.ResourceManager.GetString(key, culture) ?? throw new InvalidOperationException($"no server text {key}");

    /// <summary>The sentence with its facts (numbers and dates in the invariant form in every language).</summary>
    public static string Format(string key, CultureInfo culture, params object?[] facts) => Language.Format(Get(key, culture), facts);
}
