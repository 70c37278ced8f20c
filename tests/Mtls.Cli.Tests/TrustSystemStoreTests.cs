using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Certificates;
using Mtls.TrustStore;

namespace Mtls.Cli.Tests;

/// <summary>
/// Issue 17's system-store acceptance on the real store (CI is a throwaway machine and runs as root): after
/// `mtls trust install` curl without --cacert trusts `mtls serve`; after `uninstall` it does not, no link in
/// /etc/ssl/certs dangles and Java's cacerts holds no alias of ours (neither mtls's nor Debian's hook's).
/// The CA is unique to the run and removed in `finally`, even when an assertion fails.
/// </summary>
[Trait("Category", "Browser")]
public sealed class TrustSystemStoreTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private CliResult Trust(params string[] args) =>
        Cli.RunIn(new Dictionary<string, string?> { ["HOME"] = _dir["home"] }, ["trust", .. args]);

    [Fact]
    public async Task Curl_trusts_the_server_after_install_and_not_after_uninstall_and_nothing_is_left()
    {
        Assert.True(Privileges.IsRoot, "this test changes the system trust store and needs root (CI runs as root)");
        Directory.CreateDirectory(_dir["home"]);
        var ca = TestPki.Root($"/O=Kame/CN=mtls system store test {Guid.NewGuid():N}"[..48]);
        TestPki.Save(TestPki.Issue(ca, "/CN=localhost", CertificateProfile.Server, ["DNS:localhost"]), _dir.Path, "server");
        var caPath = TestPki.SaveCa(ca, _dir.Path, "ca");
        var trusted = new TrustedCa(X509CertificateLoader.LoadCertificate(ca.Certificate.RawData));
        var withJava = Tool.Exists("keytool");
        using var server = await ServeProcess.StartAsync(_dir.Path, "--cert", "server.crt", "--key", "server.key", "--port", "0");
        try
        {
            Assert.Equal(60, Tool.Run("curl", ["-sS", server.Url]).ExitCode); // 60: unknown issuer

            var install = Trust("install", caPath, "--store", withJava ? "system,java" : "system");
            Assert.True(install.ExitCode == 0, install.ToString());
            Assert.Contains($"added /usr/local/share/ca-certificates/{trusted.FileStem}.crt", install.Stdout);
            Assert.Contains("ran update-ca-certificates", install.Stdout);
            if (withJava) Assert.Contains($"added {trusted.JavaAlias}", install.Stdout);
            var ok = Tool.Run("curl", ["-sS", server.Url]);
            Assert.True(ok.ExitCode == 0, ok.ToString());
            Assert.Contains("Hello!", ok.Stdout);
            Assert.Equal(0, Trust("check", caPath, "--store", "system").ExitCode);
            Assert.Contains(trusted.FileStem, Trust("list", "--store", "system").Stdout);

            var uninstall = Trust("uninstall", caPath, "--store", withJava ? "system,java" : "system");
            Assert.True(uninstall.ExitCode == 0, uninstall.ToString());
            Assert.Contains("ran update-ca-certificates --fresh", uninstall.Stdout);
            Assert.Equal(60, Tool.Run("curl", ["-sS", server.Url]).ExitCode);
            Assert.Equal(1, Trust("check", caPath, "--store", "system").ExitCode);

            Assert.False(File.Exists($"/usr/local/share/ca-certificates/{trusted.FileStem}.crt"));
            var dangling = Directory.EnumerateFileSystemEntries("/etc/ssl/certs")
                .Where(p => new FileInfo(p).LinkTarget is not null && !File.Exists(p)).ToList();
            Assert.Empty(dangling);
            Assert.DoesNotContain(Directory.EnumerateFileSystemEntries("/etc/ssl/certs"), p => p.Contains(trusted.FileStem, StringComparison.Ordinal));
            if (withJava)
            {
                var aliases = Tool.Run("keytool", ["-list", "-cacerts", "-storepass", "changeit"]);
                Assert.DoesNotContain(TrustNames.ShortHash(trusted.Certificate), aliases.Stdout);
            }
        }
        finally
        {
            // Never leave a test CA trusted by the machine, whatever failed above.
            if (File.Exists($"/usr/local/share/ca-certificates/{trusted.FileStem}.crt") || (withJava && JavaStore.Detect()?.Contains(trusted) == true))
                Trust("uninstall", caPath, "--store", withJava ? "system,java" : "system");
        }
    }
}
