using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Mtls.Client;
using Mtls.Pki.Certificates;
using Mtls.Soak;

// bench/soak.sh's load driver: good mTLS clients and every kind of bad client at fixed concurrency
// against a running `mtls serve`, for a fixed time; samples the server's RSS and open descriptors.
// Baseline: the same mix for --warmup seconds (JIT tiering, TLS and Kestrel pools, thread pool growth),
// then the server left idle for --settle seconds; RSS and fds then. After the load the server is left
// idle again and must come back within the tolerance (printed) inside --settle-max seconds.
// Usage: Soak --port N --pid PID --seconds S --dir PKI_DIR [--good 8] [--bad 8] [--warmup 10] [--settle 15]
//        [--settle-max 60] [--rss-tolerance-pct 10] [--rss-tolerance-mb 8]
var opts = Args.Parse(args);
var port = opts.Int("port");
var pid = opts.Int("pid");
var seconds = opts.Int("seconds");
var dir = opts.Get("dir");
var goodWorkers = opts.Int("good", 8);
var badWorkers = opts.Int("bad", 8);
var warmup = opts.Int("warmup", 10);
var settle = opts.Int("settle", 15);
var settleMax = opts.Int("settle-max", 60);
var tolerancePct = opts.Int("rss-tolerance-pct", 10);
var toleranceMb = opts.Int("rss-tolerance-mb", 8);

var client = CertificateFile.LoadWithKey(Path.Combine(dir, "client.crt"), Path.Combine(dir, "client.key"), null).Leaf;
var impostor = CertificateFile.LoadWithKey(Path.Combine(dir, "impostor.crt"), Path.Combine(dir, "impostor.key"), null).Leaf;
var serverCa = CertificateFile.Load(Path.Combine(dir, "server-ca.crt"));
var url = new Uri($"https://localhost:{port}/");
var clientOptions = new MtlsClientOptions { TrustedCas = [serverCa], ClientCertificate = client, Timeout = TimeSpan.FromSeconds(10) };
var bad = new BadClients(port, impostor, TimeSpan.FromSeconds(10));
var server = new ProcessProbe(pid);

if (!(await MtlsClient.GetAsync(url, clientOptions)).Success) { Console.Error.WriteLine("soak: the server does not serve a good client"); return 1; }

var latencies = new List<double>();
var goodOk = 0; var goodFailed = 0;
var badCounts = BadClients.Kinds.ToDictionary(k => k, _ => (Refused: 0, NotRefused: 0));
var failures = new List<string>();
var samples = new List<(double T, ProcessProbe.Snapshot S)>();
var gate = new Lock();

// Warm-up: the full mix, not counted; then idle, then the baseline.
await RunMix(warmup, count: false);
var baseline = await Idle(settle);
var rssLimit = baseline.RssMb + Math.Max(toleranceMb, baseline.RssMb * tolerancePct / 100.0);
Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"soak: baseline (after a {warmup} s warm-up and {settle} s idle) RSS {baseline.RssMb:0.0} MB, {baseline.Fds} fds; limit after the load {rssLimit:0.0} MB; {seconds} s with {goodWorkers} good and {badWorkers} bad clients"));

var clock = Stopwatch.StartNew();
var sampler = Task.Run(async () =>
{
    using var tick = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, seconds / 60)));
    do lock (gate) samples.Add((clock.Elapsed.TotalSeconds, server.Sample()));
    while (await tick.WaitForNextTickAsync(CancellationToken.None) && clock.Elapsed.TotalSeconds < seconds && server.Alive);
});
await RunMix(seconds, count: true);
await sampler;

// After the load: idle; RSS and descriptors must come back to the baseline (within the limit) once the
// idle keep-alive connections and handshake timeouts have run out and the server has trimmed. Bounded
// wait, sampled (there is no event to await for "memory given back").
var settleClock = Stopwatch.StartNew();
var after = server.Sample();
var afterSamples = new List<(double T, ProcessProbe.Snapshot S)> { (0, after) };
while ((after.Fds > baseline.Fds + 2 || after.RssMb > rssLimit) && settleClock.Elapsed < TimeSpan.FromSeconds(settleMax) && server.Alive)
{
    await Task.Delay(1000);
    after = server.Sample();
    afterSamples.Add((settleClock.Elapsed.TotalSeconds, after));
}
var settledIn = settleClock.Elapsed.TotalSeconds;
var afterRequest = await MtlsClient.GetAsync(url, clientOptions);

