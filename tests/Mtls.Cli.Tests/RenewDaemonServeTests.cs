using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Ca;
using Mtls.Client.Online;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inventory;
using Mtls.Pki.Keys;
using Mtls.Pki.Names;

namespace Mtls.Cli.Tests;

/// <summary>
/// Issue 15 item 3 with the built `mtls`: `mtls serve --client-ca` whose SERVER certificate is renewed by
/// `mtls cert renew --daemon` (its own process) from an online CA, under a steady loop of curl mTLS requests:
/// the served certificate changes (openssl s_client reads its serial), no request fails, the daemon's --exec
/// runs after each renewal, SIGTERM stops it (exit 0); a revoked certificate stops it with exit 1. The CA runs
/// in this process with its storm rule lowered so that 60-second certificates renew every few seconds
/// (the 3-minute soak at the real 2/3 schedule is bench/renew-soak.sh).
/// </summary>
[Trait("Category", "Renewal")]
public class RenewDaemonServeTests
{
    private sealed class OnlineCa : IAsyncDisposable
    {
        public required TempDir Dir { get; init; }
        public required CertificateAuthority Issuing { get; init; }
        public required CaInventory Store { get; init; }
        public required CaApplication App { get; init; }

        public static async Task<OnlineCa> StartAsync(TempDir dir)
        {
            var past = DateTimeOffset.UtcNow.AddDays(-1);
            using var root = TestPki.Root("/CN=Daemon Test Root", now: past);
            var issuing = root.CreateIntermediate(DistinguishedName.Parse("/CN=Daemon Test Issuing"), KeySpec.P256, 30, past, pathLength: 0).Intermediate;
            File.WriteAllText(dir["root.crt"], CertificateFile.ToPem(root.Certificate));
            var store = CaInventory.Open(dir["issuing.db"], issuing.Certificate, pooled: true);
            var app = await CaApplication.StartAsync(new CaServerOptions
            {
                Authority = issuing, Store = store, Chain = [issuing.Certificate], Roots = [root.Certificate], Port = 0, Bind = [IPAddress.Loopback],
                RenewAfterFraction = 0.01, // test speed only: the daemon below renews at 5% of a 60-second life
            });
            return new OnlineCa { Dir = dir, Issuing = issuing, Store = store, App = app };
        }

