using System.Security.Cryptography;
using Mtls.Pki;
using Mtls.Pki.Keys;

namespace Mtls.Pki.Tests;

public class PrivateKeyFileTests
{
    public static TheoryData<string, string> Specs => new()
    {
        { "P-256", "EC P-256" }, { "P-384", "EC P-384" }, { "P-521", "EC P-521" },
        { "rsa2048", "RSA 2048" }, { "rsa3072", "RSA 3072" },
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void Written_keys_are_pkcs8_0600_and_openssl_reads_them(string spec, string described)
    {
        using var dir = new TempDir();
        var keySpec = spec.StartsWith("rsa") ? KeySpec.Rsa(int.Parse(spec[3..])) : KeySpec.ParseCurve(spec);
        using var key = keySpec.Generate();
        var path = dir["k.pem"];
        PrivateKeyFile.Save(key, path, password: null, force: false);

        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var r = Tool.Openssl("pkey", "-in", path, "-noout", "-check");
        Assert.True(r.ExitCode == 0, r.ToString());
        using var loaded = PrivateKeyFile.Load(path);
        Assert.Equal(described, KeySpec.Summary(loaded));
    }

    [Fact]
    public void Encrypted_keys_round_trip_and_openssl_decrypts_them()
    {
        using var dir = new TempDir();
        using var key = KeySpec.P384.Generate();
        PrivateKeyFile.Save(key, dir["k.pem"], "s3cret pass", force: false);
        Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----", File.ReadAllText(dir["k.pem"]));
        File.WriteAllText(dir["pass"], "s3cret pass\n");
        var r = Tool.Openssl("pkey", "-in", dir["k.pem"], "-passin", "file:" + dir["pass"], "-noout");
        Assert.True(r.ExitCode == 0, r.ToString());

        using var loaded = PrivateKeyFile.Load(dir["k.pem"], "s3cret pass");
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), loaded.ExportSubjectPublicKeyInfo());
        var missing = Assert.Throws<MtlsException>(() => PrivateKeyFile.Load(dir["k.pem"]));
        Assert.Contains("--password-file", missing.Message);
        var wrong = Assert.Throws<MtlsException>(() => PrivateKeyFile.Load(dir["k.pem"], "nope"));
        Assert.Contains("wrong password", wrong.Message);
    }

    // Every key form openssl writes, made by openssl itself.
    [Theory]
    [InlineData("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp384r1 -out k.pem", "EC P-384", null)]
    [InlineData("openssl ecparam -name prime256v1 -genkey -noout -out k.pem", "EC P-256", null)]
    [InlineData("openssl genrsa -traditional -out k.pem 2048 2>/dev/null", "RSA 2048", null)]
    [InlineData("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -outform DER -out k.pem", "RSA 2048", null)]
    [InlineData("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes256 -pass pass:pw -out k.pem", "EC P-256", "pw")]
    [InlineData("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -aes256 -pass pass:pw -out k.pem", "RSA 2048", "pw")]
    public void Reads_keys_made_by_openssl(string command, string described, string? password)
    {
        using var dir = new TempDir();
        var r = Tool.OpensslIn(dir.Path, command);
        Assert.True(r.ExitCode == 0, r.ToString());
        using var key = PrivateKeyFile.Load(dir["k.pem"], password);
        Assert.Equal(described, KeySpec.Summary(key));
    }

    [Theory]
    [InlineData("openssl genrsa -traditional -aes256 -passout pass:pw -out k.pem 2048 2>/dev/null", "openssl pkcs8 -topk8")]
    [InlineData("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout x.pem -subj /CN=x -out k.pem 2>/dev/null", "a certificate, not a private key")]
    [InlineData("openssl genpkey -algorithm ed25519 -out k.pem", "Ed25519")]
    [InlineData("echo hello > k.pem", "not PEM")]
    [InlineData("printf -- '-----BEGIN PRIVATE KEY-----\\nAAAA!!!!\\n-----END PRIVATE KEY-----\\n' > k.pem", "corrupt")]
    [InlineData("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -outform DER -out full.der && head -c 40 full.der > k.pem", "private key")]
    public void Unusable_key_files_get_one_clear_line(string command, string expected)
    {
        using var dir = new TempDir();
        var r = Tool.OpensslIn(dir.Path, command);
        Assert.True(r.ExitCode == 0, r.ToString());
        var e = Assert.Throws<MtlsException>(() => PrivateKeyFile.Load(dir["k.pem"]));
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain("\n", e.Message);
        Assert.StartsWith(dir["k.pem"], e.Message);
    }

    [Theory]
    [InlineData("P-384", 384)]
    [InlineData("secp384r1", 384)]
    [InlineData("prime256v1", 256)]
    [InlineData("p521", 521)]
    public void Curve_names_as_openssl_users_write_them(string name, int size) =>
        Assert.Equal(size, KeySpec.ParseCurve(name).Size);

    [Fact]
    public void Unknown_curve_and_rsa_size_are_refused()
    {
        Assert.Contains("P-256, P-384 or P-521", Assert.Throws<MtlsException>(() => KeySpec.ParseCurve("secp256k1")).Message);
        Assert.Throws<MtlsException>(() => KeySpec.Rsa(1024));
        Assert.Throws<MtlsException>(() => KeySpec.FromOptions("P-256", 2048, KeySpec.P256));
    }
}
