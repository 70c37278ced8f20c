#!/usr/bin/env bash
# Issue 15, "Speed": `mtls ca serve` against smallstep's step-ca 0.19.0, same run, same machine, same
# P-256 root and issuing CA. Measures, at each concurrency (default 1, 8, 32):
#   issue  one-time-token issuance (mtls: POST /v1/enroll with a token from `mtls ca token`; step-ca:
#          POST /1.0/sign with a JWK provisioner JWT made by the load generator, as `step ca token` does),
#          keep-alive HTTPS connections, one per worker;
#   renew  renewal over mTLS (mtls: POST /v1/renew; step-ca: POST /1.0/renew), a new TLS connection per
#          request presenting a certificate issued in the issue phases, each renewed once.
# Requests/s, p50/p99 latency and the CA's CPU per request (/proc/PID/stat). Appends to bench/RESULTS.md.
# step-ca is built from Debian's golang-github-smallstep-certificates-dev (0.19.0) in GOPATH mode with
# the launcher in bench/stepca; its database is badger v2 (`step ca init`'s default). mtls ca serve runs
# on SQLite beside the CA; with MTLS_DB=postgres also, in the same round, on a throwaway PostgreSQL
# cluster the script starts itself (initdb/pg_ctl as the postgres user on a temporary folder and a free
# loopback port, fsync and synchronous_commit on as installed: durable like SQLite's FULL, stopped and
# deleted at exit); any other MTLS_DB is a connection string, passed as --db to `ca token` and `ca serve`.
# mtls's renewal-storm rule refuses a renewal before a third of the certificate's life, so both CAs
# issue LIFETIME-second certificates and, for mtls, the renewals start once the youngest certificate has
# lived LIFETIME/3 + 2 s (a wait of about LIFETIME/3 s; step-ca renews at once, it has no such rule).
# Tokens for mtls are made before its run with `mtls ca token --count` (up to 1000 per run, each run one
# transaction); the time that takes is reported.
#
# Usage: bash bench/ca-serve.sh
#   env: N=2000 requests per phase (and tokens per issue phase), SECS=10 longest phase, CONC="1 8 32",
#        ROUNDS=1 (CAs alternated per round), LIFETIME=180 (or 9*SECS+30 when larger),
#        MTLS=path/to/mtls (skips the AOT publish),
#        MTLS_DB=postgres (SQLite and a throwaway PostgreSQL) or a connection string (default: SQLite
#        beside the CA), ONLY=stepca|mtls.
# Takes: building step-ca from source ~40 s the first time (cached after), the AOT publish a few minutes;
# then per round: step-ca < 1 min; mtls: making 3*N+20 tokens (a few seconds with --count; one process
# per token ran at 13-35 tokens/s), the LIFETIME/3 + 2 s renewal wait (62 s), then < 1 min of load.
# Defaults on a quiet 2-core machine: ~8 min.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${N:-2000}; secs=${SECS:-10}; conc=${CONC:-"1 8 32"}; rounds=${ROUNDS:-1}
# Long enough that the first certificates issued are still valid when the last renewal phase ends
# (issue phases + the LIFETIME/3 wait + renew phases): 180 s for SECS=10.
lifetime=${LIFETIME:-$(( 9 * secs + 30 > 180 ? 9 * secs + 30 : 180 ))}
only=${ONLY:-}; name=bench.example
nproc=$(nproc)

