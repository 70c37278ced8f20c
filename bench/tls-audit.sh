#!/usr/bin/env bash
# Issue 8: the TLS configuration of `mtls serve` judged by two outside tools, testssl.sh and sslscan,
# with and without --client-ca. Passes when: only TLS 1.2 and 1.3 are offered; every suite is
# forward-secret AEAD; testssl.sh reports nothing above LOW; the served chain is complete (testssl.sh's
# chain of trust is OK against our CA). Prints a summary, appends it to bench/RESULTS.md, exits 1 on
# a regression. Loopback only.
# Usage: bash bench/tls-audit.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out/tls-audit; rm -rf "$out"; mkdir -p "$out/pki"
command -v testssl >/dev/null && command -v sslscan >/dev/null ||
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq testssl.sh sslscan >/dev/null; }
dotnet build src/Mtls.Cli -c Release -o "$out/mtls" -v q -nologo >/dev/null
mtls() { dotnet "$out/mtls/mtls.dll" "$@"; }

p="$out/pki"
mtls ca create --subject "/O=Audit/CN=Audit Server CA" --days 365 --out "$p/server-ca.crt" --key-out "$p/server-ca.key" >/dev/null
mtls ca create --subject "/O=Audit/CN=Audit Client CA" --days 365 --out "$p/client-ca.crt" --key-out "$p/client-ca.key" >/dev/null
mtls key create --out "$p/server.key" >/dev/null
mtls csr create --key "$p/server.key" --subject "/O=Audit/CN=localhost" --san DNS:localhost --san IP:127.0.0.1 --out "$p/server.csr" >/dev/null
mtls ca sign "$p/server.csr" --ca-cert "$p/server-ca.crt" --ca-key "$p/server-ca.key" --profile server --days 365 --out "$p/server.crt" >/dev/null

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

# Starts a server on a free loopback port and sets PORT; the server's first stdout line is the URL,
# printed once it listens (no sleeping). The rest of its stdout (the request log) goes to a file.
start() {
  local name=$1; shift
  mkfifo "$out/$name.fifo"
  dotnet "$out/mtls/mtls.dll" serve --cert "$p/server.crt" --key "$p/server.key" --port 0 --bind 127.0.0.1 "$@" \
    > "$out/$name.fifo" 2> "$out/$name.err" &
  pids+=($!)
  local url fd
  exec {fd}<"$out/$name.fifo"
  read -r -t 30 url <&"$fd" || { echo "tls-audit: $name did not start: $(cat "$out/$name.err")" >&2; exit 1; }
  cat <&"$fd" > "$out/$name.log" &
  PORT=${url##*:}; PORT=${PORT%/}
}

for mode in plain mtls; do
  if [ "$mode" = plain ]; then start plain; else start mtls --client-ca "$p/client-ca.crt"; fi
  echo "tls-audit: $mode server on 127.0.0.1:$PORT: sslscan ..." >&2
  sslscan --no-colour --xml="$out/$mode-sslscan.xml" "127.0.0.1:$PORT" > "$out/$mode-sslscan.txt" 2>&1 || true
  echo "tls-audit: $mode: testssl.sh (a few minutes) ..." >&2
  testssl --quiet --color 0 --warnings off --ip 127.0.0.1 --add-ca "$p/server-ca.crt" --jsonfile "$out/$mode-testssl.json" \
    "https://localhost:$PORT/" > "$out/$mode-testssl.txt" 2>&1 || true
done

# Recorded whatever the verdict: a regression belongs in the record too.
status=0
python3 bench/tls_audit_report.py "$out" > "$out/summary.md" || status=$?
cat "$out/summary.md"
cat "$out/summary.md" >> bench/RESULTS.md
exit "$status"
