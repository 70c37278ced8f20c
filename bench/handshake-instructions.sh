#!/usr/bin/env bash
# Issue 7: where a P-384 mTLS handshake's work goes, in instructions (valgrind callgrind), for
# `mtls serve` (Native AOT) and nginx (one process, same libssl/libcrypto), same certificates, same run.
# Instruction counts do not depend on what else the machine is doing (2 cores shared with builds and
# fuzzers made bench/mtls-serve.sh's CPU-time figures swing by 20%); they are the profile behind them.
# For each server: full handshakes (new connection, TLS 1.3, client certificate) then resumed ones
# (TLS 1.3 ticket), counted between callgrind_control --zero and --dump, divided by the requests the
# load generator (bench/loadgen: presents a client certificate, verifies the server) completed.
# Prints instructions per handshake, the ratio to nginx and the share of the main OpenSSL functions;
# then keep-alive requests (4 connections, requests back to back): instructions per request, the
# handshakes that opened the connections subtracted (SSL_do_handshake, inclusive). Appends the tables
# to bench/RESULTS.md.
# A third server, "kestrel floor" (bench/kestrel-floor: Kestrel and SslStream as mtls serve sets them
# up, a fixed answer, no per-request work), splits mtls's excess over nginx into ours and the platform's.
# Usage: bash bench/handshake-instructions.sh   (env: SECS=20 per measurement, CURVE=P-384,
#        MTLS=path/to/published/mtls and FLOOR=path/to/kestrel-floor to skip the publishes)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${SECS:-20}; curve=${CURVE:-P-384}
need=(); command -v nginx >/dev/null || need+=(nginx-light); command -v go >/dev/null || need+=(golang-go)
command -v valgrind >/dev/null || need+=(valgrind)
if ((${#need[@]})); then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; fi

out=bench/out/handshake-instructions; rm -rf "$out"; mkdir -p "$out/bin"
out=$(cd "$out" && pwd)
if [[ -z "${MTLS:-}" ]]; then
  dotnet publish src/Mtls.Cli -c Release -r linux-x64 -o "$out/aot" -v q -nologo >/dev/null
  MTLS="$out/aot/mtls"
fi
if [[ -z "${FLOOR:-}" ]]; then
  dotnet publish bench/kestrel-floor -c Release -r linux-x64 -o "$out/floor" -v q -nologo >/dev/null
  FLOOR="$out/floor/kestrel-floor"
fi
objcopy --strip-debug --remove-section=.gnu_debuglink "$FLOOR" "$out/bin/kestrel-floor"
# valgrind cannot read the DWARF of a Native AOT binary; the symbol table is enough for function names.
objcopy --strip-debug --remove-section=.gnu_debuglink "$MTLS" "$out/bin/mtls"
(cd bench/loadgen && go build -o "$out/bin/loadgen" .)
lg="$out/bin/loadgen"

d="$out/pki"; mkdir -p "$d"
m() { "$MTLS" "$@" >/dev/null; }
m ca create --subject "/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=ca.server.example.com" --curve "$curve" --days 30 --out "$d/server-ca.crt" --key-out "$d/server-ca.key"
m ca create --subject "/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=ca.client.example.com" --curve "$curve" --days 30 --out "$d/client-ca.crt" --key-out "$d/client-ca.key"
m key create --curve "$curve" --out "$d/server.key"
m csr create --key "$d/server.key" --subject "/C=JP/O=Kame/CN=localhost" --san DNS:localhost --out "$d/server.csr"
m ca sign "$d/server.csr" --ca-cert "$d/server-ca.crt" --ca-key "$d/server-ca.key" --profile server --days 20 --out "$d/server.crt"
m key create --curve "$curve" --out "$d/client.key"
m csr create --key "$d/client.key" --subject "/C=JP/O=Kame/CN=bench-client" --out "$d/client.csr"
m ca sign "$d/client.csr" --ca-cert "$d/client-ca.crt" --ca-key "$d/client-ca.key" --profile client --days 20 --out "$d/client.crt"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
load() { "$lg" -addr "127.0.0.1:$1" -cacert "$d/server-ca.crt" -cert "$d/client.crt" -key "$d/client.key" -mode "$2" -c "$([[ $2 == keepalive ]] && echo 4 || echo 2)" -d "$3"; }

nginx_conf() { # $1 port: one process, no master, so callgrind sees every handshake
  mkdir -p "$out/nginx"
  cat > "$out/nginx/nginx.conf" <<EOF
master_process off;
worker_processes 1;
daemon off;
pid $out/nginx/nginx.pid;
error_log $out/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log /dev/null;
  keepalive_requests 1000000;
  client_body_temp_path $out/nginx/body; proxy_temp_path $out/nginx/proxy; fastcgi_temp_path $out/nginx/fcgi;
  uwsgi_temp_path $out/nginx/uwsgi; scgi_temp_path $out/nginx/scgi;
  server {
    listen 127.0.0.1:$1 ssl;
    ssl_certificate $d/server.crt; ssl_certificate_key $d/server.key;
    ssl_client_certificate $d/client-ca.crt; ssl_verify_client on;
    ssl_protocols TLSv1.2 TLSv1.3;
    location / { default_type text/plain; return 200 "Hello, \$ssl_client_s_dn!\n"; }
  }
}
EOF
}

rows="$out/rows.tsv"; : > "$rows"
for s in mtls nginx kestrel; do
  port=$(free_port)
  case $s in
    kestrel) cmd=("$out/bin/kestrel-floor" "$d/server.crt" "$d/server.key" "$d/client-ca.crt" "$port") ;;
    mtls) cmd=("$out/bin/mtls" serve --cert "$d/server.crt" --key "$d/server.key" --client-ca "$d/client-ca.crt" --port "$port" --bind 127.0.0.1) ;;
    nginx) nginx_conf "$port"; cmd=(nginx -p "$out/nginx" -c "$out/nginx/nginx.conf" -e "$out/nginx/error.log") ;;
  esac
  valgrind --tool=callgrind --callgrind-out-file="$out/$s.cg" "${cmd[@]}" >/dev/null 2>"$out/$s.valgrind.log" &
  vg=$!
  # Ready when a full mTLS request succeeds (start-up under valgrind takes seconds; polled, not guessed).
  for _ in $(seq 1 120); do load "$port" full 1s 2>/dev/null | grep -q '"errors":0' && break; sleep 1; done
  load "$port" full 5s >/dev/null; load "$port" resume 5s >/dev/null # warm: tiered code, caches, tickets
  for mode in full resume keepalive; do
    callgrind_control --zero "$vg" >/dev/null
    j=$(load "$port" "$mode" "${secs}s")
    callgrind_control --dump="$mode" "$vg" >/dev/null
    n=$(python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print(r["requests"] if r["errors"]==0 else 0)' "$j")
    resumed=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["resumed"])' "$j")
    f=$(ls -t "$out/$s.cg".* | head -n 1)
    callgrind_annotate --inclusive=yes --threshold=100 "$f" > "$out/$s.$mode.txt" 2>/dev/null
    printf '%s\t%s\t%s\t%s\t%s\n' "$s" "$mode" "$n" "$resumed" "$f" >> "$rows"
  done
  kill "$vg"; wait "$vg" 2>/dev/null || true
