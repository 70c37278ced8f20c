"""Summarises bench/mtls-proxy.sh's results.jsonl as a Markdown section for bench/RESULTS.md: medians over
the rounds, latency added over the direct run, and issue 16's speed targets met or missed.
Arguments: results.jsonl, git HEAD, path of the mtls binary, fixed rate, proxy core, backend core."""
import datetime, json, os, statistics, subprocess, sys

rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
head, mtls, rate, proxy_cpu, backend_cpu = sys.argv[2:7]

def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None
def pick(proxy, curve, mode): return [r for r in rows if r["proxy"] == proxy and r["curve"] == curve and r.get("mode") == mode]
def rate_of(rs): return med([r["rate"] for r in rs])
def cpu_per(rs, scale): return med([scale * r["cpu_ms"] / r["requests"] for r in rs if r["requests"] and r["cpu_ms"]])
def q(rs, k): return med([r.get(k) for r in rs])
def fmt(x, f="{:.0f}"): return "n/a" if x is None else f.format(x)
def run(*cmd, having=""):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
        return next(l for l in (p.stdout + p.stderr).strip().splitlines() if having in l).strip()
    except Exception as e:  # a missing tool is reported, not fatal
        return f"{cmd[0]}: {e}"

cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
loads = [r["load"] for r in rows if "load" in r]
busy = max(loads) > os.cpu_count() * 2
now = datetime.datetime.utcnow()
print(f"\n## mtls proxy vs nginx, HAProxy and stunnel4 ({now:%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, {cpu})\n")
if busy:
    print(f"**Taken under load** (load average {min(loads):.1f}-{max(loads):.1f}, other agents building on the same "
          f"{os.cpu_count()} cores): rates and latencies are indicative only; CPU per operation is the steadier figure. "
          "Re-run on a quiet machine before judging the targets.\n")
print(f"bench/mtls-proxy.sh at {head}; mtls {run(mtls, '--version')}; {run('nginx', '-v')}; {run('haproxy', '-v').split(' - ')[0]}; "
      f"{run('stunnel4', '-version', having='stunnel ')}; {run('openssl', 'version')}; {run('go', 'version')}. "
      f"Load average during the run {min(loads):.2f}-{max(loads):.2f} (median {med(loads):.2f}). "
      f"Proxy (one worker/thread) pinned to core {proxy_cpu}, backend (nginx, 1 worker, 13-byte static file) to core "
      f"{backend_cpu}, load generator unpinned. TLS 1.3, client certificate required. Medians over the rounds. "
      f"Latency: open loop at {rate} requests/s over 8 keep-alive connections; \"added\" = proxy minus direct.\n")

verdicts = []
def target(name, ok, detail):
    verdicts.append(f"| {name} | {detail} | {'met' if ok else ('**missed**' if ok is not None else 'not measured')} |")

