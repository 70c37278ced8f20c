namespace Mtls.Cli.Tests;

/// <summary>
/// Issue 14: under LANG=ja_JP.UTF-8 every command other than serve, verify and get (their own tests)
/// tells what it did in Japanese: each line of its output has Japanese in it, except the kinds listed in
/// <see cref="Exempt"/>.
/// </summary>
public class CommandsJapaneseTests
{
    /// <summary>
    /// Exempt, on purpose: PEM (the public key cert show and csr show print), the SHA-256 fingerprint line,
    /// and crl show's entries (serial, date, RFC 5280 reason name). ca list's table is not exempt: its header
    /// and status words are Japanese (its --json keeps English field names and values, an API).
    /// </summary>
    private static bool Exempt(string line) =>
        line.Length == 0
        || line.StartsWith("-----", StringComparison.Ordinal) || System.Text.RegularExpressions.Regex.IsMatch(line, "^[A-Za-z0-9+/=]{40,}$|^[A-Za-z0-9+/=]+$")
        || line.StartsWith("SHA-256:", StringComparison.Ordinal)
        || System.Text.RegularExpressions.Regex.IsMatch(line, @"^  [0-9A-F:]+  \d{4}-");

    private static string Run(params string[] args)
    {
        var r = Cli.RunIn(LanguageTests.Japanese, args);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("", r.Stderr);
        var english = r.Stdout.ReplaceLineEndings("\n").Split('\n').Where(l => !Exempt(l) && !LanguageTests.HasJapanese(l)).ToList();
        Assert.True(english.Count == 0, $"mtls {string.Join(' ', args)}: lines without Japanese:\n" + string.Join('\n', english));
        return r.Stdout;
    }

    [Fact]
    public void Every_command_tells_what_it_did_in_japanese()
    {
        using var d = new TempDir();
        File.WriteAllText(d["p12.pass"], "secret\n");
        Run("ca", "create", "--subject", "/CN=ca.client.example.com", "--out", d["client-ca.crt"], "--key-out", d["client-ca.key"]);
        Run("ca", "create", "--subject", "/CN=Issuing", "--parent-cert", d["client-ca.crt"], "--parent-key", d["client-ca.key"], "--out", d["issuing.crt"], "--key-out", d["issuing.key"]);
        Run("key", "create", "--out", d["client.key"]);
        Run("csr", "create", "--key", d["client.key"], "--subject", "/CN=Super Client", "--san", "EMAIL:a@example.com", "--out", d["client.csr"]);
        Run("csr", "show", d["client.csr"]);
        var signed = Run("ca", "sign", d["client.csr"], "--ca-cert", d["client-ca.crt"], "--ca-key", d["client-ca.key"], "--profile", "client", "--out", d["client.crt"]);
        Assert.Contains("クライアント証明書", signed);
        Run("cert", "show", d["client.crt"]);
        Run("cert", "p12", "--cert", d["client.crt"], "--key", d["client.key"], "--password-file", d["p12.pass"], "--out", d["client.p12"]);
        Run("cert", "renew", d["client.crt"], "--ca-cert", d["client-ca.crt"], "--ca-key", d["client-ca.key"], "--out", d["client2.crt"]);
        Run("ca", "revoke", d["client2.crt"], "--ca-cert", d["client-ca.crt"], "--ca-key", d["client-ca.key"]);
        Run("ca", "revoke", d["client2.crt"], "--ca-cert", d["client-ca.crt"], "--ca-key", d["client-ca.key"]); // already revoked
        Run("ca", "crl", "--ca-cert", d["client-ca.crt"], "--ca-key", d["client-ca.key"], "--out", d["client-ca.crl"]);
        Run("crl", "show", d["client-ca.crl"], "--ca-cert", d["client-ca.crt"]);
        Run("ca", "list", "--ca-cert", d["client-ca.crt"]);
        Run("ca", "list", "--ca-cert", d["issuing.crt"]); // empty
    }

    [Fact]
    public void Ca_list_table_speaks_japanese_lined_up_and_its_json_stays_english()
    {
        using var d = new TempDir();
        Run("ca", "create", "--subject", "/CN=ca", "--out", d["ca.crt"], "--key-out", d["ca.key"]);
        Run("key", "create", "--out", d["a.key"]);
        Run("csr", "create", "--key", d["a.key"], "--subject", "/CN=a.example", "--out", d["a.csr"]);
        Run("ca", "sign", d["a.csr"], "--ca-cert", d["ca.crt"], "--ca-key", d["ca.key"], "--profile", "server", "--days", "10", "--out", d["a.crt"]);
        Run("ca", "sign", d["a.csr"], "--ca-cert", d["ca.crt"], "--ca-key", d["ca.key"], "--profile", "server", "--days", "100", "--out", d["b.crt"]);
        Run("ca", "revoke", d["b.crt"], "--ca-cert", d["ca.crt"], "--ca-key", d["ca.key"]);

        var lines = Run("ca", "list", "--ca-cert", d["ca.crt"]).ReplaceLineEndings("\n").Split('\n');
        Assert.StartsWith("状態 ", lines[0]);
        Assert.Contains("シリアル番号", lines[0]);
        Assert.StartsWith("期限間近 ", lines[1]);
        Assert.StartsWith("失効 ", lines[2]);
        // Columns line up in a terminal (a Japanese character takes two columns): the serial starts where its header does.
        var serialColumn = Output.DisplayWidth.Of(lines[0][..lines[0].IndexOf("シリアル番号", StringComparison.Ordinal)]);
        foreach (var row in lines[1..3])
            Assert.Matches("^[0-9A-F]{32} ", row[Enumerable.Range(0, row.Length).First(i => Output.DisplayWidth.Of(row[..i]) == serialColumn)..]);

        var json = Cli.RunIn(LanguageTests.Japanese, "ca", "list", "--ca-cert", d["ca.crt"], "--json");
        using var doc = System.Text.Json.JsonDocument.Parse(json.Stdout);
        Assert.Equal(["expiring", "revoked"], doc.RootElement.EnumerateArray().Select(e => e.GetProperty("status").GetString()));
    }

