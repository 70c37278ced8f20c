namespace Mtls.Cli.Tests;

/// <summary>
/// Issue 13 item 5: `mtls verify --max-depth N` means what openssl's `-verify_depth N` means (the most
/// intermediate CAs; 0 = signed by the trusted CA directly), judged against openssl on the same files.
/// </summary>
public sealed class VerifyDepthTests : IClassFixture<VerifyDepthTests.Chains>
{
    public sealed class Chains : IDisposable
    {
        public TempDir Dir { get; } = new();

        public Chains()
        {
            var d = Dir;
            Ok(Cli.Run("ca", "create", "--subject", "/O=Depth/CN=Root", "--out", d["root.crt"], "--key-out", d["root.key"]));
            Ok(Cli.Run("ca", "create", "--subject", "/O=Depth/CN=Intermediate 1", "--parent-cert", d["root.crt"], "--parent-key", d["root.key"],
                "--path-len", "1", "--out", d["int1.crt"], "--key-out", d["int1.key"]));
            Ok(Cli.Run("ca", "create", "--subject", "/O=Depth/CN=Intermediate 2", "--parent-cert", d["int1.crt"], "--parent-key", d["int1.key"],
                "--out", d["int2.crt"], "--key-out", d["int2.key"]));
            Ok(Cli.Run("key", "create", "--out", d["leaf.key"]));
            Ok(Cli.Run("csr", "create", "--key", d["leaf.key"], "--subject", "/CN=localhost", "--out", d["leaf.csr"]));
            // Each leaf file holds the leaf and then its intermediates (mtls ca sign's output).
            foreach (var (ca, name) in new[] { ("root", "direct"), ("int1", "one"), ("int2", "two") })
                Ok(Cli.Run("ca", "sign", d["leaf.csr"], "--ca-cert", d[$"{ca}.crt"], "--ca-key", d[$"{ca}.key"], "--profile", "server", "--out", d[$"{name}.crt"]));
        }

        private static void Ok(CliResult r) => Assert.True(r.ExitCode == 0, r.ToString());

        public void Dispose() => Dir.Dispose();
    }

    private readonly TempDir _d;

    public VerifyDepthTests(Chains chains) => _d = chains.Dir;

    [Theory]
    [InlineData("direct.crt", 0)]
    [InlineData("one.crt", 1)]
    [InlineData("two.crt", 2)]
    public void Max_depth_counts_intermediates_as_openssl_verify_depth_does(string leaf, int intermediates)
    {
        if (!Tool.Exists("openssl")) return;
        for (var n = 0; n <= 2; n++)
        {
            var depth = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var openssl = Tool.Openssl("verify", "-verify_depth", depth, "-CAfile", _d["root.crt"], "-untrusted", _d[leaf], _d[leaf]);
            var mtls = Cli.Run("verify", _d[leaf], "--cacert", _d["root.crt"], "--max-depth", depth);
            var expected = intermediates <= n;
            Assert.True((openssl.ExitCode == 0) == expected, $"openssl -verify_depth {n} on {leaf}: {openssl}");
            Assert.True((mtls.ExitCode == 0) == expected, $"mtls --max-depth {n} on {leaf}: {mtls}");
            if (!expected) Assert.Contains("(ChainTooDeep)", mtls.Stderr);
        }
    }

    [Fact]
    public void A_negative_max_depth_is_bad_usage_and_the_help_says_what_is_counted()
    {
        var r = Cli.Run("verify", _d["one.crt"], "--cacert", _d["root.crt"], "--max-depth", "-1");
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("0 = signed by the trusted CA directly", r.Stderr);
        var help = Cli.Run("verify", "--help");
        Assert.Contains("as openssl's -verify_depth", help.Stdout);
    }
}
