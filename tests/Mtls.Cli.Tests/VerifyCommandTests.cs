using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Certificates;

namespace Mtls.Cli.Tests;

/// <summary>`mtls verify`: exit codes, one-line explained failures, JSON, and agreement with `openssl verify`.</summary>
public sealed class VerifyCommandTests : IClassFixture<VerifyCommandTests.Pki>
{
    public sealed class Pki : IDisposable
    {
        public TempDir Dir { get; } = new();
        public DateTimeOffset Now { get; } = DateTimeOffset.UtcNow;

        public Pki()
        {
            using var ca = TestPki.Root("/O=Test/CN=Verify Root", Now);
            using var other = TestPki.Root("/O=Test/CN=Other Root", Now);
            TestPki.SaveCa(ca, Dir.Path, "ca");
            TestPki.SaveCa(other, Dir.Path, "other-ca");
            TestPki.Save(TestPki.Issue(ca, "/CN=localhost", CertificateProfile.Server, ["DNS:localhost", "IP:127.0.0.1"], Now, days: 30), Dir.Path, "server");
            TestPki.Save(TestPki.Issue(ca, "/CN=Super Client", CertificateProfile.Client, null, Now, days: 30), Dir.Path, "client");
            var crl = new CertificateRevocationListBuilder();
            crl.AddEntry(X509CertificateLoader.LoadCertificateFromFile(Dir["client.crt"]), Now.AddMinutes(-1), X509RevocationReason.KeyCompromise);
            File.WriteAllText(Dir["ca.crl"], System.Security.Cryptography.PemEncoding.WriteString("X509 CRL", crl.Build(ca.Certificate, 1, Now.AddDays(7), System.Security.Cryptography.HashAlgorithmName.SHA256, thisUpdate: Now.AddMinutes(-5))));
            File.WriteAllText(Dir["empty.pem"], "nothing here\n");
        }

        public void Dispose() => Dir.Dispose();
    }

    private readonly Pki _pki;
    private TempDir D => _pki.Dir;

    public VerifyCommandTests(Pki pki) => _pki = pki;

    private CliResult Run(params string[] args) => Cli.RunAt(_pki.Now, ["verify", .. args]);

    [Fact]
    public void Valid_server_prints_the_chain()
    {
        var r = Run(D["server.crt"], "--cacert", D["ca.crt"], "--host", "localhost");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("OK for serverAuth, host localhost", r.Stdout);
        Assert.Contains("0 CN=localhost", r.Stdout);
        Assert.Contains("1 CN=Verify Root,O=Test  (trusted)", r.Stdout);
        Assert.Contains("valid:", r.Stdout);
    }

    [Theory]
    [InlineData("wrong-ca", "UnknownIssuer", "depth 0")]
    [InlineData("expired", "Expired", "expired on")]
    [InlineData("wrong-purpose", "WrongUsage", "does not allow serverAuth")]
    [InlineData("host", "HostMismatch", "DNS:localhost, IP:127.0.0.1")]
    [InlineData("revoked", "Revoked", "keyCompromise")]
    public void Invalid_is_exit_1_with_one_line(string name, string reason, string fact)
    {
        var r = name switch
        {
            "wrong-ca" => Run(D["server.crt"], "--cacert", D["other-ca.crt"]),
            "expired" => Run(D["server.crt"], "--cacert", D["ca.crt"], "--at", _pki.Now.AddDays(60).ToString("O")),
            "wrong-purpose" => Run(D["client.crt"], "--cacert", D["ca.crt"], "--purpose", "server"),
            "host" => Run(D["server.crt"], "--cacert", D["ca.crt"], "--host", "example.com"),
            _ => Run(D["client.crt"], "--cacert", D["ca.crt"], "--crl", D["ca.crl"], "--purpose", "client"),
        };
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.StartsWith("mtls: error: ", r.Stderr);
        Assert.Single(r.Stderr.TrimEnd().Split('\n'));
        Assert.Contains($"({reason})", r.Stderr);
        Assert.Contains(fact, r.Stderr);
        Assert.Contains("Fix: ", r.Stderr);
    }

    [Theory]
    [InlineData("missing", "no such file")]
    [InlineData("empty-bundle", "not a certificate")]
    [InlineData("crl-not-crl", "holds a certificate, not a CRL")] // Pki's CrlFile names the kind ("CERTIFICATE" before)
    [InlineData("crl-truncated", "is not a valid CRL, or it is corrupt or truncated (")] // ... and keeps the ASN.1 detail
    [InlineData("bad-time", "is not a time")]
    public void Bad_input_is_exit_2(string name, string message)
    {
        var r = name switch
        {
            "missing" => Run(D["nope.crt"], "--cacert", D["ca.crt"]),
            "empty-bundle" => Run(D["server.crt"], "--cacert", D["ca.key"]),
            "crl-not-crl" => Run(D["server.crt"], "--cacert", D["ca.crt"], "--crl", D["ca.crt"]),
            "crl-truncated" => Run(D["server.crt"], "--cacert", D["ca.crt"], "--crl", Truncated(D["ca.crl"])),
            _ => Run(D["server.crt"], "--cacert", D["ca.crt"], "--at", "yesterday-ish"),
        };
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.StartsWith("mtls: error: ", r.Stderr);
        Assert.Contains(message, r.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    private static string Truncated(string crl)
    {
        var der = Convert.FromBase64String(string.Concat(File.ReadAllLines(crl).Where(l => !l.StartsWith("-----", StringComparison.Ordinal))));
        var path = crl + ".truncated.der";
        File.WriteAllBytes(path, der[..(der.Length - 20)]);
        return path;
    }

    [Fact]
    public void Json_names_the_failure_and_the_fix()
    {
        var r = Run(D["server.crt"], "--cacert", D["ca.crt"], "--host", "example.com", "--json");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("\"valid\": false", r.Stdout);
        Assert.Contains("\"reason\": \"HostMismatch\"", r.Stdout);
        Assert.Contains("\"fix\":", r.Stdout);
        var ok = Run(D["server.crt"], "--cacert", D["ca.crt"], "--json");
        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("\"valid\": true", ok.Stdout);
    }

    [Theory]
    [InlineData("server.crt", "ca.crt", null)]
    [InlineData("client.crt", "ca.crt", null)]
    [InlineData("server.crt", "other-ca.crt", null)]
    [InlineData("server.crt", "ca.crt", 60)]
    public void Agrees_with_openssl_verify(string cert, string ca, int? daysLater)
    {
        if (!Tool.Exists("openssl")) return;
        var at = _pki.Now.AddDays(daysLater ?? 0);
        var openssl = Tool.Openssl("verify", "-CAfile", D[ca], "-attime", at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), D[cert]);
        var mtls = Run(D[cert], "--cacert", D[ca], "--at", at.ToString("O"));
        Assert.True((openssl.ExitCode == 0) == (mtls.ExitCode == 0), $"openssl: {openssl}\nmtls: {mtls}");
    }
}
