using System.Security.Cryptography.X509Certificates;
using Mtls.Client.Online;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inventory;

namespace Mtls.Ca.Tests;

/// <summary>
/// The renewal daemon (Mtls.Client's RenewalDaemon, behind `mtls cert renew --daemon`) against the online CA
/// in this process over real mTLS, on the test's clock: the daemon's waits are recorded and the clock is moved
/// to each (no sleeps), so the schedule, the jitter and the backoff are checked exactly.
/// </summary>
public class RenewalDaemonTests
{
    private sealed class Script(TestClock clock, int stopAtWait)
    {
        private readonly CancellationTokenSource _stop = new();
        public List<DateTimeOffset> Waits { get; } = [];
        public List<DaemonStep> Steps { get; } = [];
        public CancellationToken Token => _stop.Token;

        /// <summary>As SIGTERM: the daemon stops at its next wait.</summary>
        public void Stop() => _stop.Cancel();

        /// <summary>Records the time waited for and moves the clock there; the wait number <c>stopAtWait</c> is where SIGTERM comes.</summary>
        public Task WaitUntil(DateTimeOffset until, CancellationToken ct)
        {
            Waits.Add(until);
            if (Waits.Count >= stopAtWait) _stop.Cancel();
            ct.ThrowIfCancellationRequested();
            if (until > clock.GetUtcNow()) clock.Advance(until - clock.GetUtcNow());
            return Task.CompletedTask;
        }
    }

    /// <summary>A certificate (with its chain) and its key on disk, enrolled with a token, living <paramref name="lifetime"/> seconds.</summary>
    private static async Task<(string Cert, string Key, string Serial)> EnrollToFilesAsync(RunningCa ca, long lifetime = 3600)
    {
        var (key, csr) = RunningCa.Csr();
        using (key)
        using (var client = ca.Client())
        {
            var result = await client.EnrollAsync(ca.Token(), csr, lifetime);
            Assert.True(result.Issued is not null, result.Problem?.Detail ?? result.Unreachable);
            File.WriteAllText(ca.Dir["svc.crt"], result.Issued!.Certificate + result.Issued.Chain);
            File.WriteAllText(ca.Dir["svc.key"], key.ExportPkcs8PrivateKeyPem());
            return (ca.Dir["svc.crt"], ca.Dir["svc.key"], result.Issued.Serial);
        }
    }

    private static RenewalDaemonOptions Options(RunningCa ca, Script script, string cert, string key, double random = 0.5) => new()
    {
        Request = new RenewalRequest { CertificatePath = cert, KeyPath = key, CaUrl = ca.Url, Trust = CaTrust.Roots([ca.Root.Certificate]), Time = ca.Clock },
        Time = ca.Clock,
        Random = () => random,
        WaitUntil = script.WaitUntil,
        Log = script.Steps.Add,
    };

    private static void Near(DateTimeOffset expected, DateTimeOffset actual, TimeSpan within) =>
        Assert.True((expected - actual).Duration() <= within, $"expected {expected:O}, got {actual:O}");

    private static X509Certificate2 Load(string path) => CertificateFile.Load(path);