    [Theory]
    [InlineData("serve", true)]
    [InlineData("verify", true)]
    [InlineData("get", false)]
    [InlineData("ca sign", true)]
    [InlineData("proxy", true)]
    [InlineData("ca serve", true)]
    [InlineData("ca token", true)]
    [InlineData("ca report", true)]
    [InlineData("enroll", true)]
    [InlineData("trust install", false)]
    [InlineData("cert renew", false)]
    public void Help_is_japanese_down_to_system_commandlines_own_words(string command, bool hasRequired)
    {
        var ja = Cli.RunIn(LanguageTests.Japanese, [.. command.Split(' '), "--help"]);
        Assert.Equal(0, ja.ExitCode);
        Assert.StartsWith("説明:", ja.Stdout);
        Assert.DoesNotContain("Description:", ja.Stdout);
        Assert.DoesNotContain("(REQUIRED)", ja.Stdout);
        Assert.DoesNotContain("[default:", ja.Stdout);
        Assert.Equal(hasRequired, ja.Stdout.Contains("(必須)", StringComparison.Ordinal));
        // Every option's description is Japanese (the flags themselves are not translated).
        var options = ja.Stdout.ReplaceLineEndings("\n").Split('\n').SkipWhile(l => l != "オプション:").Skip(1).TakeWhile(l => l.Length > 0).ToList();
        Assert.NotEmpty(options);
        Assert.All(options, l => Assert.True(LanguageTests.HasJapanese(l), $"mtls {command} --help: {l}"));

        var en = Cli.RunIn(new Dictionary<string, string?> { ["LANG"] = "C" }, [.. command.Split(' '), "--help"]);
        Assert.StartsWith("Description:", en.Stdout);
        Assert.Equal(hasRequired, en.Stdout.Contains("(REQUIRED)", StringComparison.Ordinal));
        Assert.False(LanguageTests.HasJapanese(en.Stdout), en.Stdout);
    }

    [Fact]
    public void Serve_help_keeps_required_labels_lined_up_in_japanese()
    {
        var lines = Cli.RunIn(LanguageTests.Japanese, "serve", "--help").Stdout.ReplaceLineEndings("\n").Split('\n');
        var cert = lines.Single(l => l.StartsWith("  --cert ", StringComparison.Ordinal));
        var chain = lines.Single(l => l.StartsWith("  --chain ", StringComparison.Ordinal));
        static int DescriptionColumn(string line)
        {
            var start = line.IndexOf("  ", 2, StringComparison.Ordinal);
            while (line[start] == ' ') start++;
            return Output.DisplayWidth.Of(line[..start]);
        }
        Assert.Equal(DescriptionColumn(chain), DescriptionColumn(cert));
    }

    [Fact]
    public void Cli_side_errors_are_japanese_too()
    {
        using var d = new TempDir();
        var days = Cli.RunIn(LanguageTests.Japanese, "ca", "create", "--subject", "/CN=x", "--days", "0", "--out", d["x.crt"], "--key-out", d["x.crt"]);
        Assert.Equal(2, days.ExitCode);
        Assert.StartsWith("mtls: エラー: ", days.Stderr);
        Assert.True(LanguageTests.HasJapanese(days.Stderr["mtls: エラー: ".Length..]), days.Stderr);
    }

    /// <summary>Help: the description is the catalogue's (options' descriptions are still English, issue 14's remainder).</summary>
    [Theory]
    [InlineData("")]
    [InlineData("key create")]
    [InlineData("csr create")]
    [InlineData("csr show")]
    [InlineData("ca create")]
    [InlineData("ca sign")]
    [InlineData("ca list")]
    [InlineData("ca revoke")]
    [InlineData("ca crl")]
    [InlineData("cert show")]
    [InlineData("cert renew")]
    [InlineData("cert p12")]
    [InlineData("crl show")]
    [InlineData("workshop")]
    [InlineData("ca")]
    public void Help_describes_the_command_in_japanese(string path)
    {
        var r = Cli.RunIn(LanguageTests.Japanese, [.. path.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]);
        Assert.Equal(0, r.ExitCode);
        var lines = r.Stdout.ReplaceLineEndings("\n").Split('\n');
        Assert.True(LanguageTests.HasJapanese(lines[1]), r.Stdout); // the first line of the description
        Assert.Contains("使用法:", r.Stdout);                      // System.CommandLine's own headings, from its ja satellite
    }
}