for curve in sorted({r["curve"] for r in rows if r["proxy"] in ("mtls", "nginx", "haproxy")}):
    # mtls-inline (MTLS_INLINE=1) / mtls-noinline (MTLS_NOINLINE=1): the same binary with DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 / 0; not judged.
    print(f"### HTTP, {curve}\n")
    print("| proxy | keep-alive req/s | CPU µs/req | full mTLS hs/s | CPU ms/hs | p50 µs | p99 µs | added p50 µs | added p99 µs | RSS MiB after load | peak RSS MiB | errors | load avg |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    dl = pick("direct", curve, "latency")
    d50, d99 = q(dl, "p50_us"), q(dl, "p99_us")
    st = {}
    for s in ("direct", "mtls", "mtls-inline", "mtls-noinline", "nginx", "haproxy"):
        ka, full, lat = pick(s, curve, "keepalive"), pick(s, curve, "full"), pick(s, curve, "latency")
        if not ka: continue
        allr = ka + full + lat
        p50, p99 = q(lat, "p50_us"), q(lat, "p99_us")
        f = st[s] = dict(ka=rate_of(ka), kcpu=cpu_per(ka, 1000), hs=rate_of(full), hcpu=cpu_per(full, 1),
                         p50=p50, p99=p99, a50=None if s == "direct" or p50 is None or d50 is None else p50 - d50,
                         a99=None if s == "direct" or p99 is None or d99 is None else p99 - d99,
                         rss=max([r["rss_kb"] for r in allr if r["rss_kb"]], default=0) / 1024 or None,
                         hwm=max([r["hwm_kb"] for r in allr if r["hwm_kb"]], default=0) / 1024 or None,
                         err=sum(r["errors"] for r in allr), load=med([r["load"] for r in allr]))
        label = "direct (backend, plain HTTP)" if s == "direct" else s
        print(f"| {label} | {fmt(f['ka'])} | {fmt(f['kcpu'])} | {fmt(f['hs'])} | {fmt(f['hcpu'], '{:.2f}')} | {fmt(f['p50'])} | {fmt(f['p99'])} | "
              f"{fmt(f['a50'])} | {fmt(f['a99'])} | {fmt(f['rss'], '{:.1f}')} | {fmt(f['hwm'], '{:.1f}')} | {f['err']} | {f['load']:.1f} |")
    m, n, h = st.get("mtls"), st.get("nginx"), st.get("haproxy")
    if m and n and h:
        print(f"\nmtls / nginx: keep-alive {m['ka'] / n['ka']:.2f}x, CPU per request {m['kcpu'] / n['kcpu']:.2f}x, handshakes/s "
              f"{m['hs'] / n['hs']:.2f}x, CPU per handshake {m['hcpu'] / n['hcpu']:.2f}x. mtls / HAProxy: keep-alive "
              f"{m['ka'] / h['ka']:.2f}x, CPU per request {m['kcpu'] / h['kcpu']:.2f}x, handshakes/s {m['hs'] / h['hs']:.2f}x, "
              f"CPU per handshake {m['hcpu'] / h['hcpu']:.2f}x.")
        best = max(n["hs"], h["hs"])
        target(f"{curve}: full handshakes/s >= nginx and HAProxy", m["hs"] >= best,
               f"{m['hs']:.0f} vs {n['hs']:.0f} / {h['hs']:.0f} ({m['hs'] / best:.2f}x the better; CPU/hs {m['hcpu']:.2f} vs {n['hcpu']:.2f} / {h['hcpu']:.2f} ms)")
        target(f"{curve}: keep-alive req/s >= 0.8x nginx", m["ka"] >= 0.8 * n["ka"],
               f"{m['ka']:.0f} vs {n['ka']:.0f} ({m['ka'] / n['ka']:.2f}x; CPU/req {m['kcpu']:.0f} vs {n['kcpu']:.0f} µs)")
        # nginx's added p99 at or below zero (its p99 under the direct run's) is noise: no verdict then.
        ok = None if m["a99"] is None or n["a99"] is None or n["a99"] <= 0 else m["a99"] <= 2 * n["a99"]
        target(f"{curve}: added p99 <= 2x nginx's", ok, f"{fmt(m['a99'])} vs {fmt(n['a99'])} µs")
        target(f"{curve}: RSS <= 64 MiB", m["hwm"] is not None and m["hwm"] <= 64, f"peak {fmt(m['hwm'], '{:.1f}')} MiB (nginx {fmt(n['hwm'], '{:.1f}')}, HAProxy {fmt(h['hwm'], '{:.1f}')})")
    print()

tcp = [r for r in rows if r["proxy"] in ("direct-tcp", "mtls-tcp", "stunnel", "haproxy-tcp")]
if tcp:
    print("### TCP mode (echo backend; one curve)\n")
    print("| terminator | MB/s (4 connections, echoed) | CPU ms per MB | RTT p50 µs | RTT p99 µs | peak RSS MiB | errors | load avg |")
    print("|---|---|---|---|---|---|---|---|")
    t = {}
    for s in ("direct-tcp", "mtls-tcp", "stunnel", "haproxy-tcp"):
        if any(r["proxy"] == s and r.get("mode") == "unavailable" for r in tcp) and not any(r["proxy"] == s and r.get("mode") == "tcp-bulk" for r in tcp):
            why = next(r["why"] for r in tcp if r["proxy"] == s and r.get("mode") == "unavailable")
            print(f"| {s} | not available in this build: {why.replace('|', '/')} | | | | | | |")
            t[s] = None
            continue
        bulk = [r for r in tcp if r["proxy"] == s and r.get("mode") == "tcp-bulk"]
        rtt = [r for r in tcp if r["proxy"] == s and r.get("mode") == "tcp-rtt"]
        if not bulk: continue
        mb = med([r["mb_s"] for r in bulk])
        cpu_mb = med([r["cpu_ms"] / (r["mb_s"] * r["seconds"]) for r in bulk if r["mb_s"] and r["cpu_ms"]])
        hwm = max([r["hwm_kb"] for r in bulk + rtt if r["hwm_kb"]], default=0) / 1024 or None
        t[s] = mb
        label = "direct (echo service)" if s == "direct-tcp" else s
        print(f"| {label} | {mb:.0f} | {fmt(cpu_mb, '{:.2f}')} | {fmt(q(rtt, 'p50_us'))} | {fmt(q(rtt, 'p99_us'))} | {fmt(hwm, '{:.1f}')} | "
              f"{sum(r['errors'] for r in bulk + rtt)} | {med([r['load'] for r in bulk + rtt]):.1f} |")
    if t.get("stunnel"):
        m = t.get("mtls-tcp")
        target("TCP throughput >= stunnel4", None if m is None else m >= t["stunnel"],
               "mtls proxy has no tcp:// target in this build" if m is None else f"{m:.0f} vs {t['stunnel']:.0f} MB/s ({m / t['stunnel']:.2f}x)")
    print()

if verdicts:
    print("### Issue 16 speed targets (this run)\n")
    print("| target | measured (mtls vs others) | verdict |\n|---|---|---|")
    print("\n".join(verdicts))
    if busy:
        print("\nVerdicts from a run under load are provisional.")
    print()
