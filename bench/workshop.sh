#!/usr/bin/env bash
# Issue 4 speed check: the whole guided workshop (every step, both servers, mtls and curl accesses),
# warm build, timed with hyperfine; the JIT build (`dotnet mtls.dll`, what `dotnet run` runs) and the
# Native AOT binary. Appends to bench/RESULTS.md. Usage: bash bench/workshop.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
out=bench/out/workshop; rm -rf "$out"; mkdir -p "$out"
dotnet build src/Mtls.Cli -c Release -o "$out/jit" >/dev/null
dotnet publish src/Mtls.Cli -c Release -r linux-x64 -o "$out/aot" >/dev/null
hyperfine -N --warmup 1 --runs "$runs" --export-json "$out/workshop.json" \
  -n "workshop --fresh (JIT)" "dotnet $out/jit/mtls.dll workshop --dir $out/ws-jit --fresh --lang en" \
  -n "workshop --fresh (AOT)" "$out/aot/mtls workshop --dir $out/ws-aot --fresh --lang en" \
  -n "workshop, files reused (AOT)" "$out/aot/mtls workshop --dir $out/ws-aot --lang en"
python3 - "$out" >> bench/RESULTS.md <<'PY'
import json, sys, datetime, os
out = sys.argv[1]
cpu = next((l.split(':',1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), '?')
load = open('/proc/loadavg').read().split()[0]
print(f"\n## Guided workshop, end to end ({datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, {cpu}, load {load})\n")
print("Every step of the seed plus the two refusals, with mtls's client and curl (24 checks). Target: under 5 s warm.\n")
print("| command | mean s | min s | max s |\n|---|---|---|---|")
for r in json.load(open(f"{out}/workshop.json"))["results"]:
    print(f"| {r['command']} | {r['mean']:.2f} | {r['min']:.2f} | {r['max']:.2f} |")
PY
tail -n 8 bench/RESULTS.md
