namespace Mtls.Cli.Tests;

/// <summary>
/// Issue 13 item 12: an Ed25519 certificate made by openssl is an algorithm mtls cannot check (.NET 10 on
/// Linux has no Ed25519), so `mtls verify` says "unsupported" and names what is supported; it is not
/// "Malformed" (the certificate is fine: openssl verifies it) nor "BadSignature" (nothing was altered).
/// </summary>
public sealed class VerifyAlgorithmTests : IClassFixture<VerifyAlgorithmTests.Files>
{
    public sealed class Files : IDisposable
    {
        public TempDir Dir { get; } = new();

        public Files()
        {
            if (!Tool.Exists("openssl")) return;
            const string leafExt = "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n";
            File.WriteAllText(Dir["leaf.ext"], leafExt);
            var script = string.Join(" && ",
                "openssl genpkey -algorithm ed25519 -out ed-ca.key",
                "openssl req -x509 -key ed-ca.key -out ed-ca.crt -days 30 -subj '/CN=Ed25519 CA' -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign'",
                "openssl ecparam -name prime256v1 -genkey -noout -out ec-ca.key",
                "openssl req -x509 -key ec-ca.key -out ec-ca.crt -days 30 -subj '/CN=EC CA' -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign'",
                "openssl genpkey -algorithm ed25519 -out ed.key",
                "openssl req -new -key ed.key -subj '/CN=Ed25519 Client' -out ed.csr",
                "openssl ecparam -name prime256v1 -genkey -noout -out ec.key",
                "openssl req -new -key ec.key -subj '/CN=EC Client' -out ec.csr",
                "openssl x509 -req -in ed.csr -CA ed-ca.crt -CAkey ed-ca.key -CAcreateserial -days 30 -extfile leaf.ext -out ed-by-ed.crt",
                "openssl x509 -req -in ed.csr -CA ec-ca.crt -CAkey ec-ca.key -CAcreateserial -days 30 -extfile leaf.ext -out ed-by-ec.crt",
                "openssl x509 -req -in ec.csr -CA ed-ca.crt -CAkey ed-ca.key -CAcreateserial -days 30 -extfile leaf.ext -out ec-by-ed.crt");
            var made = Tool.OpensslIn(Dir.Path, script);
            if (made.ExitCode != 0) throw new InvalidOperationException($"openssl could not make the Ed25519 files: {made}");
        }

        public void Dispose() => Dir.Dispose();
    }

    private readonly TempDir _dir;

    public VerifyAlgorithmTests(Files files) => _dir = files.Dir;

    [Theory]
    [InlineData("ed-by-ed.crt", "ed-ca.crt", "its key type Ed25519 is not supported")]
    [InlineData("ed-by-ec.crt", "ec-ca.crt", "its key type Ed25519 is not supported")]
    [InlineData("ec-by-ed.crt", "ed-ca.crt", "cannot be checked: the issuer's key cannot be used: its key type Ed25519 is not supported")]
    public void Ed25519_is_an_unsupported_algorithm_not_a_malformed_certificate(string cert, string ca, string fact)
    {
        if (!Tool.Exists("openssl")) return;
        // The peer accepts the very same files: the certificate is well-formed and correctly signed.
        var openssl = Tool.Openssl("verify", "-CAfile", _dir[ca], _dir[cert]);
        Assert.True(openssl.ExitCode == 0, openssl.ToString());

        var r = Cli.Run("verify", _dir[cert], "--cacert", _dir[ca], "--purpose", "client");
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Single(r.Stderr.TrimEnd().Split('\n'));
        Assert.Contains("(UnsupportedAlgorithm)", r.Stderr);
        Assert.Contains(fact, r.Stderr);
        Assert.Contains("supported: RSA (2048 bits or more; PKCS#1 v1.5 or PSS) and ECDSA on P-256, P-384 or P-521", r.Stderr);
        Assert.Contains("Fix: reissue the certificate with an RSA (2048 bits or more) or ECDSA", r.Stderr);

        var json = Cli.Run("verify", _dir[cert], "--cacert", _dir[ca], "--purpose", "client", "--json");
        Assert.Contains("\"reason\": \"UnsupportedAlgorithm\"", json.Stdout);
    }
}
