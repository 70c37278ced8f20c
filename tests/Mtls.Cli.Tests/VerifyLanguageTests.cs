using Mtls.Pki.Certificates;

namespace Mtls.Cli.Tests;

/// <summary>
/// `mtls verify` in Japanese and English: the same exit code and facts, the sentence in the reader's
/// language. The language comes from the command's own LANG (<see cref="Cli.RunIn"/>), never the machine's.
/// </summary>
public sealed class VerifyLanguageTests : IClassFixture<VerifyLanguageTests.Files>
{
    public sealed class Files : IDisposable
    {
        public TempDir Dir { get; } = new();
        public DateTimeOffset Now { get; } = DateTimeOffset.UtcNow;

        public Files()
        {
            using var ca = TestPki.Root("/O=Test/CN=Language Root", Now);
            TestPki.SaveCa(ca, Dir.Path, "ca");
            TestPki.Save(TestPki.Issue(ca, "/CN=localhost", CertificateProfile.Server, ["DNS:localhost"], Now, days: 30), Dir.Path, "server");
        }

        public void Dispose() => Dir.Dispose();
    }

    private readonly Files _files;

    public VerifyLanguageTests(Files files) => _files = files;

    internal static readonly Dictionary<string, string?> Japanese = new() { ["LANG"] = "ja_JP.UTF-8" };
    internal static readonly Dictionary<string, string?> English = new() { ["LANG"] = "C.UTF-8" };

    private CliResult Verify(Dictionary<string, string?> env, params string[] args) =>
        Cli.RunIn(env, ["verify", _files.Dir["server.crt"], "--cacert", _files.Dir["ca.crt"], .. args]);

    [Fact]
    public void An_expired_certificate_is_explained_in_Japanese_and_English_with_the_same_exit_code()
    {
        var later = _files.Now.AddDays(60).ToString("O");
        var english = Verify(English, "--at", later);
        var japanese = Verify(Japanese, "--at", later);

        Assert.Equal(1, english.ExitCode);
        Assert.Equal(english.ExitCode, japanese.ExitCode);
        Assert.Contains("verification failed at depth 0 (Expired): CN=localhost: expired on", english.Stderr);
        Assert.Contains("Fix: renew the certificate (mtls ca sign) or check --at", english.Stderr);
        Assert.Contains("深さ 0 で検証に失敗しました (Expired): CN=localhost: 有効期限が", japanese.Stderr);
        Assert.Contains("対処: 証明書を更新する (mtls ca sign) か、--at を確認してください", japanese.Stderr);
        // The facts are not translated: the same expiry date in both.
        var date = System.Text.RegularExpressions.Regex.Match(english.Stderr, @"expired on (\S+ \S+ UTC)").Groups[1].Value;
        Assert.NotEmpty(date);
        Assert.Contains(date, japanese.Stderr);
    }

    [Fact]
    public void A_valid_certificate_is_reported_in_Japanese()
    {
        var r = Verify(Japanese, "--host", "localhost");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("serverAuth、ホスト localhost として OK", r.Stdout);
        Assert.Contains("CN=Language Root,O=Test  (信頼済み)", r.Stdout);
        Assert.Contains("有効期間:", r.Stdout);
    }
}