    [Theory]
    [InlineData(0.5, 2.0 / 3)]            // no spread
    [InlineData(0.0, 2.0 / 3 * 0.9)]      // the earliest: 10% of 2/3 sooner
    [InlineData(0.999999, 2.0 / 3 * 1.1)] // the latest
    public async Task Renews_at_two_thirds_of_the_lifetime_jittered_writes_then_runs_the_hook_and_stops_on_cancel(double random, double fraction)
    {
        await using var ca = await RunningCa.StartAsync();
        var (cert, key, first) = await EnrollToFilesAsync(ca);
        var dueFirst = CertificateRenewal.DueAt(Load(cert), fraction);
        var script = new Script(ca.Clock, stopAtWait: 3);
        var hooked = new List<string>();
        var daemon = new RenewalDaemon(Options(ca, script, cert, key, random) with
        {
            // The hook sees the new certificate already in place (the --exec reload must load the new files).
            AfterRenewal = (step, _) => { hooked.Add(InventoryRecord.SerialOf(Load(step.CertificatePath))); return Task.CompletedTask; },
        });

        var last = await daemon.RunAsync(script.Token);

        Assert.Equal(DaemonStepKind.Stopped, last.Kind);
        Assert.Equal([DaemonStepKind.Started, DaemonStepKind.Renewed, DaemonStepKind.Renewed, DaemonStepKind.Stopped], script.Steps.Select(s => s.Kind));
        Near(dueFirst, script.Waits[0], TimeSpan.FromMilliseconds(1));
        var second = script.Steps[1].Serial!;
        var third = script.Steps[2].Serial!;
        Assert.Equal([second, third], hooked);
        Assert.Equal(second, ca.Store.Find(first)!.SupersededBy); // each renewal renewed the newest one
        Assert.Equal(third, ca.Store.Find(second)!.SupersededBy);
        // Each next renewal is scheduled from the certificate just written, at the same jittered fraction.
        Assert.Equal(script.Steps[1].Next, script.Waits[1]);
        var secondIssued = ca.Store.Find(second)!;
        Near(secondIssued.IssuedAt + (secondIssued.NotAfter - secondIssued.IssuedAt) * fraction, script.Waits[1], TimeSpan.FromSeconds(1));
        Assert.Equal(third, InventoryRecord.SerialOf(Load(cert)));
        var verify = Tool.Openssl("verify", "-attime", ca.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-CAfile", ca.RootPath, "-untrusted", cert, "-purpose", "sslserver", cert);
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }

    [Fact]
    public async Task A_rekey_writes_a_new_key_first_and_the_certificate_for_it()
    {
        await using var ca = await RunningCa.StartAsync();
        var (cert, key, _) = await EnrollToFilesAsync(ca);
        var oldKey = Tool.Openssl("pkey", "-in", key, "-pubout").Stdout;
        var script = new Script(ca.Clock, stopAtWait: 2);
        var options = Options(ca, script, cert, key);
        var last = await new RenewalDaemon(options with { Request = options.Request with { Rekey = true } }).RunAsync(script.Token);

        Assert.Equal(DaemonStepKind.Stopped, last.Kind);
        var newKey = Tool.Openssl("pkey", "-in", key, "-pubout").Stdout;
        Assert.NotEqual(oldKey, newKey);
        Assert.Equal(newKey, Tool.Openssl("x509", "-in", cert, "-noout", "-pubkey").Stdout);
        Assert.Equal("-rw-------", Tool.Run("stat", ["-c", "%A", key]).Stdout.Trim());
    }

    [Fact]
    public async Task A_revoked_certificate_stops_the_daemon_at_once_without_retrying()
    {
        await using var ca = await RunningCa.StartAsync();
        var (cert, key, serial) = await EnrollToFilesAsync(ca);
        Assert.True(ca.Store.Revoke(serial, ca.Clock.GetUtcNow(), X509RevocationReason.KeyCompromise));
        var script = new Script(ca.Clock, stopAtWait: 10);

        var last = await new RenewalDaemon(Options(ca, script, cert, key)).RunAsync(script.Token);

        Assert.Equal(DaemonStepKind.GaveUp, last.Kind);
        Assert.Equal("revoked", last.Problem?.Name);
        Assert.Single(script.Waits); // the first scheduled renewal only: no retry
        Assert.DoesNotContain(script.Steps, s => s.Kind == DaemonStepKind.Retrying);
    }

    [Fact]
    public async Task A_superseded_certificate_stops_the_daemon()
    {
        await using var ca = await RunningCa.StartAsync();
        var (cert, key, _) = await EnrollToFilesAsync(ca);
        File.Copy(cert, ca.Dir["old.crt"]);
        ca.Clock.Advance(TimeSpan.FromMinutes(30));
        var once = await CertificateRenewal.RenewOnceAsync(new RenewalRequest
            { CertificatePath = cert, KeyPath = key, CaUrl = ca.Url, Trust = CaTrust.Roots([ca.Root.Certificate]), Time = ca.Clock });
        Assert.Equal(RenewalOutcomeKind.Renewed, once.Kind);
        var script = new Script(ca.Clock, stopAtWait: 10);

        var last = await new RenewalDaemon(Options(ca, script, ca.Dir["old.crt"], key)).RunAsync(script.Token);

        Assert.Equal(DaemonStepKind.GaveUp, last.Kind);
        Assert.Equal("superseded", last.Problem?.Name);
    }

    [Fact]
    public async Task A_storm_refusal_is_retried_with_capped_doubling_backoff_until_the_CA_agrees()
    {
        // The daemon told to renew at 20%, before the CA's storm rule allows (a third): 429 renewing-too-often, which may heal.
        await using var ca = await RunningCa.StartAsync();
        var (cert, key, _) = await EnrollToFilesAsync(ca);
        var script = new Script(ca.Clock, stopAtWait: 40);
        var options = Options(ca, script, cert, key, random: 0.999999) with { RenewAt = 0.2, Jitter = 0 };
        var last = await new RenewalDaemon(options with
        {
            Log = step => { script.Steps.Add(step); if (step.Kind == DaemonStepKind.Renewed) script.Stop(); },
        }).RunAsync(script.Token);

        Assert.True(script.Steps.Any(s => s.Kind == DaemonStepKind.Renewed), string.Join("\n", script.Steps));
        var retries = script.Steps.Where(s => s.Kind == DaemonStepKind.Retrying).ToList();
        Assert.True(retries.Count >= 5, $"{retries.Count} retries");
        Assert.All(retries, r => Assert.Equal("renewing-too-often", r.Problem?.Name));
        Assert.Equal(Enumerable.Range(1, retries.Count), retries.Select(r => r.Attempt));
        var delays = retries.Select(r => (r.Next!.Value - r.At).TotalSeconds).ToList();
        var cap = RenewalBackoff.For(TimeSpan.FromHours(1)).Cap.TotalSeconds; // 180 s for a one-hour certificate
        Assert.Equal(180, cap);
        for (var i = 0; i < delays.Count; i++)
            Assert.Equal(Math.Min(cap, Math.Pow(2, i)), delays[i], 0.01);
        Assert.Equal(DaemonStepKind.Stopped, last.Kind);
    }

    [Theory]
    [InlineData(60, 1, 3)]          // a 60-second certificate retries within 3 s
    [InlineData(3600, 1, 180)]
    [InlineData(86400, 1, 300)]     // never more than 5 minutes
    [InlineData(10, 1, 1)]          // the cap never under a second
    public void Backoff_follows_the_lifetime(int lifetimeSeconds, double initial, double cap)
    {
        var backoff = RenewalBackoff.For(TimeSpan.FromSeconds(lifetimeSeconds));
        Assert.Equal(Math.Min(initial, cap), backoff.Initial.TotalSeconds);
        Assert.Equal(cap, backoff.Cap.TotalSeconds);
        Assert.Equal(backoff.Initial / 2, backoff.Delay(1, 0));      // equal jitter: half fixed...
        Assert.Equal(backoff.Cap, backoff.Delay(40, 1));             // ...half random, capped
        Assert.Equal(backoff.Cap / 2, backoff.Delay(40, 0));
    }
}
