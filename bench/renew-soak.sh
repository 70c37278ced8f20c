#!/usr/bin/env bash
# Issue 15 acceptance, the renewal soak: `mtls serve --client-ca` whose SERVER certificate lives 60 seconds
# and is renewed by `mtls cert renew --daemon` from `mtls ca serve`, for SECONDS (default 180) under a
# steady mTLS load (curl with a client certificate, a new connection per request, LOOPS loops in parallel).
# Passes (exit 0) when no request failed, the served certificate changed (sampled once a second with
# openssl s_client), every certificate served is in the CA's inventory, the daemon renewed and ran its
# --exec each time, and it stopped cleanly on SIGTERM. Appends the figures to bench/RESULTS.md.
# Usage: bash bench/renew-soak.sh [SECONDS] [LOOPS]   (env: MTLS_DLL=path/to/mtls.dll to skip the build,
#        SOAK_OUT=work folder, SOAK_RESULTS=file to append to instead of bench/RESULTS.md)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-180}; loops=${2:-2}
out=${SOAK_OUT:-bench/out/renew-soak}; rm -rf "$out"; mkdir -p "$out"
out=$(cd "$out" && pwd)
build="JIT Release build"
if [[ -n "${MTLS_DLL:-}" ]]; then build="$MTLS_DLL"; else
  dotnet build src/Mtls.Cli -c Release -o "$out/mtls" -v q -nologo >/dev/null
  MTLS_DLL="$out/mtls/mtls.dll"
fi
run=(dotnet "$MTLS_DLL")
mtls() { "${run[@]}" "$@"; }   # for foreground steps; background ones run "${run[@]}" directly so that $! is the process itself
cd "$out"
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# The URL a server prints as its first stdout line (no sleeps beyond polling its log file).
url_of() { for _ in $(seq 300); do if [[ -s "$1" ]]; then head -1 "$1"; return; fi; sleep 0.1; done; echo "no URL in $1" >&2; exit 1; }

mtls ca create --subject "/CN=Soak Root" --curve P-256 --out root.crt --key-out root.key >/dev/null
mtls ca create --subject "/CN=Soak Issuing" --curve P-256 --parent-cert root.crt --parent-key root.key --path-len 0 --out issuing.crt --key-out issuing.key >/dev/null
mtls ca create --subject "/CN=Soak Client CA" --curve P-256 --out client-ca.crt --key-out client-ca.key >/dev/null
mtls key create --out client.key >/dev/null
mtls csr create --key client.key --subject "/CN=Soak Client" --out client.csr >/dev/null
mtls ca sign client.csr --ca-cert client-ca.crt --ca-key client-ca.key --profile client --days 1 --out client.crt >/dev/null

"${run[@]}" ca serve --ca-cert issuing.crt --ca-key issuing.key --root root.crt --port 0 --bind 127.0.0.1 --default-lifetime 60s >ca.log 2>ca.err &
pids+=($!)
ca_url=$(url_of ca.log)
mtls ca token --ca-cert issuing.crt --san localhost --san IP:127.0.0.1 | tail -1 >token.txt
mtls enroll --ca-url "$ca_url" --root root.crt --token-file token.txt --key server.key --out server.crt --lifetime 60s >/dev/null

"${run[@]}" serve --cert server.crt --key server.key --client-ca client-ca.crt --port 0 --bind 127.0.0.1 >serve.log 2>serve.err &
serve_pid=$!; pids+=($serve_pid)
port=$(url_of serve.log | sed -E 's#.*:([0-9]+)/?$#\1#')
url="https://localhost:$port/"

# The daemon, with an --exec whose arguments start with dashes (passed as given, no shell).
"${run[@]}" cert renew server.crt --key server.key --ca-url "$ca_url" --root root.crt --daemon --exec openssl x509 -in server.crt -noout -serial >daemon.log 2>daemon.err &
daemon_pid=$!; pids+=($daemon_pid)

end=$(( $(date +%s) + seconds ))
load() {
  local ok=0 fail=0 code
  while (( $(date +%s) < end )); do
    code=$(curl -s -o /dev/null -w '%{http_code}' --cacert root.crt --cert client.crt --key client.key "$url" || true)
    if [[ $code == 200 ]]; then ok=$((ok + 1)); else fail=$((fail + 1)); echo "$(date -u +%FT%TZ) $code" >>failures.log; fi
  done
  echo "$ok $fail" >"load.$1"
}
for i in $(seq "$loops"); do load "$i" & done
while (( $(date +%s) < end )); do
  echo | timeout 5 openssl s_client -connect "127.0.0.1:$port" -servername localhost -CAfile root.crt -cert client.crt -key client.key 2>/dev/null \
    | openssl x509 -noout -serial 2>/dev/null | cut -d= -f2 >>served.txt || true
  sleep 1
done
wait $(jobs -p | grep -v -e "$daemon_pid" -e "$serve_pid" -e "${pids[0]}") 2>/dev/null || true
for i in $(seq "$loops"); do while [[ ! -s load.$i ]]; do sleep 0.2; done; done

kill -TERM "$daemon_pid"; set +e; wait "$daemon_pid"; daemon_rc=$?; set -e
ok=0; fail=0; for i in $(seq "$loops"); do read -r a b <"load.$i"; ok=$((ok + a)); fail=$((fail + b)); done
mtls ca list --ca-cert issuing.crt --json >inventory.json
norm() { tr 'a-f' 'A-F' | sed -E 's/^0+//'; }
served=$(sort -u served.txt | grep -v '^$' | norm | sort -u)
missing=0
for s in $served; do grep -qi "\"0*$s\"" inventory.json || { echo "served serial $s not in the inventory"; missing=$((missing + 1)); }; done
renewals=$(grep -c 'renewed: server.crt' daemon.log || true)
execs=$(grep -c 'ran openssl x509 -in server.crt -noout -serial: exit status 0' daemon.log || true)
reloads=$(grep -c 'reloaded' serve.log || true)
distinct=$(echo "$served" | grep -c . || true)
stopped=$(grep -c 'daemon: stopped' daemon.log || true)

verdict=PASS
(( fail == 0 && missing == 0 && distinct >= 2 && renewals >= 1 && execs == renewals && daemon_rc == 0 && stopped == 1 )) || verdict=FAIL
summary="requests ok $ok, failed $fail; certificates served (distinct serials sampled) $distinct, not in the inventory $missing; daemon renewals $renewals, --exec runs $execs, serve reload lines $reloads; daemon exit on SIGTERM $daemon_rc"
echo "$verdict: $summary"
results=${SOAK_RESULTS:-"$OLDPWD/bench/RESULTS.md"}
{
  echo
  echo "## renew-soak ($(date -u +%F), $(nproc) cores, $(git -C "$OLDPWD" rev-parse --short HEAD)): ${seconds}s, 60-second certificates, $loops curl loops, $build"
  echo "bash bench/renew-soak.sh $seconds $loops: $verdict. $summary."
} >>"$results"
[[ $verdict == PASS ]]
