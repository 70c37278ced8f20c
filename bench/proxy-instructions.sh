#!/usr/bin/env bash
# Issue 16 speed: what one keep-alive request costs the proxy process, in figures that do not move with
# the machine's load, for `mtls proxy` (Native AOT) and nginx (proxy_pass, upstream keep-alive) in the same
# session, same backend, certificates and configurations as bench/mtls-proxy.sh (bench/proxy-lib.sh).
# The proxy is pinned to one core, the backend (nginx, 13-byte static file) to the other.
# Per server, CONNS keep-alive connections send N/5 requests, then (new connections) N requests; every
# figure is the difference of the two runs divided by the difference in requests, so the handshakes that
# open the connections and the fixed costs cancel out:
#   CPU µs per request (perf stat task-clock of the proxy process, all threads) and its user/system split
#   (/proc utime, stime), context switches and system calls per request (perf: context-switches,
#   raw_syscalls:sys_enter): counts, not times, so steady under load;
#   instructions per request in user space (valgrind callgrind, CG_N/5 then CG_N requests over 4
#   connections; this machine kind has no hardware counters for perf): the load-independent figure.
# Servers alternate over ROUNDS rounds; medians. Appends a dated table to bench/RESULTS.md.
# Usage: bash bench/proxy-instructions.sh
#   env: MTLS=path/to/published/mtls (else published here), BEFORE=another published mtls, measured in the
#        same session as "mtls-before"; SERVERS="mtls nginx" (also: mtls-inline, mtls-noinline,
#        mtls-before, mtls-before-inline, mtls-env with MTLS_ENV=NAME=VALUE); CURVE=P-256;
#        CONNS=16; N=40000; ROUNDS=3; CG_N=3000 (CALLGRIND=0 skips callgrind); PROXY_CPU=last core, BACKEND_CPU=0;
#        NOTE="..." a line printed under the table (what changed); RESULTS=file the table is appended to (bench/RESULTS.md).
# Takes about 1.5 minutes per server with the defaults (callgrind start-up included), plus the publish.
set -euo pipefail
cd "$(dirname "$0")/.."
curve=${CURVE:-P-256}; conns=${CONNS:-16}; n=${N:-40000}; rounds=${ROUNDS:-3}; cg_n=${CG_N:-3000}
servers=${SERVERS:-"mtls nginx${BEFORE:+ mtls-before}"}
proxy_cpu=${PROXY_CPU:-$(($(nproc) - 1))}; backend_cpu=${BACKEND_CPU:-0}
source bench/lib.sh
need_packages nginx:nginx-light go:golang-go taskset:util-linux perf:linux-perf valgrind:valgrind

source bench/proxy-lib.sh
bench_workspace proxy-instructions

# A server's command line: proxy_cmd's, nginx as one process (callgrind then sees all its work), the
# "before" binary for mtls-before (and mtls-before-inline, ...), mtls with inline completions turned off
# (mtls-noinline: DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0, which this build's proxy honours), mtls with
# one more environment variable (mtls-env: MTLS_ENV=NAME=VALUE, e.g. a runtime setting to try).
server_cmd() { # $1 server, $2 dir, $3 port, $4 backend port
  case $1 in
    mtls-before*) MTLS=$BEFORE server_cmd "mtls${1#mtls-before}" "$2" "$3" "$4" ;;
    mtls-env) printf '%s\n' env "$MTLS_ENV"; proxy_cmd mtls "$2" "$3" "$4" ;;
    nginx) NGINX_MAIN='master_process off;' proxy_cmd nginx "$2" "$3" "$4" ;;
    *) proxy_cmd "$1" "$2" "$3" "$4" ;;
  esac
}
user_sys() { awk '{print $14, $15}' "/proc/$1/stat"; }

