using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Mtls.Cli.Tests;

/// <summary>
/// ACME through the real `mtls` program: `mtls ca serve --acme` with the loopback test overrides, lego
/// (Debian's, unmodified) getting a server certificate over http-01, `mtls verify` and `openssl verify`
/// accepting it, and the warning about the overrides on stderr.
/// </summary>
[Trait("Category", "Acme")]
public sealed class CaServeAcmeTests
{
    private const string Name = "acme-test.localhost";

    [Fact]
    public async Task Lego_GetsAServerCertificate_FromMtlsCaServe_AndMtlsVerifyAcceptsIt()
    {
        Assert.True(Tool.Exists("lego"), "lego is not installed: apt-get install lego (the Acme tests need the real client)");
        using var dir = new TempDir();
        Assert.Equal(0, Cli.Run("ca", "create", "--subject", "/CN=Acme E2E Root", "--out", dir["root.crt"], "--key-out", dir["root.key"]).ExitCode);
        Assert.Equal(0, Cli.Run("ca", "create", "--subject", "/CN=Acme E2E Issuing CA", "--parent-cert", dir["root.crt"], "--parent-key", dir["root.key"],
            "--path-len", "0", "--out", dir["issuing.crt"], "--key-out", dir["issuing.key"]).ExitCode);
        var httpPort = FreePort();

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir.Path };
        foreach (var a in (string[])[Cli.Dll, "ca", "serve", "--ca-cert", dir["issuing.crt"], "--ca-key", dir["issuing.key"], "--root", dir["root.crt"],
                     "--port", "0", "--acme", "--acme-http-port", httpPort.ToString(CultureInfo.InvariantCulture), "--acme-resolve", Name + "=127.0.0.1"])
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var url = await process.StandardOutput.ReadLineAsync(timeout.Token);
            Assert.True(url is not null && url.StartsWith("https://", StringComparison.Ordinal), $"no URL: {url}\n{stderr}");
            _ = process.StandardOutput.ReadToEndAsync();

            var lego = Tool.Run("lego", ["--server", url + "acme/directory", "--accept-tos", "--email", "ops@example.test",
                "--http", "--http.port", ":" + httpPort.ToString(CultureInfo.InvariantCulture), "--path", dir["lego"], "-d", Name, "run"],
                environment: new Dictionary<string, string> { ["LEGO_CA_CERTIFICATES"] = dir["root.crt"] }, timeout: TimeSpan.FromSeconds(90));
            Assert.True(lego.ExitCode == 0, lego + "\n" + stderr);

            var leaf = Path.Combine(dir["lego"], "certificates", Name + ".crt");
            var issuer = Path.Combine(dir["lego"], "certificates", Name + ".issuer.crt");
            var verify = Cli.Process(dir.Path, "verify", leaf, "--cacert", dir["root.crt"], "--untrusted", issuer, "--purpose", "server", "--host", Name);
            Assert.True(verify.ExitCode == 0, verify.ToString());
            var openssl = Tool.Openssl("verify", "-CAfile", dir["root.crt"], "-untrusted", issuer, "-purpose", "sslserver", leaf);
            Assert.True(openssl.ExitCode == 0, openssl.ToString());
            var list = Cli.Process(dir.Path, "ca", "list", "--ca-cert", dir["issuing.crt"]);
            Assert.Contains(Name, list.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited) process.Kill();
            await process.WaitForExitAsync();
        }
        lock (stderr)
            Assert.Contains("WARNING: ACME TEST OVERRIDES ARE ON", stderr.ToString(), StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
