using Mtls.Pki.Certificates;
using Mtls.Server;

namespace Mtls.Cli.Tests;

/// <summary>
/// `mtls get` explains a failure in the reader's language against a real server (Kestrel over TLS, as
/// `mtls serve` runs it): the facts (names, the port) untranslated, the flags in the command's advice.
/// </summary>
[Trait("Category", "Interop")]
public sealed class GetLanguageTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly CertificateAuthority _serverCa = TestPki.Root("/O=Kame/CN=ca.server.example.com");
    private readonly CertificateAuthority _otherCa = TestPki.Root("/O=Kame/CN=ca.other.example.com");
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _server;

    public GetLanguageTests()
    {
        _server = TestPki.Issue(_serverCa, "/O=Kame/CN=localhost", CertificateProfile.Server, ["DNS:localhost"]);
        TestPki.SaveCa(_otherCa, _dir.Path, "other-ca");
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task An_untrusted_server_is_explained_in_Japanese_and_English()
    {
        await using var server = await MtlsServer.StartAsync(new MtlsServerOptions { Certificate = _server, Port = 0 });
        var url = server.Urls[0].ToString();
        var japanese = Cli.RunIn(VerifyLanguageTests.Japanese, ["get", url, "--cacert", _dir["other-ca.crt"]]);
        var english = Cli.RunIn(VerifyLanguageTests.English, ["get", url, "--cacert", _dir["other-ca.crt"]]);

        Assert.Equal(1, japanese.ExitCode);
        Assert.Equal(english.ExitCode, japanese.ExitCode);
        Assert.Contains("信頼できないサーバー証明書です: CN=localhost,O=Kame: 発行者 CN=ca.server.example.com,O=Kame", japanese.Stderr);
        Assert.Contains("。発行した認証局を --cacert で指定してください (確認を省くなら --insecure)", japanese.Stderr);
        Assert.Contains("untrusted server certificate: CN=localhost,O=Kame: issued by CN=ca.server.example.com,O=Kame", english.Stderr);
        Assert.Contains("; give the CA that issued it with --cacert (or --insecure to skip the check)", english.Stderr);
        Assert.DoesNotContain(english.Stderr, c => c >= 0x3040);
    }

    [Fact]
    public async Task A_host_name_mismatch_names_the_host_and_the_fix_in_Japanese()
    {
        await using var server = await MtlsServer.StartAsync(new MtlsServerOptions { Certificate = _server, Port = 0 });
        TestPki.SaveCa(_serverCa, _dir.Path, "server-ca");
        var url = $"https://127.0.0.1:{server.Urls[0].Port}/";
        var r = Cli.RunIn(VerifyLanguageTests.Japanese, ["get", url, "--cacert", _dir["server-ca.crt"]]);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("ホスト名が一致しません: CN=localhost,O=Kame: '127.0.0.1' の証明書ではありません。記載されている名前: DNS:localhost", r.Stderr);
        Assert.Contains("--san DNS:127.0.0.1 を付けて発行し直してください", r.Stderr);
    }
}
