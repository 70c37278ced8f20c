namespace Mtls.Cli.Tests;

/// <summary>Issue 14: `mtls workshop --lang ja` writes every line of its own in Japanese.</summary>
public partial class WorkshopJapaneseTests
{
    /// <summary>Four lower-case English words in a row: a sentence, not a name, path or command.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"\b[a-z]{2,}( [a-z]{2,}){3}\b")]
    private static partial System.Text.RegularExpressions.Regex EnglishSentence();

    /// <summary>
    /// Lines that are exempt, each kind on purpose: blank lines, the underline under a title (only '='),
    /// and the lines that quote a command (the openssl/go equivalent, the curl command run), whose label is
    /// the tool's name. Every other line, including those that carry quoted curl output, server log lines,
    /// notes, names and paths, has Japanese around what it quotes.
    /// </summary>
    private static bool Exempt(string line)
    {
        var text = line.Trim();
        return text.Length == 0
            || text.All(c => c == '=')
            || text.StartsWith("openssl/go:", StringComparison.Ordinal)
            || text.StartsWith("curl:", StringComparison.Ordinal);
    }

    [Fact]
    public void Every_line_mtls_writes_is_japanese()
    {
        using var d = new TempDir();
        var r = Cli.RunIn(LanguageTests.C, "workshop", "--lang", "ja", "--fresh", "--dir", d["ws"]); // --lang wins over LANG=C
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("", r.Stderr);
        var lines = r.Stdout.ReplaceLineEndings("\n").Split('\n');
        Assert.True(lines.Length > 100, r.Stdout);
        var english = lines.Where(l => !Exempt(l) && !LanguageTests.HasJapanese(l)).ToList();
        Assert.True(english.Count == 0, "lines without Japanese:\n" + string.Join('\n', english));
        // A Japanese label is not enough: no English sentence may follow it (a note, a failure explanation,
        // the server's log line or its 403 reason). Commands ("mtls ca list ...") and the quoted output of
        // curl ("-> [curl] ...", whose HTTP body is the server's and checked by the server's tests) aside.
        var sentences = lines.Where(l => !Exempt(l) && !l.Contains("[curl]", StringComparison.Ordinal))
            .Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"mtls( [a-z]+){1,2}( --?[a-z-]+( [^ 、。]+)?)*", ""))
            .Where(l => EnglishSentence().IsMatch(l)).ToList();
        Assert.True(sentences.Count == 0, "English sentences:\n" + string.Join('\n', sentences));
        // The closing table and the summary line are the catalogue's.
        Assert.Contains(lines, l => l.StartsWith("ステップ", StringComparison.Ordinal) && l.Contains("判定"));
        Assert.Contains(lines, l => l.StartsWith("全 ", StringComparison.Ordinal) && l.Contains("想定どおりに動作しました"));
    }

    [Fact]
    public void The_locale_chooses_japanese_when_lang_is_not_given()
    {
        using var d = new TempDir();
        var r = Cli.RunIn(LanguageTests.Japanese, "workshop", "--dir", d["ws"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("結果のまとめ", r.Stdout);
    }

    [Fact]
    public void A_failure_is_told_in_the_language_asked_for()
    {
        using var d = new TempDir();
        File.WriteAllText(d["not-a-folder"], "");
        var english = Cli.RunIn(LanguageTests.Japanese, "workshop", "--lang", "en", "--dir", Path.Combine(d["not-a-folder"], "ws"));
        var japanese = Cli.RunIn(LanguageTests.C, "workshop", "--lang", "ja", "--dir", Path.Combine(d["not-a-folder"], "ws"));
        Assert.True(english.ExitCode == 2, english.ToString()); // bad usage, not an unexpected failure
        Assert.Equal(english.ExitCode, japanese.ExitCode);
        Assert.Contains("mtls: error: ", english.Stderr);
        Assert.Contains("mtls: エラー: --dir ", japanese.Stderr);
        Assert.DoesNotContain("unexpected", english.Stderr);
    }
}
