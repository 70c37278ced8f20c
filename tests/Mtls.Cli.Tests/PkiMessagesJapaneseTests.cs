namespace Mtls.Cli.Tests;

/// <summary>
/// Pki's own errors reach the user in the command's language (LANG=ja_JP.UTF-8): the library tells its
/// sentence when it throws, in the language CliApp chose; facts (paths) untranslated, exit codes unchanged.
/// </summary>
public sealed class PkiMessagesJapaneseTests
{
    [Fact]
    public void A_CA_key_that_does_not_match_is_told_in_Japanese_from_the_Pki_catalogue()
    {
        using var d = new TempDir();
        using var serverCa = TestPki.Root("/O=Kame/CN=ca.server.example.com");
        using var clientCa = TestPki.Root("/O=Kame/CN=ca.client.example.com");
        var caCert = TestPki.SaveCa(serverCa, d.Path, "server-ca");
        TestPki.SaveCa(clientCa, d.Path, "client-ca");
        Assert.Equal(0, Cli.Run("key", "create", "--out", d["server.key"]).ExitCode);
        Assert.Equal(0, Cli.Run("csr", "create", "--key", d["server.key"], "--subject", "/CN=localhost", "--out", d["server.csr"]).ExitCode);
        string[] args = ["ca", "sign", d["server.csr"], "--ca-cert", caCert, "--ca-key", d["client-ca.key"], "--profile", "server", "--out", d["server.crt"]];

        var japanese = Cli.RunIn(VerifyLanguageTests.Japanese, args);
        var english = Cli.RunIn(VerifyLanguageTests.English, args);

        Assert.Equal(english.ExitCode, japanese.ExitCode);
        Assert.Equal($"mtls: error: {d["client-ca.key"]}: this key does not belong to the CA certificate {caCert} (different public key); give the CA's own key.\n", english.Stderr);
        Assert.Equal($"mtls: エラー: {d["client-ca.key"]}: この鍵は認証局の証明書 {caCert} の鍵ではありません (公開鍵が違います)。認証局自身の秘密鍵を指定してください。\n", japanese.Stderr);
    }
}
