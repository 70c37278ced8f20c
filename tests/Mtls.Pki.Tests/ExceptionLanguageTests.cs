using Mtls.Pki.Certificates;
using Mtls.Pki.IO;
using Mtls.Pki.Text;

namespace Mtls.Pki.Tests;

/// <summary>
/// An <see cref="MtlsException"/> from Pki is told in the UI culture current when it is thrown (the
/// command's language), with the same facts and exit code; a flag's advice carries a kind for front ends.
/// </summary>
public sealed class ExceptionLanguageTests
{
    [Fact]
    public void The_CA_key_that_does_not_match_its_certificate_is_told_in_Japanese_and_English()
    {
        using var dir = new TempDir();
        using var ca = TestPki.Root("/O=Test/CN=One Root");
        using var other = TestPki.Root("/O=Test/CN=Other Root");
        var caCert = TestPki.SaveCa(ca, dir.Path, "ca");
        TestPki.SaveCa(other, dir.Path, "other");
        var caKey = Path.Combine(dir.Path, "other.key");

        var ja = Cultures.Under(Language.Japanese, () => Assert.Throws<MtlsException>(() => CertificateAuthority.Load(caCert, caKey, null)));
        var en = Cultures.Under(Language.English, () => Assert.Throws<MtlsException>(() => CertificateAuthority.Load(caCert, caKey, null)));

        Assert.Equal($"{caKey}: this key does not belong to the CA certificate {caCert} (different public key); give the CA's own key.", en.Message);
        Assert.Equal($"{caKey}: この鍵は認証局の証明書 {caCert} の鍵ではありません (公開鍵が違います)。認証局自身の秘密鍵を指定してください。", ja.Message);
        Assert.Equal(en.ExitCode, ja.ExitCode);
    }

    [Fact]
    public void An_existing_output_is_refused_with_a_kind_for_the_front_end()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "server.key");
        File.WriteAllText(path, "x");
        var e = Cultures.Under(Language.Japanese, () => Assert.ThrowsAny<MtlsException>(() => SecureFile.EnsureWritable(path, force: false)));
        Assert.Equal(MtlsErrorKind.OutputExists, e.Kind);
        Assert.Contains("すでに存在する", e.Message);
    }
}
