namespace Mtls.Cli.Tests;

/// <summary>
/// Issue 13 item 3: one syntax for names. Every SAN row goes through `mtls ca sign --san` and then
/// `mtls verify` (and `openssl verify` as a third opinion): what the CA signs, the validator accepts;
/// what the validator would reject, the CA refuses at sign time with a one-line error.
/// (Tests/Mtls.Pki.Tests/NameSyntaxAgreementTests.cs shows the validator rejecting the refused rows.)
/// </summary>
public sealed class SanAgreementTests : IClassFixture<SanAgreementTests.Ca>
{
    public sealed class Ca : IDisposable
    {
        public TempDir Dir { get; } = new();

        public Ca()
        {
            Ok(Cli.Run("ca", "create", "--subject", "/O=Names/CN=Names CA", "--out", Dir["ca.crt"], "--key-out", Dir["ca.key"]));
            Ok(Cli.Run("key", "create", "--out", Dir["leaf.key"]));
            Ok(Cli.Run("csr", "create", "--key", Dir["leaf.key"], "--subject", "/CN=Names Test", "--out", Dir["leaf.csr"]));
        }

        private static void Ok(CliResult r) => Assert.True(r.ExitCode == 0, r.ToString());

        public void Dispose() => Dir.Dispose();
    }

    private readonly TempDir _d;
    private static int _serial;

    public SanAgreementTests(Ca ca) => _d = ca.Dir;

    /// <summary>Signed rows: the SAN, a host it must match (or null), and whether verify reports the underscore lapse.</summary>
    [Theory]
    [InlineData("DNS:localhost", "localhost", false)]
    [InlineData("DNS:my_svc.internal", "my_svc.internal", true)]
    [InlineData("DNS:_grpc.my_svc.internal", "_grpc.my_svc.internal", true)]
    [InlineData("DNS:xn--bcher-kva.example", "xn--bcher-kva.example", false)]
    [InlineData("DNS:*.example.com", "api.example.com", false)]
    [InlineData("DNS:API.Example.COM", "api.example.com", false)]
    [InlineData("DNS:single-label", "single-label", false)]
    [InlineData("my_svc", "my_svc", true)]
    [InlineData("IP:127.0.0.1", "127.0.0.1", false)]
    [InlineData("10.0.0.5", "10.0.0.5", false)]
    [InlineData("IP:::1", "::1", false)]
    [InlineData("IP:[2001:DB8::1]", "2001:db8::1", false)]
    [InlineData("IP:::ffff:192.0.2.1", null, false)]
    [InlineData("EMAIL:ops@example.com", null, false)]
    [InlineData("EMAIL:first.last+tag@sub.example.com", null, false)]
    [InlineData("URI:spiffe://example.org/ns/prod/sa/api", null, false)]
    [InlineData("URI:https://example.com/a?b=c", null, false)]
    public void What_the_ca_signs_verify_accepts(string san, string? host, bool underscoreLapse)
    {
        var cert = _d[$"signed-{Interlocked.Increment(ref _serial)}.crt"];
        var sign = Cli.Run("ca", "sign", _d["leaf.csr"], "--ca-cert", _d["ca.crt"], "--ca-key", _d["ca.key"], "--profile", "server", "--san", san, "--out", cert);
        Assert.True(sign.ExitCode == 0, sign.ToString());

        string[] hostArgs = host is null ? [] : ["--host", host];
        var verify = Cli.Run(["verify", cert, "--cacert", _d["ca.crt"], "--purpose", "server", .. hostArgs]);
        Assert.True(verify.ExitCode == 0, $"signed {san} but verify refused it: {verify}");
        if (underscoreLapse)
        {
            Assert.Contains("holds '_'", sign.Stdout); // the CA says so when it signs
            Assert.Contains("(UnderscoreInDnsName: a CA's lapse", Assert.Single(verify.Stderr.TrimEnd().Split('\n')));
            var strict = Cli.Run(["verify", cert, "--cacert", _d["ca.crt"], "--purpose", "server", "--strict", .. hostArgs]);
            Assert.True(strict.ExitCode == 1, strict.ToString());
        }
        else Assert.True(verify.Stderr.Length == 0, verify.ToString());

        if (!Tool.Exists("openssl")) return;
        string[] opensslHost = host is null ? [] : IsIp(host) ? ["-verify_ip", host.Trim('[', ']')] : ["-verify_hostname", host];
        var openssl = Tool.Openssl(["verify", "-CAfile", _d["ca.crt"], "-purpose", "sslserver", .. opensslHost, cert]);
        Assert.True(openssl.ExitCode == 0, $"openssl refuses what mtls signed for {san}: {openssl}");
    }

    /// <summary>Refused rows: the SAN and a word of the one-line reason.</summary>
    [Theory]
    [InlineData("DNS:example.com.", "ends with a dot; write it without ('example.com')")]
    [InlineData("DNS:bücher.example", "punycode (xn--bcher-kva.example)")]
    [InlineData("DNS:*.com", "a wildcard of a single label")]
    [InlineData("DNS:*", "has '*' where only the whole first label may be one")]
    [InlineData("DNS:a.*.example.com", "has '*' where only the whole first label may be one")]
    [InlineData("DNS:*a.example.com", "holds '*'")]
    [InlineData("DNS:*.my_svc.internal", "a wildcard over a name with '_', which OpenSSL's host check (nginx, openssl s_client) never matches; list the names instead (DNS:a.my_svc.internal)")]
    [InlineData("DNS:-x.example", "starts or ends with '-'")]
    [InlineData("DNS:a..example", "an empty label")]
    [InlineData("DNS:bad host", "holds ' '")]
    [InlineData("DNS:1.2.3.4", "an IP address is written IP:")]
    [InlineData("1234", "an IP address is written IP:")]
    [InlineData("IP:999.1.1.1", "is not an IP address")]
    [InlineData("IP:0x7f.1", "is not an IP address")]
    [InlineData("IP:fe80::1%eth0", "without a zone")]
    [InlineData("EMAIL:nobody", "has no '@'")]
    [InlineData("EMAIL:a@b@example.com", "more than one '@'")]
    [InlineData("EMAIL:\"q\"@example.com", "holds '\"' before the '@'")]
    [InlineData("EMAIL:ops@example.com.", "has a domain that ends with a dot")]
    [InlineData("EMAIL:ops@my host", "has a domain that holds ' '")]
    [InlineData("URI:not a uri", "is not an absolute URI")]
    public void What_verify_would_reject_the_ca_refuses_at_sign_time(string san, string reason)
    {
        var cert = _d[$"refused-{Interlocked.Increment(ref _serial)}.crt"];
        var sign = Cli.Run("ca", "sign", _d["leaf.csr"], "--ca-cert", _d["ca.crt"], "--ca-key", _d["ca.key"], "--profile", "server", "--san", san, "--out", cert);
        Assert.True(sign.ExitCode == 2, sign.ToString());
        var line = Assert.Single(sign.Stderr.TrimEnd().Split('\n'));
        Assert.StartsWith($"mtls: error: --san {san}: ", line);
        Assert.Contains(reason, line);
        Assert.False(File.Exists(cert));
    }

    private static bool IsIp(string host) => host.Contains(':') || host.All(c => char.IsAsciiDigit(c) || c == '.');
}