rows="$out/rows.tsv"; : > "$rows"
# cpu_run $1 server $2 pid $3 port $4 requests: one keep-alive run under perf stat; a row of raw totals.
cpu_run() {
  local s=$1 p=$2 port=$3 count=$4 ps j us0 us1
  perf stat -x, -o "$out/perf.txt" -e task-clock,context-switches,raw_syscalls:sys_enter -p "$p" & ps=$!
  sleep 0.3 # perf attached (idle proxy meanwhile: nothing counted that the difference keeps)
  us0=$(user_sys "$p")
  # shellcheck disable=SC2046
  j=$("$lg" $(lg_args "$d" "$port") -mode keepalive -c "$conns" -n "$count" -d 120s)
  us1=$(user_sys "$p")
  kill -INT "$ps"; wait "$ps" 2>/dev/null || true
  python3 - "$s" "$j" "$us0" "$us1" "$out/perf.txt" "$tck" >> "$rows" <<'EOF'
import json, sys
s, j, us0, us1, perf, tck = sys.argv[1:7]
r = json.loads(j); u0, s0 = map(int, us0.split()); u1, s1 = map(int, us1.split())
v = {}
for line in open(perf):
    f = line.strip().split(",")
    if len(f) > 2 and f[0] and f[0][0].isdigit(): v[f[2]] = float(f[0])
ms = 1000 / int(tck)
print("\t".join(map(str, [s, "cpu", r["requests"], r["errors"], v.get("task-clock", 0) * 1000, (u1 - u0) * ms * 1000, (s1 - s0) * ms * 1000,
                          v.get("context-switches", 0), v.get("raw_syscalls:sys_enter", 0), r["rate"]])))
EOF
}

d="$out/$curve"; make_certs "$d" "$curve"
bport=$(free_port); backend_conf "$d" "$bport"
start_pinned "$backend_cpu" "$out/backend.err" nginx -p "$d/backend" -c "$d/backend/nginx.conf" -e "$d/backend/error.log"; backend=$pid
"$lg" -addr "127.0.0.1:$bport" -plain -mode keepalive -c 2 -d 1s >/dev/null # ready and warm

for round in $(seq 1 "$rounds"); do
  for s in $servers; do
    port=$(free_port); mapfile -t cmd < <(server_cmd "$s" "$d" "$port" "$bport")
    start_pinned "$proxy_cpu" "$out/$s.err" "${cmd[@]}"; p=$pid
    wait_up "$d" "$port" keepalive || { echo "$s did not come up: $(tail -3 "$out/$s.err")" >&2; exit 1; }
    "$lg" $(lg_args "$d" "$port") -mode keepalive -c "$conns" -d 1s >/dev/null # warm
    cpu_run "$s" "$p" "$port" $((n / 5)); cpu_run "$s" "$p" "$port" "$n"
    stop "$p"
  done
done

if [[ ${CALLGRIND:-1} != 0 ]]; then
  # valgrind cannot read the DWARF of a Native AOT binary; the symbol table is enough.
  for s in $servers; do
    port=$(free_port); mapfile -t cmd < <(server_cmd "$s" "$d" "$port" "$bport")
    [[ $s == mtls* ]] && for i in "${!cmd[@]}"; do
      if [[ ${cmd[$i]} == */mtls ]]; then objcopy --strip-debug --remove-section=.gnu_debuglink "${cmd[$i]}" "$out/bin/$s"; cmd[i]="$out/bin/$s"; fi
    done
    vgcmd=(valgrind --tool=callgrind --callgrind-out-file="$out/$s.cg" "${cmd[@]}")
    [[ ${cmd[0]} == env ]] && vgcmd=(env "${cmd[1]}" valgrind --tool=callgrind --callgrind-out-file="$out/$s.cg" "${cmd[@]:2}")
    start_pinned "$proxy_cpu" "$out/$s.valgrind.log" "${vgcmd[@]}"; vg=$pid
    for _ in $(seq 1 120); do "$lg" $(lg_args "$d" "$port") -mode keepalive -c 1 -n 1 -d 2s 2>/dev/null | grep -q '"errors":0' && break; sleep 1; done
    "$lg" $(lg_args "$d" "$port") -mode keepalive -c 4 -n $((cg_n / 2)) -d 120s >/dev/null # warm
    for count in $((cg_n / 5)) "$cg_n"; do
      callgrind_control --zero "$vg" >/dev/null
      j=$("$lg" $(lg_args "$d" "$port") -mode keepalive -c 4 -n "$count" -d 300s)
      callgrind_control --dump="n$count" "$vg" >/dev/null
      f=$(ls -t "$out/$s.cg".* | head -n 1)
      ir=$(awk '/^(summary|totals):/ {print $2; exit}' "$f")
      python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print("\t".join([sys.argv[2], "cg", str(r["requests"]), str(r["errors"]), sys.argv[3]]))' "$j" "$s" "$ir" >> "$rows"
    done
    stop "$vg"
  done
