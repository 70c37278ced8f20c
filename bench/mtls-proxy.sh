#!/usr/bin/env bash
# Issue 16, "Speed": `mtls proxy` (Native AOT) against nginx (proxy_pass, upstream keep-alive) and HAProxy
# (verify required ca-file) doing mTLS in front of the same small static HTTP backend (nginx serving a
# 13-byte file over plain HTTP on loopback), and the backend direct. Same certificates (made with mtls,
# P-256 and P-384), TLS 1.3, a client certificate required; every proxy runs one worker pinned to one
# core (taskset -c $PROXY_CPU), the backend pinned to the other; the load generator is not pinned.
# Each proxy adds comparable identity headers (mtls: its default rfc9440,simple; nginx and HAProxy: the
# subject, the certificate and a fingerprint). Per proxy, servers alternated over the rounds:
#   keep-alive requests/s (16 connections back to back) and proxy CPU per request (/proc utime+stime),
#   full mTLS handshakes/s (new connection + TLS 1.3 handshake with a client certificate per request),
#   latency p50/p99 at a fixed rate (open loop, $RATE requests/s over 8 keep-alive connections) and the
#   latency it adds over the direct run, RSS after the load and peak (VmHWM).
# TCP mode, against stunnel4 and HAProxy (mode tcp), in front of an echo service (bench/loadgen -mode
# echo): throughput (4 connections writing 64 KiB blocks, echo read back) and round-trip time (64 bytes,
# 1 connection); `mtls proxy --target tcp://` when this build has it (else shown as not available).
# Load generator: bench/loadgen (presents a client certificate; h2load and wrk cannot).
# Appends a dated section with the targets of issue 16 to bench/RESULTS.md.
# Usage: bash bench/mtls-proxy.sh   (env: SECS=5 per measurement, ROUNDS=2, CURVES="P-256 P-384",
#        RATE=500, MTLS=path/to/published/mtls to skip the publish, PROXY_CPU=last core, BACKEND_CPU=0,
#        MTLS_INLINE=1 adds "mtls-inline": mtls proxy with DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1, socket
#        completions run on the epoll thread instead of hopping to the thread pool; see RESULTS.md; since the
#        issue 16 speed pass mtls proxy does that by default), MTLS_NOINLINE=1 adds "mtls-noinline": the
#        variable set to 0, which turns the proxy's inline completions and Kestrel's inline scheduling off)
# Takes about 7 minutes with the defaults (measured: 6.5; 7.7 with MTLS_INLINE=1), plus the Native AOT publish
# (8 minutes on a loaded 2-core machine) unless MTLS is given. Needs root for apt-get (only when a tool is missing).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${SECS:-5}; rounds=${ROUNDS:-2}; curves=${CURVES:-"P-256 P-384"}; rate=${RATE:-500}
proxy_cpu=${PROXY_CPU:-$(($(nproc) - 1))}; backend_cpu=${BACKEND_CPU:-0}
source bench/lib.sh
need_packages nginx:nginx-light go:golang-go haproxy:haproxy stunnel4:stunnel4 taskset:util-linux

source bench/proxy-lib.sh
bench_workspace mtls-proxy

results="$out/results.jsonl"; : > "$results"
record() { echo "$1" >> "$results"; echo "$1"; }

measure() { # $1 proxy $2 curve $3 dir $4 port $5 pid (0: none) $6 tls|plain, rest: loadgen flags
  local name=$1 curve=$2 d=$3 port=$4 p=$5 kind=$6 t0=0 t1=0 j load rss=0 hwm=0; shift 6
  load=$(loadavg); ((p)) && t0=$(ticks "$p")
  # shellcheck disable=SC2046
  j=$("$lg" $(lg_args "$d" "$port" "$kind") "$@")
  if ((p)); then t1=$(ticks "$p"); rss=$(mem_kb "$p" VmRSS); hwm=$(mem_kb "$p" VmHWM); fi
  record "{\"proxy\":\"$name\",\"curve\":\"$curve\",\"cpu_ms\":$(( (t1 - t0) * 1000 / tck )),\"rss_kb\":$rss,\"hwm_kb\":$hwm,\"load\":$load,${j#\{}"
}

