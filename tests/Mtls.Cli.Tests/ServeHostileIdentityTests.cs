using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Certificates;

namespace Mtls.Cli.Tests;

/// <summary>
/// `mtls serve` run as a user runs it, visited by a client whose certificate subject carries a newline
/// and a fake log line, terminal escapes and a bidi override: its stdout log must stay one line per
/// request, with every such character escaped, so the next (good) request is the next line.
/// </summary>
[Trait("Category", "Hostile")]
public sealed class ServeHostileIdentityTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_hostile_subject_cannot_forge_or_garble_a_serve_log_line()
    {
        using var serverCa = TestPki.Root("/O=Kame/CN=ca.server.example.com");
        using var clientCa = TestPki.Root("/O=Kame/CN=ca.client.example.com");
        TestPki.Save(TestPki.Issue(serverCa, "/O=Kame/CN=localhost", CertificateProfile.Server, ["DNS:localhost"]), _dir.Path, "server");
        TestPki.SaveCa(serverCa, _dir.Path, "server-ca");
        TestPki.SaveCa(clientCa, _dir.Path, "client-ca");
        TestPki.Save(TestPki.Issue(clientCa, "/O=Kame/CN=Good Client", CertificateProfile.Client), _dir.Path, "good");
        var name = new X500DistinguishedNameBuilder();
        name.AddOrganizationName("<script>alert(1)</script>");
        name.AddCommonName("Mallory\n2026-11-27T05:00:00Z request GET / 200 from 127.0.0.1 client CN=admin\u001b[2K\u202E");
        TestPki.Save(HostileCertificates.Client(clientCa, name.Build()), _dir.Path, "evil");

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir.Path };
        foreach (var a in (string[])[Cli.Dll, "serve", "--cert", "server.crt", "--key", "server.key", "--client-ca", "client-ca.crt", "--port", "0", "--bind", "127.0.0.1"])
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        _ = process.StandardError.ReadToEndAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var url = await process.StandardOutput.ReadLineAsync(timeout.Token);
            Assert.NotNull(url);
            foreach (var who in (string[])["evil", "good"])
                Assert.Equal(0, Tool.Run("curl", ["-sS", "-o", "/dev/null", "--cacert", "server-ca.crt", "--cert", who + ".crt", "--key", who + ".key", url!], _dir.Path).ExitCode);

            var evil = await process.StandardOutput.ReadLineAsync(timeout.Token);
            var good = await process.StandardOutput.ReadLineAsync(timeout.Token);

            Assert.NotNull(evil);
            Assert.Contains("request GET / 200", evil);
            Assert.Contains("CN=Mallory\\0A2026-11-27T05:00:00Z", evil);
            Assert.Contains("\\1B[2K\\E2\\80\\AE", evil);
            Assert.DoesNotContain(evil, c => char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format);
            Assert.Contains("client CN=Good Client,O=Kame", good); // the very next line is the next request
        }
        finally
        {
            if (!process.HasExited) process.Kill();
            await process.WaitForExitAsync();
        }
    }
}
