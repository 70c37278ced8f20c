#!/usr/bin/env bash
# Issue 2 speed check: one-shot commands of the Native AOT `mtls` against the equivalent openssl
# commands, measured side by side in the same run with hyperfine. Appends to bench/RESULTS.md.
# Usage: bash bench/cli-startup.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-40}
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
out=bench/out/cli-startup; rm -rf "$out"; mkdir -p "$out"
dotnet publish src/Mtls.Cli -c Release -r linux-x64 -o "$out/aot" >/dev/null
dotnet build src/Mtls.Cli -c Release -o "$out/jit" >/dev/null
aot="$out/aot/mtls"; jit="dotnet $out/jit/mtls.dll"
w="$out/work"; mkdir -p "$w"
"$aot" ca create --subject "/CN=Bench CA" --days 30 --out "$w/ca.crt" --key-out "$w/ca.key" >/dev/null
"$aot" key create --curve P-384 --out "$w/s.key" >/dev/null
"$aot" csr create --key "$w/s.key" --subject "/C=JP/O=Kame/CN=localhost" --out "$w/s.csr" >/dev/null
"$aot" ca sign "$w/s.csr" --ca-cert "$w/ca.crt" --ca-key "$w/ca.key" --profile server --out "$w/s.crt" >/dev/null

hyperfine -N --warmup 3 --runs "$runs" --export-json "$out/key.json" \
  -n "openssl genpkey P-256" "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out $w/o.key" \
  -n "mtls key create (AOT)" "$aot key create --out $w/m.key --force" \
  -n "mtls key create (JIT)" "$jit key create --out $w/j.key --force"
hyperfine -N --warmup 3 --runs "$runs" --export-json "$out/show.json" \
  -n "openssl x509 -text" "openssl x509 -in $w/s.crt -noout -text" \
  -n "mtls cert show (AOT)" "$aot cert show $w/s.crt" \
  -n "mtls cert show (JIT)" "$jit cert show $w/s.crt"

python3 - "$out" >> bench/RESULTS.md <<'PY'
import json, sys, subprocess, datetime, os
out = sys.argv[1]
cpu = next((l.split(':',1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), '?')
print(f"\n## CLI start-up vs openssl ({datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, {cpu}, "
      f"{subprocess.run(['openssl','version'],capture_output=True,text=True).stdout.strip()})\n")
print("| command | mean ms | stddev ms | ratio to openssl |\n|---|---|---|---|")
for f in ("key.json", "show.json"):
    results = json.load(open(f"{out}/{f}"))["results"]
    base = results[0]["mean"]
    for r in results:
        print(f"| {r['command']} | {r['mean']*1000:.1f} | {r['stddev']*1000:.1f} | {r['mean']/base:.2f}x |")
PY
tail -n 9 bench/RESULTS.md
