using System.Globalization;

namespace Mtls.Cli.Tests;

/// <summary>
/// Issue 14: every command speaks the locale's language (LANG=ja_JP.UTF-8: Japanese; LANG=C: English,
/// unchanged), with the same exit codes; the language of one command never leaks into another.
/// </summary>
public class LanguageTests : IClassFixture<BadInputTests.Pki>
{
    private readonly TempDir _d;
    public LanguageTests(BadInputTests.Pki pki) => _d = pki.Dir;

    internal static readonly Dictionary<string, string?> Japanese = new() { ["LANG"] = "ja_JP.UTF-8" };
    internal static readonly Dictionary<string, string?> C = new() { ["LANG"] = "C" };

    internal static bool HasJapanese(string line) => line.Any(c => c is >= '\u3040' and <= '\u30ff' or >= '\u4e00' and <= '\u9fff');

    private string[] MismatchedCaKey(string output) =>
        ["ca", "sign", _d["server.csr"], "--ca-cert", _d["server-ca.crt"], "--ca-key", _d["client-ca.key"], "--profile", "server", "--out", output];

    [Fact]
    public void A_ca_key_that_does_not_match_is_an_error_in_japanese_with_the_same_exit_code()
    {
        var english = Cli.RunIn(C, MismatchedCaKey(_d["lang-en.crt"]));
        var japanese = Cli.RunIn(Japanese, MismatchedCaKey(_d["lang-ja.crt"]));
        Assert.True(english.ExitCode == 2, english.ToString());
        Assert.Equal(english.ExitCode, japanese.ExitCode);
        Assert.StartsWith("mtls: error: ", english.Stderr);
        Assert.Contains("does not belong to the CA certificate", english.Stderr);
        Assert.StartsWith("mtls: エラー: ", japanese.Stderr);
        Assert.Single(japanese.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(File.Exists(_d["lang-ja.crt"]));
    }

    [Theory]
    [InlineData("key", "create", "--out", "x.key", "--bogus")] // unknown option (the ja satellite translates it)
    [InlineData("key", "create")]                               // missing required option (it does not: our catalogue)
    [InlineData("key", "create", "--out", "x.key", "--rsa", "many")] // a value of the wrong type (likewise)
    [InlineData("ca")]                                          // a group without its command
    public void A_bad_option_is_an_error_in_japanese_with_exit_code_2(params string[] args)
    {
        var english = Cli.RunIn(C, args);
        var japanese = Cli.RunIn(Japanese, args);
        Assert.True(english.ExitCode == 2, english.ToString());
        Assert.True(japanese.ExitCode == 2, japanese.ToString());
        var lines = japanese.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.True(HasJapanese(l), $"not Japanese: {l}"));
        Assert.All(lines[..^1], l => Assert.StartsWith("mtls: エラー: ", l));
        Assert.Contains("--help", lines[^1]);
    }

    [Fact]
    public void English_is_unchanged_under_lang_c()
    {
        var r = Cli.RunIn(C, "key", "create");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("mtls: error: Option '--out' is required.\nTry 'mtls key create --help'.\n", r.Stderr.ReplaceLineEndings("\n"));
        var made = Cli.RunIn(C, "key", "create", "--out", _d["lang-c.key"]);
        Assert.Equal(0, made.ExitCode);
        Assert.StartsWith($"Wrote EC P-256 private key to {_d["lang-c.key"]} (PKCS#8, mode 0600).", made.Stdout);
    }

    [Fact]
    public void The_language_of_a_command_does_not_leak_to_its_caller_or_to_commands_running_beside_it()
    {
        var before = CultureInfo.CurrentUICulture;
        Cli.RunIn(Japanese, "key", "create");
        Assert.Equal(before, CultureInfo.CurrentUICulture);

        // Commands in parallel on the thread pool's shared threads, half Japanese, half English.
        var results = Enumerable.Range(0, 40).AsParallel().WithDegreeOfParallelism(8)
            .Select(i => (Japanese: i % 2 == 0, Result: Cli.RunIn(i % 2 == 0 ? Japanese : C, "key", "create", "--bogus"))).ToList();
        foreach (var (japanese, result) in results)
            Assert.True(japanese == result.Stderr.StartsWith("mtls: エラー: "), result.ToString());
        Assert.Equal(before, CultureInfo.CurrentUICulture);
    }
}