        /// <summary>A 60-second server certificate for localhost and 127.0.0.1, enrolled with a token: NAME.crt (with its chain) and NAME.key.</summary>
        public async Task<string> EnrollAsync(string name)
        {
            var token = EnrollmentToken.New();
            var now = DateTimeOffset.UtcNow;
            Store.AddToken(new TokenRecord(EnrollmentToken.Hash(token), ["DNS:localhost", "IP:127.0.0.1"], "server", now, now.AddMinutes(5)));
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var csr = CsrFile.ToPem(CsrFile.Create(key, DistinguishedName.Parse("/CN=localhost"), []));
            using var client = new OnlineCaClient(App.Url, CaTrust.Roots(CertificateFile.LoadAll(Dir["root.crt"])));
            var result = await client.EnrollAsync(token, csr, 60);
            Assert.True(result.Issued is not null, result.Problem?.Detail ?? result.Unreachable);
            File.WriteAllText(Dir[name + ".crt"], result.Issued!.Certificate + result.Issued.Chain);
            File.WriteAllText(Dir[name + ".key"], key.ExportPkcs8PrivateKeyPem());
            return result.Issued.Serial;
        }

        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            Store.Dispose();
            Issuing.Dispose();
        }
    }

    private static Process StartDaemon(string dir, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir };
        foreach (var a in (string[])[Cli.Dll, "cert", "renew", .. args]) info.ArgumentList.Add(a);
        return Process.Start(info)!;
    }

    private static string ServedSerial(TempDir d, int port)
    {
        var hello = Tool.Run("sh", ["-c", $"echo | openssl s_client -connect 127.0.0.1:{port} -servername localhost -CAfile root.crt -cert client.crt -key client.key 2>/dev/null | openssl x509 -noout -serial"], d.Path);
        Assert.True(hello.ExitCode == 0, hello.ToString());
        return hello.Stdout.Trim()["serial=".Length..];
    }

    [Fact]
    public async Task A_running_serve_picks_up_the_certificates_the_daemon_renews_with_no_failed_request()
    {
        using var d = new TempDir();
        await using var ca = await OnlineCa.StartAsync(d);
        var first = await ca.EnrollAsync("server");
        using (var clientCa = TestPki.Root("/CN=Daemon Test Client CA"))
        {
            TestPki.SaveCa(clientCa, d.Path, "client-ca");
            TestPki.Save(TestPki.Issue(clientCa, "/CN=Steady Client", CertificateProfile.Client, days: 1), d.Path, "client");
        }
        using var serve = await ServeProcess.StartAsync(d.Path, "--cert", "server.crt", "--key", "server.key", "--client-ca", "client-ca.crt", "--port", "0", "--bind", "127.0.0.1");
        // serve logs a line per request: read them all (a full pipe would stall it), and count its reloads.
        var reloads = Channel();
        _ = Task.Run(async () =>
        {
            try
            {
                while (await serve.ReadLineAsync() is { } line)
                    if (line.Contains("server certificate reloaded", StringComparison.Ordinal)) reloads.Writer.TryWrite(line);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
                // serve stopped at the end of the test
            }
        });
        Assert.Equal(first, ServedSerial(d, serve.Port));

        // A steady loop of mTLS requests, one new connection each, for as long as the daemon runs.
        using var stopLoad = new CancellationTokenSource();
        var url = $"https://localhost:{serve.Port}/";
        var load = Task.Run(() =>
        {
            var (ok, failed) = (0, new List<string>());
            while (!stopLoad.IsCancellationRequested)
            {
                var r = Tool.Run("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", "root.crt", "--cert", "client.crt", "--key", "client.key", url], d.Path);
                if (r.Stdout == "200") ok++; else failed.Add(r.ToString());
            }
            return (ok, failed);
        });

        using var daemon = StartDaemon(d.Path, "server.crt", "--key", "server.key", "--ca-url", ca.App.Url.ToString(), "--root", "root.crt",
            "--daemon", "--renew-at", "5", "--exec", "openssl", "x509", "-in", "server.crt", "-noout", "-serial");
        var daemonErr = daemon.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var log = new List<string>();
        var served = new HashSet<string> { first };
        for (var renewals = 0; renewals < 2;)
        {
            var line = await daemon.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("the daemon exited: " + string.Join("\n", log) + await daemonErr);
            log.Add(line);
            if (!line.Contains(" renewed: server.crt (serial ", StringComparison.Ordinal)) continue;
            renewals++;
            await reloads.Reader.ReadAsync(timeout.Token); // serve saw new files (it polls them)
            // It serves a renewed certificate, no restart: one the CA issued in this renewal chain (on a slow
            // machine the daemon may already have renewed again, so not necessarily the one just announced).
            var now = ServedSerial(d, serve.Port);
            Assert.NotEqual(first, now);
            Assert.NotNull(ca.Store.Find(now));
            served.Add(now);
        }
        await stopLoad.CancelAsync();
        var (ok, failed) = await load;
        Tool.Run("kill", ["-TERM", daemon.Id.ToString(CultureInfo.InvariantCulture)]);
        var rest = await daemon.StandardOutput.ReadToEndAsync(timeout.Token);
        await daemon.WaitForExitAsync(timeout.Token);

        Assert.Equal(0, daemon.ExitCode);
        Assert.Empty(failed);
        Assert.True(ok > 0);
        Assert.True(served.Count >= 2, string.Join(", ", served)); // the first and at least one renewal, seen by openssl s_client
        Assert.All(served, s => Assert.NotNull(ca.Store.Find(s))); // every certificate served is in the inventory
        var all = string.Join("\n", log) + "\n" + rest;
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ daemon: watching server.crt \(serial [0-9A-F]+, valid until .+Z\); next renewal at .+Z$", log[0]);
        var renewedLines = all.Split('\n').Count(l => l.Contains(" renewed: server.crt (serial ", StringComparison.Ordinal));
        Assert.True(renewedLines >= 2, all);
        Assert.Equal(renewedLines, all.Split('\n').Count(l => l.EndsWith("ran openssl x509 -in server.crt -noout -serial: exit status 0", StringComparison.Ordinal))); // --exec after each
        Assert.Contains("daemon: stopped; server.crt stays valid until ", rest);
        Assert.Equal("", await daemonErr);
    }

    [Fact]
    public async Task A_revoked_certificate_stops_the_daemon_with_exit_1_and_one_clear_line()
    {
        using var d = new TempDir();
        await using var ca = await OnlineCa.StartAsync(d);
        var serial = await ca.EnrollAsync("svc");
        Assert.True(ca.Store.Revoke(serial, DateTimeOffset.UtcNow, X509RevocationReason.KeyCompromise));

        var r = Cli.Process(d.Path, "cert", "renew", "svc.crt", "--key", "svc.key", "--ca-url", ca.App.Url.ToString(), "--root", "root.crt", "--daemon", "--renew-at", "1");

        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("mtls: error: the CA refused to renew svc.crt (revoked: ", r.Stderr);
        Assert.Contains("retrying cannot mend; the daemon stops.", r.Stderr);
        Assert.Equal(1, r.Stderr.Count(c => c == '\n'));
        Assert.Contains("renewal refused for good: revoked: ", r.Stdout);
        Assert.DoesNotContain("renewal failed (attempt", r.Stdout);
    }

    [Fact]
    public void Exec_and_renew_at_need_the_daemon()
    {
        using var d = new TempDir();
        var exec = Cli.Run("cert", "renew", d["c"], "--key", d["k"], "--ca-url", "https://localhost:1/", "--root", d["r"], "--exec", "true");
        Assert.Equal(2, exec.ExitCode);
        Assert.Contains("--exec works only with --daemon", exec.Stderr);
        var at = Cli.Run("cert", "renew", d["c"], "--key", d["k"], "--ca-url", "https://localhost:1/", "--root", d["r"], "--daemon", "--renew-at", "150");
        Assert.Equal(2, at.ExitCode);
        Assert.Contains("--renew-at 150: not a percentage between 1 and 99", at.Stderr);
    }

    private static System.Threading.Channels.Channel<string> Channel() => System.Threading.Channels.Channel.CreateUnbounded<string>();
}