done

python3 - "$rows" "$curve" "$(date -u '+%Y-%m-%d %H:%M')" "$(nproc)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" "$(git rev-parse --short HEAD)" "$(openssl version | cut -d' ' -f2)" <<'EOF' | tee -a bench/RESULTS.md
import re, sys
rows, curve, when, cores, cpu, commit, ossl = sys.argv[1:8]
def total(path):
    for line in open(path):
        if "PROGRAM TOTALS" in line: return int(line.split()[0].replace(",", ""))
def incl(path, name):
    best = 0
    for line in open(path):
        m = re.match(r"\s*([\d,]+) \([^)]*\)\s+\S*:" + re.escape(name) + r" \[", line)
        if m: best = max(best, int(m.group(1).replace(",", "")))
    return best
names = {"kestrel": "kestrel floor"}
data = {}
for line in open(rows):
    s, mode, n, resumed, f = line.rstrip("\n").split("\t")
    txt = f.rsplit("/", 1)[0] + f"/{s}.{mode}.txt"
    data[(s, mode)] = (int(n), int(resumed), txt)
funcs = [("ECDSA_do_sign_ex", "sign"), ("ECDSA_do_verify", "verify"), ("EVP_PKEY_derive", "ECDHE derive"),
         ("d2i_SSL_SESSION", "session copy/decode"), ("OSSL_DECODER_CTX_new_for_pkey", "public-key decoder setup")]
print(f"\n## Handshake instructions: mtls serve vs nginx, {curve} mTLS, callgrind ({when} UTC, {cores} cores, {cpu}, OpenSSL {ossl}, {commit})\n")
print("Instructions per handshake between callgrind --zero and --dump; the load generator presents a client certificate, 2 workers. "
      "Counts do not move with machine load. Shares are inclusive (a function and what it calls).\n")
print("| server | mode | handshakes | resumed | instructions/handshake | vs nginx | " + " | ".join(l for _, l in funcs) + " |")
print("|---|---|---|---|---|---|" + "---|" * len(funcs))
for mode in ("full", "resume"):
    ref = None
    for s in ("nginx", "mtls", "kestrel"):
        n, resumed, txt = data[(s, mode)]
        if n == 0: print(f"| {names.get(s, s)} | {mode} | errors | | | |" + " |" * len(funcs)); continue
        t = total(txt); per = t / n
        if s == "nginx": ref = per
        shares = " | ".join(f"{100 * incl(txt, f) / t:.0f}%" for f, _ in funcs)
        ratio = f"{per / ref:.2f}x" if ref else "-"
        print(f"| {names.get(s, s)} | {mode} | {n} | {resumed} | {per / 1e6:.2f} M | {ratio} | {shares} |")
print("\nKeep-alive (4 connections, requests back to back; the 4 handshakes that opened them subtracted):\n")
print("| server | requests | instructions/request | vs nginx |")
print("|---|---|---|---|")
ref = None
for s in ("nginx", "mtls", "kestrel"):
    n, _, txt = data[(s, "keepalive")]
    if n == 0: print(f"| {names.get(s, s)} | errors | | |"); continue
    per = (total(txt) - incl(txt, "SSL_do_handshake")) / n
    if s == "nginx": ref = per
    print(f"| {names.get(s, s)} | {n} | {per / 1e3:.1f} k | {per / ref:.2f}x |" if ref else f"| {names.get(s, s)} | {n} | {per / 1e3:.1f} k | - |")
print("\nkestrel floor: Kestrel and SslStream as mtls serve sets them up, a fixed answer and nothing else per request "
      "(its client check is the platform's chain build against the client CA: one more verify per full handshake than mtls).")
EOF
