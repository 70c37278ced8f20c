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
    /// ca list's table (its header and status words stay as in --json, rows are data), and crl show's entries
    /// (serial, date, RFC 5280 reason name).
    /// </summary>
    private static bool Exempt(string line) =>
        line.Length == 0
        || line.StartsWith("-----", StringComparison.Ordinal) || System.Text.RegularExpressions.Regex.IsMatch(line, "^[A-Za-z0-9+/=]{40,}$|^[A-Za-z0-9+/=]+$")
        || line.StartsWith("SHA-256:", StringComparison.Ordinal)
        || line.StartsWith("STATUS ", StringComparison.Ordinal) || System.Text.RegularExpressions.Regex.IsMatch(line, @"^(valid|expiring|expired|revoked|superseded)\s")
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
