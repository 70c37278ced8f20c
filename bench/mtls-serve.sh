#!/usr/bin/env bash
# Issue 7: `mtls serve --client-ca` (Native AOT) against nginx and Go's crypto/tls, same certificates,
# same run, servers alternated. Measures full mTLS handshakes/s (new TCP connection + TLS 1.3 handshake
# with a client certificate per request), resumed handshakes/s, keep-alive requests/s, server CPU per
# handshake and per request (/proc/PID/stat utime+stime), RSS (VmRSS after load, VmHWM) and start-up to
# the first mTLS response; the crypto floor from `openssl speed` in the same run. Appends to
# bench/RESULTS.md. The load generator (bench/loadgen) presents a client certificate and verifies the
# server like curl: h2load and wrk cannot present one. A fourth server, "kestrel floor"
# (bench/kestrel-floor: Kestrel and SslStream set up as mtls serve uses them, answering a fixed text with
# no per-request work), shows what the platform costs and what mtls adds to it.
# Usage: bash bench/mtls-serve.sh     (env: SECS=5 per measurement, ROUNDS=2, CURVES="P-384 P-256",
#        MTLS=path/to/mtls and FLOOR=path/to/kestrel-floor to skip the publishes, STARTS=5 start-up
#        samples per server)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${SECS:-5}; rounds=${ROUNDS:-2}; curves=${CURVES:-"P-384 P-256"}; starts=${STARTS:-5}
source bench/lib.sh
need_packages nginx:nginx-light go:golang-go

out=bench/out/mtls-serve; rm -rf "$out"; mkdir -p "$out/bin"
out=$(cd "$out" && pwd)
if [[ -z "${MTLS:-}" ]]; then
  dotnet publish src/Mtls.Cli -c Release -r linux-x64 -o "$out/aot" >/dev/null
  MTLS="$out/aot/mtls"
fi
if [[ -z "${FLOOR:-}" ]]; then
  dotnet publish bench/kestrel-floor -c Release -r linux-x64 -o "$out/floor" >/dev/null
  FLOOR="$out/floor/kestrel-floor"
fi
(cd bench/loadgen && go build -o "$out/bin/loadgen" .)
(cd bench/go-server && go build -o "$out/bin/go-server" .)
lg="$out/bin/loadgen"; tck=$(getconf CLK_TCK)

nginx_conf() { # $1 dir, $2 port
  mkdir -p "$1/nginx"
  cat > "$1/nginx/nginx.conf" <<EOF
worker_processes auto;
daemon off;
pid $1/nginx/nginx.pid;
error_log $1/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log /dev/null;
  client_body_temp_path $1/nginx/body; proxy_temp_path $1/nginx/proxy; fastcgi_temp_path $1/nginx/fcgi;
  uwsgi_temp_path $1/nginx/uwsgi; scgi_temp_path $1/nginx/scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$2 ssl;
    ssl_certificate $1/server.crt; ssl_certificate_key $1/server.key;
    ssl_client_certificate $1/client-ca.crt; ssl_verify_client on;
    ssl_protocols TLSv1.2 TLSv1.3;
    location / { default_type text/plain; return 200 "Hello, \$ssl_client_s_dn!\n"; }
  }
}
EOF
}

server_cmd() { # $1 server, $2 dir, $3 port: the command line, one word per line
  case $1 in
    mtls) printf '%s\n' "$MTLS" serve --cert "$2/server.crt" --key "$2/server.key" --client-ca "$2/client-ca.crt" --port "$3" --bind 127.0.0.1 ;;
    nginx) nginx_conf "$2" "$3"; printf '%s\n' nginx -p "$2/nginx" -c "$2/nginx/nginx.conf" -e "$2/nginx/error.log" ;;
    go) printf '%s\n' "$out/bin/go-server" -addr "127.0.0.1:$3" -cert "$2/server.crt" -key "$2/server.key" -client-ca "$2/client-ca.crt" ;;
    kestrel) printf '%s\n' "$FLOOR" "$2/server.crt" "$2/server.key" "$2/client-ca.crt" "$3" ;;
  esac
}

results="$out/results.jsonl"; : > "$results"
record() { echo "$1" >> "$results"; echo "$1"; }

measure() { # $1 server $2 curve $3 dir $4 port $5 pid $6 mode $7 concurrency
  local t0 t1 j load
  load=$(loadavg); t0=$(ticks "$5")
  j=$("$lg" -addr "127.0.0.1:$4" -cacert "$3/server-ca.crt" -cert "$3/client.crt" -key "$3/client.key" -mode "$6" -c "$7" -d "${secs}s")
  t1=$(ticks "$5")
  record "{\"server\":\"$1\",\"curve\":\"$2\",\"cpu_ms\":$(( (t1 - t0) * 1000 / tck )),\"rss_kb\":$(mem_kb "$5" VmRSS),\"hwm_kb\":$(mem_kb "$5" VmHWM),\"load\":$load,\"c\":$7,${j#\{}"
}

for curve in $curves; do
  d="$out/${curve}"; make_certs "$d" "$curve"
  for round in $(seq 1 "$rounds"); do
    for s in mtls nginx go kestrel; do
      port=$(free_port); mapfile -t cmd < <(server_cmd "$s" "$d" "$port")
      "${cmd[@]}" >/dev/null 2>"$out/$s.err" & pid=$!
      "$lg" -addr "127.0.0.1:$port" -cacert "$d/server-ca.crt" -cert "$d/client.crt" -key "$d/client.key" -mode full -c 4 -d 1s >/dev/null # ready and warm
      measure "$s" "$curve" "$d" "$port" "$pid" full 8
      measure "$s" "$curve" "$d" "$port" "$pid" resume 8
      measure "$s" "$curve" "$d" "$port" "$pid" keepalive 16
      kill "$pid"; wait "$pid" 2>/dev/null || true
    done
  done
  for i in $(seq 1 "$starts"); do
    for s in mtls nginx go kestrel; do
      port=$(free_port); mapfile -t cmd < <(server_cmd "$s" "$d" "$port")
      j=$("$lg" -addr "127.0.0.1:$port" -cacert "$d/server-ca.crt" -cert "$d/client.crt" -key "$d/client.key" -mode startup -d 10s -- "${cmd[@]}")
      record "{\"server\":\"$s\",\"curve\":\"$curve\",\"load\":$(loadavg),${j#\{}"
    done
  done
done

openssl speed -seconds 2 ecdsap384 ecdsap256 ecdhx25519 > "$out/speed.txt" 2>/dev/null
python3 bench/mtls-serve-report.py "$results" "$out/speed.txt" >> bench/RESULTS.md
tail -n 40 bench/RESULTS.md