need=()
command -v go >/dev/null || need+=(golang-go)
[[ -d /usr/share/gocode/src/github.com/smallstep/certificates ]] || need+=(golang-github-smallstep-certificates-dev)
if ((${#need[@]})); then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

out=bench/out/ca-serve; rm -rf "$out"; mkdir -p "$out/bin"
out=$(cd "$out" && pwd)
echo "ca-serve.sh: building step-ca (GOPATH mode), the load generator and mtls" >&2
mkdir -p "$out/gopath"
(cd bench/stepca && GO111MODULE=off GOPATH="$out/gopath:/usr/share/gocode" GOFLAGS= go build -o "$out/bin/stepca" . 2> >(grep -v -e 'ZSTD_getDecompressedSize' -e '^cgo-gcc-prolog' -e 'zstd' -e '^ *[0-9]* |' -e '^ *|' >&2))
(cd bench/ca-loadgen && go build -o "$out/bin/ca-loadgen" .)
lg="$out/bin/ca-loadgen"
if [[ -z "${MTLS:-}" ]]; then
  dotnet publish src/Mtls.Cli -c Release -r linux-x64 -o "$out/aot" >/dev/null
  MTLS="$out/aot/mtls"; mtls_build="Native AOT (published by the script)"
else
  mtls_build="MTLS=$MTLS"
fi
MTLS=$(realpath "$MTLS")
has_ca_serve=yes
"$MTLS" ca --help 2>/dev/null | grep -qE '^ +serve( |$)' || has_ca_serve=no
if [[ $has_ca_serve == no && $only != stepca ]]; then
  echo "ca-serve.sh: this mtls has no 'ca serve' (merge branch ca-serve); measuring step-ca only" >&2
  only=stepca
fi

# One P-256 root and issuing CA, both CAs sign with the same issuing key.
pki="$out/pki"; mkdir -p "$pki"
"$MTLS" ca create --subject "CN=Bench Root CA,O=mtls bench" --curve P-256 --path-len 1 --days 30 \
  --out "$pki/root.crt" --key-out "$pki/root.key" >/dev/null
"$MTLS" ca create --subject "CN=Bench Issuing CA,O=mtls bench" --curve P-256 --parent-cert "$pki/root.crt" \
  --parent-key "$pki/root.key" --path-len 0 --days 20 --out "$pki/issuing.crt" --key-out "$pki/issuing.key" >/dev/null

results="$out/rows.md"; : > "$results"
notes="$out/notes.txt"; : > "$notes"
loads="$out/loads.txt"; : > "$loads"
loadavg() { cut -d' ' -f1 /proc/loadavg; }
csv_conc=$(echo $conc | tr ' ' ',')
server_pid=

wait_health() { # $1 url: until GET /health answers 200 (30 s)
  local i
  for i in $(seq 300); do
    if curl -sf --cacert "$pki/root.crt" "$1/health" >/dev/null 2>&1; then return 0; fi
    kill -0 "$server_pid" 2>/dev/null || { echo "ca-serve.sh: the CA exited" >&2; return 1; }
    sleep 0.1
  done
  echo "ca-serve.sh: $1/health did not answer in 30 s" >&2; return 1
}
stop_server() {
  if [[ -n $server_pid ]]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  server_pid=
}
pg_dir=
stop_postgres() {
  [[ -n $pg_dir ]] || return 0
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"; pg_dir=
}
trap 'stop_server; stop_postgres' EXIT

# MTLS_DB=postgres: a throwaway cluster, as tests/Mtls.Cli.Tests/Postgres/PostgresServer.cs starts one
# (PostgreSQL refuses to run as root: initdb and pg_ctl run as the postgres user), but with the server's
# durability as installed (fsync on, synchronous_commit on): a CA's record must survive a power cut.
start_postgres() {
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [[ -z $pg_bin ]]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  pg_dir=$(mktemp -d /tmp/mtls-bench-pg-XXXXXX); chown postgres:postgres "$pg_dir"
  pg_port=$("$lg" port)
  runuser -u postgres -- "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w -t 60 \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
  pg_version=$(runuser -u postgres -- "$pg_bin/postgres" --version | awk '{print $3}')
  echo "ca-serve.sh: PostgreSQL $pg_version on 127.0.0.1:$pg_port ($pg_dir)" >&2
}
new_pg_database() { # $1 name: prints its URI
  runuser -u postgres -- "$pg_bin/psql" -q -h "$pg_dir" -p "$pg_port" -U postgres -c "CREATE DATABASE $1" >/dev/null
  echo "postgres://postgres@127.0.0.1:$pg_port/$1"
}
stores=sqlite
if [[ ${MTLS_DB:-} == postgres ]]; then
  if [[ $only != stepca ]]; then start_postgres; fi
  stores="sqlite postgres"
elif [[ -n ${MTLS_DB:-} ]]; then
  stores=custom
fi

run_stepca() { # $1 round
  local d="$out/stepca-$1" port
  mkdir -p "$d"
  port=$("$lg" port)
  "$lg" jwk -key-out "$d/provisioner.key" > "$d/provisioner.jwk"
  # As `step ca init` writes it, with the bench's files; claims allow the short certificates.
  cat > "$d/ca.json" <<EOF
{
  "root": "$pki/root.crt",
  "crt": "$pki/issuing.crt",
  "key": "$pki/issuing.key",
  "address": "127.0.0.1:$port",
  "dnsNames": ["localhost", "127.0.0.1"],
  "logger": {"format": "text"},
  "db": {"type": "badgerv2", "dataSource": "$d/db"},
  "authority": {
    "claims": {"minTLSCertDuration": "1m", "maxTLSCertDuration": "24h", "defaultTLSCertDuration": "24h"},
    "provisioners": [{"type": "JWK", "name": "bench", "key": $(cat "$d/provisioner.jwk")}]
  },
  "tls": {
    "cipherSuites": ["TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"],
    "minVersion": 1.2, "maxVersion": 1.3, "renegotiation": false
  }
}
EOF
  "$out/bin/stepca" --config "$d/ca.json" > "$d/stdout.log" 2> "$d/stderr.log" &
  server_pid=$!
  wait_health "https://127.0.0.1:$port"
  echo "ca-serve.sh: round $1: step-ca" >&2
  loadavg >> "$loads"
  "$lg" run -kind stepca -label "step-ca 0.19.0 (badger v2)" -url "https://127.0.0.1:$port" -root "$pki/root.crt" \
    -jwk-key "$d/provisioner.key" -n "$n" -secs "${secs}s" -c "$csv_conc" -lifetime "${lifetime}s" -name "$name" \
    -pid "$server_pid" | tee -a "$results"
  loadavg >> "$loads"
  stop_server
}

run_mtls() { # $1 round, $2 store: sqlite, postgres (the throwaway cluster) or custom (MTLS_DB)
  local d="$out/mtls-$1-$2" db url count t0 t1 levels
  mkdir -p "$d"
  cp "$pki/issuing.crt" "$pki/issuing.key" "$d/"
  case $2 in
    sqlite) db=$d/issuing.db ;;
    postgres) db=$(new_pg_database "ca_round_$1") ;;
    *) db=$MTLS_DB ;;
  esac
  levels=$(echo $conc | wc -w)
  count=$((20 + n * levels))
  echo "ca-serve.sh: round $1: making $count mtls tokens (ca token --count, up to 1000 a run)" >&2
  : > "$d/tokens.txt"
  local left=$count batch
  t0=$(date +%s.%N)
  while ((left > 0)); do
    batch=$((left > 1000 ? 1000 : left))
    # One token per stdout line; the batch is one transaction.
    "$MTLS" ca token --ca-cert "$d/issuing.crt" --db "$db" --san "$name" --profile client --ttl 1h --count "$batch" \
      >> "$d/tokens.txt" 2>>"$d/token-errors.log" \
      || { echo "ca-serve.sh: mtls ca token --count $batch failed (see $d/token-errors.log)" >&2; return 1; }
    left=$((left - batch))
  done
  t1=$(date +%s.%N)
  local made; made=$(grep -c . "$d/tokens.txt")
  if ((made != count)); then
    echo "ca-serve.sh: asked for $count tokens, got $made lines (see $d/token-errors.log)" >&2; return 1
  fi
  echo "mtls ca token --count: $count tokens in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f s (%.0f tokens/s", b-a, '"$count"'/(b-a)}') in runs of up to 1000), round $1" >> "$notes"
  "$MTLS" ca serve --ca-cert "$d/issuing.crt" --ca-key "$d/issuing.key" --db "$db" --port 0 --bind 127.0.0.1 \
    > "$d/stdout.log" 2> "$d/stderr.log" &
  server_pid=$!
  local i
  for i in $(seq 300); do [[ -s "$d/stdout.log" ]] && break; sleep 0.1; done
  url=$(head -n 1 "$d/stdout.log" | tr -d '[:space:]'); url=${url%/}
  url=${url/#https:\/\/localhost:/https://127.0.0.1:} # it listens on 127.0.0.1 only; its certificate names both
  [[ $url == https://* ]] || { echo "ca-serve.sh: mtls ca serve printed no URL first (got '$url'; see $d/stderr.log)" >&2; return 1; }
  wait_health "$url"
  echo "ca-serve.sh: round $1: mtls ca serve at $url" >&2
  loadavg >> "$loads"
  local store
  case $2 in sqlite) store=SQLite ;; postgres) store="PostgreSQL $pg_version" ;; *) store=MTLS_DB ;; esac
  "$lg" run -kind mtls -label "mtls ca serve ($store)" -url "$url" -root "$pki/root.crt" \
    -tokens "$d/tokens.txt" -n "$n" -secs "${secs}s" -c "$csv_conc" -lifetime "${lifetime}s" -name "$name" \
    -renew-min-age "$((lifetime / 3 + 2))s" -pid "$server_pid" | tee -a "$results"
  loadavg >> "$loads"
  stop_server
}