latencies.Sort();
double Pct(double p) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)(p * latencies.Count))];
var peak = samples.Count == 0 ? after : samples.MaxBy(s => s.S.RssMb).S;
var badNotRefused = badCounts.Values.Sum(c => c.NotRefused);
var rssOk = after.RssMb <= rssLimit;
var pass = goodFailed == 0 && goodOk > 0 && badNotRefused == 0 && server.Alive && after.Fds <= baseline.Fds + 2 && rssOk && afterRequest.Success;

var inv = CultureInfo.InvariantCulture;
Console.WriteLine(string.Create(inv, $"| duration | good requests | good failed | p50 ms | p99 ms | max ms | bad clients (refused / not) | RSS base / peak / after MB | RSS limit MB | back in s | fds base / after | verdict |"));
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
Console.WriteLine(string.Create(inv, $"| {seconds} s | {goodOk} | {goodFailed} | {Pct(0.50):0.0} | {Pct(0.99):0.0} | {(latencies.Count > 0 ? latencies[^1] : double.NaN):0.0} | {badCounts.Values.Sum(c => c.Refused)} / {badNotRefused} | {baseline.RssMb:0.0} / {peak.RssMb:0.0} / {after.RssMb:0.0} | {rssLimit:0.0} | {(rssOk ? settledIn.ToString("0", inv) : "not")} | {baseline.Fds} / {after.Fds} | {(pass ? "PASS" : "FAIL")} |"));
Console.WriteLine();
Console.WriteLine(string.Create(inv, $"Baseline: RSS and fds after a {warmup} s warm-up with the same mix and {settle} s idle. Limit: baseline + max({toleranceMb} MB, {tolerancePct}%), within {settleMax} s of idle after the load."));
Console.WriteLine();
Console.WriteLine("Bad clients by kind (refused / not refused): " + string.Join(", ", badCounts.Select(kv => $"{kv.Key} {kv.Value.Refused}/{kv.Value.NotRefused}")));
Console.WriteLine();
Console.WriteLine("RSS and fds over time (s: MB, fds): " + string.Join("; ", samples.Select(s => string.Create(inv, $"{s.T:0}: {s.S.RssMb:0}, {s.S.Fds}"))));
Console.WriteLine();
Console.WriteLine("RSS after the load, idle (s: MB, fds): " + string.Join("; ", afterSamples.Select(s => string.Create(inv, $"{s.T:0}: {s.S.RssMb:0.0}, {s.S.Fds}"))));
foreach (var f in failures) Console.WriteLine($"- good client failure: {f}");
if (!server.Alive) Console.WriteLine("- the server process died");
return pass ? 0 : 1;

// The mix for `secs` seconds: good clients in a loop, bad clients cycling through every kind.
async Task RunMix(int secs, bool count)
{
    using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(secs));
    var good = Enumerable.Range(0, goodWorkers).Select(_ => Task.Run(async () =>
    {
        while (!stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            var result = await MtlsClient.GetAsync(url, clientOptions);
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (!count) continue;
            lock (gate)
            {
                if (result.Success) { goodOk++; latencies.Add(ms); }
                else { goodFailed++; if (failures.Count < 10) failures.Add(result.Failure?.Message ?? $"status {result.StatusCode}"); }
            }
        }
    }));
    var hostile = Enumerable.Range(0, badWorkers).Select(w => Task.Run(async () =>
    {
        for (var n = w; !stop.IsCancellationRequested; n++)
        {
            var kind = BadClients.Kinds[n % BadClients.Kinds.Length];
            var refused = await bad.RunAsync(kind, CancellationToken.None);
            if (!count) continue;
            lock (gate)
            {
                var c = badCounts[kind];
                badCounts[kind] = refused ? (c.Refused + 1, c.NotRefused) : (c.Refused, c.NotRefused + 1);
            }
        }
    }));
    await Task.WhenAll(good.Concat(hostile));
}

// Leaves the server idle for `secs` seconds, then samples it.
async Task<ProcessProbe.Snapshot> Idle(int secs)
{
    await Task.Delay(TimeSpan.FromSeconds(secs));
    return server.Sample();
}