fi

results_md=${RESULTS:-bench/RESULTS.md}
head=$(git rev-parse --short HEAD); dirty=$(git status --porcelain -- src | head -1)
python3 - "$rows" "$curve" "$conns" "$(date -u '+%Y-%m-%d %H:%M')" "$(nproc)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" \
  "$head${dirty:+ (src modified)}" "$(loadavg)" "$n" "$cg_n" "$servers" "${NOTE:-}" <<'EOF' | tee -a "$results_md"
import statistics, sys
rows, curve, conns, when, cores, cpu, head, load, n, cg_n, servers, note = sys.argv[1:13]
servers = servers.split()
cpu_runs, cg_runs = {}, {}
for line in open(rows):
    f = line.rstrip("\n").split("\t")
    (cpu_runs if f[1] == "cpu" else cg_runs).setdefault(f[0], []).append([float(x) for x in f[2:]])
def pairs(runs):  # consecutive (small, big) runs -> per-request differences
    return [[(b[i] - a[i]) / (b[0] - a[0]) for i in range(len(a))] for a, b in zip(runs[0::2], runs[1::2]) if a[1] == 0 and b[1] == 0 and b[0] > a[0]]
print(f"\n## mtls proxy: cost of one keep-alive request, proxy process only ({when} UTC, {cores} cores, {cpu}, {head})\n")
print(f"bench/proxy-instructions.sh, {curve}, TLS 1.3 with a client certificate, {conns} keep-alive connections, the difference of a "
      f"{int(n)//5}- and a {n}-request run per round (handshakes cancel out), medians of the rounds; callgrind: {int(cg_n)//5} and {cg_n} requests "
      f"over 4 connections. Load average at the end {load}. Proxy pinned to one core, backend (nginx, 13-byte file) to the other.\n")
if note: print(note + "\n")
print("| server | CPU µs/req | user µs | system µs | context switches/req | syscalls/req | instructions/req (user, callgrind) | vs nginx (instr.) | req/s (big run) | rounds |")
print("|---|---|---|---|---|---|---|---|---|---|")
ref = None
if "nginx" in cg_runs and pairs(cg_runs["nginx"]): ref = pairs(cg_runs["nginx"])[0][2]
for s in servers:
    p = pairs(cpu_runs.get(s, []))
    med = lambda i: statistics.median(x[i] for x in p) if p else float("nan")
    rate = statistics.median(b[7] for b in cpu_runs[s][1::2]) if s in cpu_runs else float("nan")
    c = pairs(cg_runs.get(s, []))
    ins = c[0][2] if c else None
    ratio = f"{ins / ref:.2f}x" if ins and ref else "-"
    print(f"| {s} | {med(2):.1f} | {med(3):.0f} | {med(4):.0f} | {med(5):.2f} | {med(6):.2f} | {f'{ins / 1e3:.1f} k' if ins else '-'} | {ratio} | {rate:.0f} | {len(p)} |")
EOF