load_start=$(loadavg)
for r in $(seq "$rounds"); do
  if ((r % 2 == 1)); then order="stepca mtls"; else order="mtls stepca"; fi
  for ca in $order; do
    [[ -n $only && $only != "$ca" ]] && continue
    if [[ $ca == mtls ]]; then
      for st in $stores; do run_mtls "$r" "$st"; done
    else
      run_stepca "$r"
    fi
  done
done

head_rev=$(git rev-parse --short HEAD)
dirty=$(git status --porcelain --untracked-files=no | grep -q . && echo " (with uncommitted changes)" || true)
cpu=$(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)
min_load=$(sort -n "$loads" | head -n 1); max_load=$(sort -n "$loads" | tail -n 1)
loaded=$(awk -v m="$max_load" -v c="$nproc" 'BEGIN{print (m >= 0.5 * c) ? "yes" : "no"}')
{
  echo
  echo "## mtls ca serve vs step-ca: token issuance and mTLS renewal ($(date -u '+%Y-%m-%d %H:%M UTC'), $nproc cores, ${cpu})"
  echo
  echo "bench/ca-serve.sh at $head_rev$dirty; $(go version | cut -d' ' -f3-), step-ca $(dpkg-query -W -f='${Version}' golang-github-smallstep-certificates-dev) from Debian's source, mtls $("$MTLS" --version 2>/dev/null | head -n 1 || echo '?') ($mtls_build), $(uname -sr)."
  echo "N=$n requests per phase (a phase also ends after ${secs} s), concurrency $conc, $rounds round(s), P-256 root and issuing CA shared by both CAs, P-256 CSR keys (64, cycled), ${lifetime}-second certificates."
  echo "Load average during the run ${min_load}-${max_load} (start ${load_start})."
  if [[ $loaded == yes ]]; then
    echo "**Taken under load**: other work was running on this machine (load average reached half the cores or more); compare the CAs with each other, not with other runs."
  fi
  echo
  echo "| CA | operation | c | ok | errors | s | per s | p50 ms | p99 ms | CA CPU ms/req | ended by |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  cat "$results"
  echo
  echo "issue: one-time token + P-256 CSR per request over keep-alive HTTPS (one connection per worker); tokens made before the phase (mtls: \`mtls ca token\`; step-ca: JWK provisioner JWTs, ES256, signed by the load generator). renew: a new TLS connection per request (no resumption) presenting a certificate from the issue phases, each renewed once; mtls renewals start when every certificate has lived ${lifetime}/3 s + 2 s (its renewal-storm rule), step-ca's at once. \"ended by count\": the phase ran out of requests (N, or its share of the certificates) before ${secs} s."
  if [[ $has_ca_serve == no ]]; then echo "mtls ca serve: not in this build (no \`ca serve\` command), so only step-ca was measured."; fi
  if [[ $stores == sqlite ]]; then echo "mtls ca serve on PostgreSQL: not measured (MTLS_DB unset; MTLS_DB=postgres starts a throwaway cluster)."; fi
  if [[ $stores == *postgres* ]]; then echo "PostgreSQL $pg_version: a throwaway cluster on this machine over loopback TCP, default settings (fsync, synchronous_commit on); the CA CPU column is the CA process only, not PostgreSQL's."; fi
  sed 's/^/- /' "$notes"
} >> bench/RESULTS.md
tail -n 25 bench/RESULTS.md
