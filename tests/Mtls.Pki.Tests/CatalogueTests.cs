using System.Text.RegularExpressions;
using System.Xml.Linq;
using Mtls.Pki.Text;

namespace Mtls.Pki.Tests;

/// <summary>
/// The message catalogue (every src/*/Resources/*.resx and its .ja.resx twin): each key in both languages,
/// the same placeholders in both, and a Japanese text that is not the English one left in place.
/// </summary>
public partial class CatalogueTests
{
    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "mtls.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException("mtls.slnx not found above the test assembly");
    }

    public static TheoryData<string> Catalogues()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoRoot(), "src"), "*.resx", SearchOption.AllDirectories)
                     .Where(f => !f.Contains("/obj/") && !f.Contains("/bin/") && !f.EndsWith(".ja.resx", StringComparison.Ordinal)))
            data.Add(Path.GetRelativePath(RepoRoot(), file));
        return data;
    }

    private static Dictionary<string, string> Read(string path) =>
        XDocument.Load(path).Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!);

    [GeneratedRegex(@"\{(\d+)(?:[,:][^}]*)?\}")]
    private static partial Regex Placeholder();

    private static string[] Placeholders(string text) =>
        [.. Placeholder().Matches(text).Select(m => m.Groups[1].Value).Distinct().Order()];

    [Fact]
    public void There_is_a_catalogue() => Assert.NotEmpty(Catalogues());

    [Theory]
    [MemberData(nameof(Catalogues))]
    public void Every_key_has_both_languages_and_the_same_placeholders(string catalogue)
    {
        var root = RepoRoot();
        var english = Read(Path.Combine(root, catalogue));
        var japanesePath = Path.Combine(root, catalogue[..^".resx".Length] + ".ja.resx");
        Assert.True(File.Exists(japanesePath), $"{catalogue} has no .ja.resx twin");
        var japanese = Read(japanesePath);

        Assert.Empty(english.Keys.Except(japanese.Keys)); // English keys missing in Japanese
        Assert.Empty(japanese.Keys.Except(english.Keys)); // Japanese keys with no English original
        foreach (var (key, en) in english)
        {
            var ja = japanese[key];
            Assert.True(Placeholders(en).SequenceEqual(Placeholders(ja)), $"{catalogue} {key}: placeholders differ: \"{en}\" / \"{ja}\"");
            Assert.False(string.IsNullOrWhiteSpace(ja), $"{catalogue} {key}: empty Japanese text");
            if (en.Any(char.IsAsciiLetterLower))
                Assert.True(ja.Any(c => c >= 0x3040), $"{catalogue} {key}: the Japanese text has no Japanese in it: \"{ja}\"");
        }
    }

    [Theory]
    [InlineData(null, null, null, "en")]
    [InlineData("C", null, "ja_JP.UTF-8", "en")]          // LC_ALL decides
    [InlineData(null, null, "ja_JP.UTF-8", "ja")]
    [InlineData(null, "ja_JP.UTF-8", "en_US.UTF-8", "ja")] // LC_MESSAGES before LANG
    [InlineData("", null, "ja", "ja")]                    // empty counts as unset
    [InlineData(null, null, "POSIX", "en")]
    [InlineData(null, null, "jav_ID", "en")]               // Javanese is not Japanese
    public void The_language_follows_the_locale_variables(string? lcAll, string? lcMessages, string? lang, string expected)
    {
        var env = new Dictionary<string, string?> { ["LC_ALL"] = lcAll, ["LC_MESSAGES"] = lcMessages, ["LANG"] = lang };
        var chosen = Language.FromEnvironment(n => env.GetValueOrDefault(n));
        Assert.Equal(expected, Language.IsJapanese(chosen) ? "ja" : "en");
    }

    [Theory]
    [InlineData(null, "en")]
    [InlineData("ja", "ja")]
    [InlineData("ja-JP,ja;q=0.9,en-US;q=0.8,en;q=0.7", "ja")] // Chromium with Japanese first
    [InlineData("en-US,en;q=0.9,ja;q=0.8", "en")]
    [InlineData("fr-FR,ja;q=0.5", "ja")]
    [InlineData("fr-FR", "en")]                               // none of ours: the server's language
    [InlineData("ja;q=0", "en")]
    public void The_page_language_follows_accept_language(string? header, string expected)
    {
        var chosen = Language.FromAcceptLanguage(header, Language.English);
        Assert.Equal(expected, Language.IsJapanese(chosen) ? "ja" : "en");
    }

    [Fact]
    public void A_japanese_satellite_is_found_with_invariant_globalization()
    {
        Assert.Equal("clientAuth (TLS client)", Resources.Strings.ResourceManager.GetString("Purpose_Client", Language.English));
        Assert.Equal("clientAuth (TLS クライアント)", Resources.Strings.ResourceManager.GetString("Purpose_Client", Language.Japanese));
    }
}
