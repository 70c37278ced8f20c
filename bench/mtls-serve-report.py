"""Summarises bench/mtls-serve.sh's results.jsonl as a Markdown section for bench/RESULTS.md:
medians over the rounds, ratios of mtls to nginx and Go, and each server's share of the crypto floor."""
import datetime, json, os, re, statistics, subprocess, sys

rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
speed = open(sys.argv[2]).read()
ecdsa = {"P-" + m.group(1): (float(m.group(2)), float(m.group(3))) for m in re.finditer(r"bits ecdsa \(nistp(\d+)\)\s+\S+\s+\S+\s+([\d.]+)\s+([\d.]+)", speed)}
x25519 = float(re.search(r"ecdh \(X25519\)\s+\S+\s+([\d.]+)", speed).group(1))
# The server's share of one mTLS handshake: sign CertificateVerify, verify the client's CertificateVerify
# and its certificate's signature, one X25519 key exchange.
floor = {c: 1000 / s + 2000 / v + 1000 / x25519 for c, (s, v) in ecdsa.items()}

def med(xs): return statistics.median(xs) if xs else float("nan")
def pick(server, curve, mode): return [r for r in rows if r["server"] == server and r["curve"] == curve and r.get("mode") == mode]
def per_op(rs): return med([r["cpu_ms"] / r["requests"] for r in rs if r["requests"]])
def mib(kb): return kb / 1024

cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
loads = [r["load"] for r in rows]
ver = lambda *cmd: subprocess.run(cmd, capture_output=True, text=True).stdout.strip() + subprocess.run(cmd, capture_output=True, text=True).stderr.strip()
print(f"\n## mtls serve vs nginx and Go: mTLS throughput ({datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, {cpu})\n")
print(f"bench/mtls-serve.sh; {ver('nginx', '-v')}, {ver('go', 'version')}, {ver('openssl', 'version').split(' (')[0]}. "
      f"Load average during the run {min(loads):.2f}-{max(loads):.2f} (median {med(loads):.2f}); other work shares the machine, "
      "so CPU per operation is the steadier figure. Medians over the rounds; the load generator runs on the same 2 cores.\n")
servers = ["mtls", "nginx", "go", "kestrel"]
names = {"kestrel": "kestrel floor"}
for curve in sorted({r["curve"] for r in rows}, key=lambda c: c != "P-384"):
    print(f"### {curve} (crypto floor {floor[curve]:.2f} ms per handshake: 1 sign, 2 verifies, 1 X25519)\n")
    print("| server | full hs/s | CPU ms/hs | floor share | resumed hs/s | resumed % | CPU ms/resumed | keep-alive req/s | CPU µs/req | RSS MiB after handshakes | RSS MiB after keep-alive | peak RSS MiB | start to first mTLS 200, ms | load avg |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    stats = {}
    for s in servers:
        full, res, ka, st = pick(s, curve, "full"), pick(s, curve, "resume"), pick(s, curve, "keepalive"), pick(s, curve, "startup")
        if not full: continue
        f = stats[s] = dict(hs=med([r["rate"] for r in full]), cpu=per_op(full), res=med([r["rate"] for r in res]),
            resp=med([100 * r["resumed"] / max(r["requests"], 1) for r in res]), rcpu=per_op(res), ka=med([r["rate"] for r in ka]),
            kcpu=1000 * per_op(ka), rss=mib(max(r["rss_kb"] for r in full)), karss=mib(max(r["rss_kb"] for r in ka)), hwm=mib(max(r["hwm_kb"] for r in full + res + ka)),
            start=med([r["ms"] for r in st if r["ms"] > 0]), load=med([r["load"] for r in full + res + ka]),
            errors=sum(r["errors"] for r in full + res + ka))
        print(f"| {names.get(s, s)} | {f['hs']:.0f} | {f['cpu']:.2f} | {100 * floor[curve] / f['cpu']:.0f}% | {f['res']:.0f} | {f['resp']:.0f}% | {f['rcpu']:.2f} | "
              f"{f['ka']:.0f} | {f['kcpu']:.0f} | {f['rss']:.1f} | {f['karss']:.1f} | {f['hwm']:.1f} | {f['start']:.0f} | {f['load']:.2f} |")
    m = stats.get("mtls")
    if m:
        for ref in ("nginx", "go", "kestrel"):
            r = stats.get(ref)
            if not r: continue
            print(f"\nmtls / {names.get(ref, ref)}: full handshakes/s {m['hs'] / r['hs']:.2f}x, CPU per handshake {m['cpu'] / r['cpu']:.2f}x, "
                  f"resumed/s {m['res'] / r['res']:.2f}x, keep-alive req/s {m['ka'] / r['ka']:.2f}x, RSS under handshakes {m['rss'] / r['rss']:.2f}x, start-up {m['start'] / r['start']:.2f}x", end="")
        print()
    if "kestrel" in stats:
        print("\nkestrel floor: Kestrel and SslStream as mtls serve sets them up (Native AOT, same gen0 budget), a fixed "
              "answer and nothing else per request; its client check is the platform's chain build against the client CA.")
    errs = {s: v["errors"] for s, v in stats.items() if v["errors"]}
    if errs: print(f"\nRequests that failed (counted apart): {errs}")
    print()
