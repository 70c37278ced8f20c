#!/usr/bin/env bash
# Issue 8 soak: `mtls serve --client-ca` (Release build) under a fixed mix of good mTLS clients and every
# kind of bad client (silent, half ClientHello, garbage, reset mid-request, impostor and missing
# certificates) for SECONDS (default 600; 20 is the short CI version, kept out of `dotnet test`).
# Passes when good clients are 100% served, every bad client is refused, the server never restarts,
# and its RSS and open descriptors come back to the baseline after the load. The baseline is taken
# after a 10 s warm-up with the same mix and 15 s idle; "back" means RSS within baseline + max(8 MB,
# 10%) and fds within baseline + 2 after at most 60 s idle (bench/Soak prints both). Appends the
# figures (p50/p99 latency, RSS over time) to bench/RESULTS.md. Loopback only.
# Usage: bash bench/soak.sh [SECONDS] [GOOD_CLIENTS] [BAD_CLIENTS]   (env: MTLS=published binary,
#        SOAK_OUT=work folder, SOAK_RESULTS=file to append to instead of bench/RESULTS.md)
# The short version runs in CI: tests/Mtls.Cli.Tests/ShortSoakTests.cs (20 s, 4 + 4 clients).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}; good=${2:-8}; bad=${3:-8}
out=${SOAK_OUT:-bench/out/soak}; rm -rf "$out"; mkdir -p "$out/pki"
# MTLS=path/to/published/mtls soaks that binary (Native AOT, as shipped); otherwise the JIT Release build.
if [[ -n "${MTLS:-}" ]]; then
  run=("$MTLS"); build="Native AOT build ($MTLS)"
else
  dotnet build src/Mtls.Cli -c Release -o "$out/mtls" -v q -nologo >/dev/null
  run=(dotnet "$out/mtls/mtls.dll"); build=""
fi
dotnet build bench/Soak -c Release -o "$out/driver" -v q -nologo >/dev/null
mtls() { "${run[@]}" "$@" >/dev/null; }

p="$out/pki"
mtls ca create --subject "/O=Soak/CN=Soak Server CA" --days 30 --out "$p/server-ca.crt" --key-out "$p/server-ca.key"
mtls ca create --subject "/O=Soak/CN=Soak Client CA" --days 30 --out "$p/client-ca.crt" --key-out "$p/client-ca.key"
mtls ca create --subject "/O=Soak/CN=Soak Client CA" --days 30 --out "$p/impostor-ca.crt" --key-out "$p/impostor-ca.key"
for who in server client impostor; do
  mtls key create --out "$p/$who.key"
  mtls csr create --key "$p/$who.key" --subject "/O=Soak/CN=$who" --san DNS:localhost --out "$p/$who.csr"
done
mtls ca sign "$p/server.csr" --ca-cert "$p/server-ca.crt" --ca-key "$p/server-ca.key" --profile server --days 30 --out "$p/server.crt"
mtls ca sign "$p/client.csr" --ca-cert "$p/client-ca.crt" --ca-key "$p/client-ca.key" --profile client --days 30 --out "$p/client.crt"
mtls ca sign "$p/impostor.csr" --ca-cert "$p/impostor-ca.crt" --ca-key "$p/impostor-ca.key" --profile client --days 30 --out "$p/impostor.crt"

# The server's first stdout line is its URL, printed once it listens: read it instead of sleeping.
mkfifo "$out/serve.fifo"
"${run[@]}" serve --cert "$p/server.crt" --key "$p/server.key" --client-ca "$p/client-ca.crt" \
  --port 0 --bind 127.0.0.1 --handshake-timeout 2s --max-connections 256 > "$out/serve.fifo" 2> "$out/serve.err" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
exec {fd}<"$out/serve.fifo"
read -r -t 30 url <&"$fd" || { echo "soak: the server did not start: $(cat "$out/serve.err")" >&2; exit 1; }
cat <&"$fd" > "$out/serve.log" &
port=${url##*:}; port=${port%/}

status=0
dotnet "$out/driver/Soak.dll" --port "$port" --pid "$server" --seconds "$seconds" --dir "$p" --good "$good" --bad "$bad" \
  > "$out/summary.md" || status=$?
kill -0 "$server" 2>/dev/null || { echo "soak: the server process is gone" >> "$out/summary.md"; status=1; }
kill -TERM "$server"; wait "$server" || { echo "soak: the server exited with $? on SIGTERM" >> "$out/summary.md"; status=1; }
trap - EXIT

{
  echo
  echo "## Soak: mtls serve --client-ca, $good good + $bad bad clients ($(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo '+changes'))"
  echo
  echo "${build:-JIT build (dotnet mtls.dll), GC: $(python3 -c 'import json,sys; print(", ".join(f"{k}={v}" for k,v in json.load(open(sys.argv[1]))["runtimeOptions"]["configProperties"].items() if k.startswith("System.GC")) or "defaults")' "$out/mtls/mtls.runtimeconfig.json")}. Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  cat "$out/summary.md"
  echo
  echo "Server log: $(grep -c ' request ' "$out/serve.log" || true) request lines, $(grep -c ' rejected ' "$out/serve.log" || true) rejected lines."
} | tee -a "${SOAK_RESULTS:-bench/RESULTS.md}"
exit "$status"