first=1
for curve in $curves; do
  d="$out/$curve"; make_certs "$d" "$curve"
  bport=$(free_port); backend_conf "$d" "$bport"
  start_pinned "$backend_cpu" "$out/backend.err" nginx -p "$d/backend" -c "$d/backend/nginx.conf" -e "$d/backend/error.log"; backend=$pid
  eport=$(free_port); start_pinned "$backend_cpu" "$out/echo.err" "$lg" -mode echo -addr "127.0.0.1:$eport"; echo_pid=$pid
  "$lg" -addr "127.0.0.1:$bport" -plain -mode keepalive -c 2 -d 1s >/dev/null # ready and warm
  for round in $(seq 1 "$rounds"); do
    measure direct "$curve" "$d" "$bport" "$backend" plain -mode keepalive -c 16 -d "${secs}s"
    measure direct "$curve" "$d" "$bport" 0 plain -mode latency -rate "$rate" -c 8 -d "${secs}s"
    for s in mtls nginx haproxy ${MTLS_INLINE:+mtls-inline} ${MTLS_NOINLINE:+mtls-noinline}; do
      port=$(free_port); mapfile -t cmd < <(proxy_cmd "$s" "$d" "$port" "$bport")
      start_pinned "$proxy_cpu" "$out/$s.err" "${cmd[@]}"; p=$pid
      wait_up "$d" "$port" keepalive || { echo "$s did not come up: $(tail -3 "$out/$s.err")" >&2; exit 1; }
      "$lg" $(lg_args "$d" "$port") -mode full -c 4 -d 1s >/dev/null # warm
      measure "$s" "$curve" "$d" "$port" "$p" tls -mode keepalive -c 16 -d "${secs}s"
      measure "$s" "$curve" "$d" "$port" "$p" tls -mode full -c 8 -d "${secs}s"
      measure "$s" "$curve" "$d" "$port" "$p" tls -mode latency -rate "$rate" -c 8 -d "${secs}s"
      stop "$p"
    done
    if ((first)); then # TCP mode: once per round, first curve only (the stream cost does not depend on it)
      measure direct-tcp "$curve" "$d" "$eport" "$echo_pid" plain -mode tcp-bulk -c 4 -d "${secs}s"
      measure direct-tcp "$curve" "$d" "$eport" 0 plain -mode tcp-rtt -c 1 -d "${secs}s"
      for s in mtls-tcp stunnel haproxy-tcp; do
        port=$(free_port); mapfile -t cmd < <(proxy_cmd "$s" "$d" "$port" "$eport")
        start_pinned "$proxy_cpu" "$out/$s.err" "${cmd[@]}"; p=$pid
        if ! wait_up "$d" "$port" tcp-rtt; then
          record "{\"proxy\":\"$s\",\"curve\":\"$curve\",\"mode\":\"unavailable\",\"why\":$(tail -1 "$out/$s.err" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read().strip()))')}"
          stop "$p"; continue
        fi
        measure "$s" "$curve" "$d" "$port" "$p" tls -mode tcp-bulk -c 4 -d "${secs}s"
        measure "$s" "$curve" "$d" "$port" "$p" tls -mode tcp-rtt -c 1 -d "${secs}s"
        stop "$p"
      done
    fi
  done
  first=0
  stop "$backend"; stop "$echo_pid"
done

head=$(git rev-parse --short HEAD); dirty=$(git status --porcelain -- src | head -1)
python3 bench/mtls-proxy-report.py "$results" "$head${dirty:+ (src modified)}" "$MTLS" "$rate" "$proxy_cpu" "$backend_cpu" >> bench/RESULTS.md
tail -n 45 bench/RESULTS.md
