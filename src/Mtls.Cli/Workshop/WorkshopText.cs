using System.Globalization;
using Mtls.Pki.Text;

namespace Mtls.Cli.Workshop;

/// <summary>
/// Every sentence the workshop prints, from the Workshop catalogue (Resources/Workshop.resx and its
/// Japanese twin, which follows the seed's own terms: 認証局, サーバー証明書, クライアント証明書, 秘密鍵, CSR).
/// </summary>
internal sealed class WorkshopText(CultureInfo culture)
{
    public CultureInfo Culture { get; } = culture;

    // Tool names as labels: the same in every language, so not in the catalogue (it requires Japanese text).
    private static readonly Dictionary<string, string> Untranslated = new() { ["openssl"] = "openssl/go", ["curl"] = "curl" };

    public string this[string key] => Untranslated.TryGetValue(key, out var label) ? label
        : Resources.Workshop.ResourceManager.GetString(key, Culture) ?? throw new KeyNotFoundException($"Workshop catalogue has no '{key}'");

    public string F(string key, params object[] args) => Language.Format(this[key], args);
}
