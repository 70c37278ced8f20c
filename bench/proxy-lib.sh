# The set-up pieces of the mtls proxy benchmarks (bench/mtls-proxy.sh, bench/proxy-instructions.sh): the
# backend, nginx, HAProxy and stunnel4 configurations, the proxies' command lines, pinned start and stop, and
# the load generator's arguments. Source it after bench/lib.sh; uses $MTLS (the mtls binary), $lg (the
# load generator) and the pids array (start_pinned adds to it; bench_workspace's exit trap stops them).

# bench_workspace NAME: a fresh bench/out/NAME ($out, absolute), the Native AOT mtls ($MTLS, published there
# unless given), bench/loadgen built ($lg), CLK_TCK ($tck), and every server start_pinned started killed at exit.
bench_workspace() {
  out=bench/out/$1; rm -rf "$out"; mkdir -p "$out/bin"
  out=$(cd "$out" && pwd)
  if [[ -z "${MTLS:-}" ]]; then
    dotnet publish src/Mtls.Cli -c Release -r linux-x64 -o "$out/aot" -v q -nologo >/dev/null
    MTLS="$out/aot/mtls"
  fi
  (cd bench/loadgen && go build -o "$out/bin/loadgen" .)
  lg="$out/bin/loadgen"; tck=$(getconf CLK_TCK)
  pids=()
  trap bench_cleanup EXIT
}
bench_cleanup() { local p; for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }

# The backend: nginx, one worker on its own core, a small static file over plain HTTP/1.1.
backend_conf() { # $1 dir, $2 port
  mkdir -p "$1/backend/www"; printf 'Hello, mTLS\n' > "$1/backend/www/index.txt"
  cat > "$1/backend/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $1/backend/nginx.pid;
error_log $1/backend/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $1/backend/body; proxy_temp_path $1/backend/proxy; fastcgi_temp_path $1/backend/fcgi;
  uwsgi_temp_path $1/backend/uwsgi; scgi_temp_path $1/backend/scgi;
  keepalive_requests 1000000; keepalive_timeout 300s;
  server {
    listen 127.0.0.1:$2;
    root $1/backend/www; default_type text/plain;
    location / { try_files /index.txt =404; }
  }
}
EOF
}

nginx_conf() { # $1 dir, $2 port, $3 backend port [, $4 more main-context lines, e.g. 'master_process off;']
  mkdir -p "$1/nginx"
  cat > "$1/nginx/nginx.conf" <<EOF
${4:-}
worker_processes 1;
daemon off;
pid $1/nginx/nginx.pid;
error_log $1/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log /dev/null;
  client_body_temp_path $1/nginx/body; proxy_temp_path $1/nginx/proxy; fastcgi_temp_path $1/nginx/fcgi;
  uwsgi_temp_path $1/nginx/uwsgi; scgi_temp_path $1/nginx/scgi;
  keepalive_requests 1000000;
  upstream backend { server 127.0.0.1:$3; keepalive 64; keepalive_requests 1000000; }
  server {
    listen 127.0.0.1:$2 ssl;
    ssl_certificate $1/server.crt; ssl_certificate_key $1/server.key;
    ssl_client_certificate $1/client-ca.crt; ssl_verify_client on;
    ssl_protocols TLSv1.2 TLSv1.3;
    location / {
      proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_set_header Client-Cert \$ssl_client_escaped_cert;
      proxy_set_header X-Client-Subject \$ssl_client_s_dn;
      proxy_set_header X-Client-Cert-Fingerprint \$ssl_client_fingerprint;
      proxy_set_header X-Forwarded-For \$remote_addr; proxy_set_header X-Forwarded-Proto https;
    }
  }
}
EOF
}

haproxy_conf() { # $1 dir, $2 port, $3 backend port, $4 http or tcp
  mkdir -p "$1/haproxy"; cat "$1/server.crt" "$1/server.key" > "$1/haproxy/server.pem"
  {
    cat <<EOF
global
  nbthread 1
  maxconn 4096
  ssl-default-bind-options ssl-min-ver TLSv1.2
defaults
  mode $4
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend fe
  bind 127.0.0.1:$2 ssl crt $1/haproxy/server.pem ca-file $1/client-ca.crt verify required
  default_backend be
EOF
    if [[ $4 == http ]]; then
      cat <<'EOF'
  http-request set-header Client-Cert :%[ssl_c_der,base64]:
  http-request set-header X-Client-Subject %[ssl_c_s_dn]
  http-request set-header X-Client-Cert-Sha256 %[ssl_c_der,sha2(256),hex]
  option forwardfor
EOF
    fi
    printf 'backend be\n'
    [[ $4 == http ]] && printf '  http-reuse always\n'
    printf '  server s1 127.0.0.1:%s\n' "$3"
  } > "$1/haproxy/haproxy.cfg"
}

stunnel_conf() { # $1 dir, $2 port, $3 backend port
  mkdir -p "$1/stunnel"
  cat > "$1/stunnel/stunnel.conf" <<EOF
foreground = yes
pid =
debug = 3
[tls]
accept = 127.0.0.1:$2
connect = 127.0.0.1:$3
cert = $1/server.crt
key = $1/server.key
CAfile = $1/client-ca.crt
verifyChain = yes
requireCert = yes
sslVersionMin = TLSv1.2
EOF
}

proxy_cmd() { # $1 proxy, $2 dir, $3 port, $4 backend port: the command line, one word per line
  case $1 in
    mtls) printf '%s\n' "$MTLS" proxy --cert "$2/server.crt" --key "$2/server.key" --client-ca "$2/client-ca.crt" --port "$3" --bind 127.0.0.1 --target "http://127.0.0.1:$4" --allow-all ;;
    mtls-inline) printf '%s\n' env DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 "$MTLS" proxy --cert "$2/server.crt" --key "$2/server.key" --client-ca "$2/client-ca.crt" --port "$3" --bind 127.0.0.1 --target "http://127.0.0.1:$4" --allow-all ;;
    mtls-noinline) printf '%s\n' env DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0 "$MTLS" proxy --cert "$2/server.crt" --key "$2/server.key" --client-ca "$2/client-ca.crt" --port "$3" --bind 127.0.0.1 --target "http://127.0.0.1:$4" --allow-all ;;
    mtls-tcp) printf '%s\n' "$MTLS" proxy --cert "$2/server.crt" --key "$2/server.key" --client-ca "$2/client-ca.crt" --port "$3" --bind 127.0.0.1 --target "tcp://127.0.0.1:$4" --allow-all ;;
    nginx) nginx_conf "$2" "$3" "$4" "${NGINX_MAIN:-}"; printf '%s\n' nginx -p "$2/nginx" -c "$2/nginx/nginx.conf" -e "$2/nginx/error.log" ;;
    haproxy) haproxy_conf "$2" "$3" "$4" http; printf '%s\n' haproxy -db -f "$2/haproxy/haproxy.cfg" ;;
    haproxy-tcp) haproxy_conf "$2" "$3" "$4" tcp; printf '%s\n' haproxy -db -f "$2/haproxy/haproxy.cfg" ;;
    stunnel) stunnel_conf "$2" "$3" "$4"; printf '%s\n' stunnel4 "$2/stunnel/stunnel.conf" ;;
  esac
}

start_pinned() { # $1 cpu, $2 log, rest: command. Sets $pid.
  local cpu=$1 log=$2; shift 2
  taskset -c "$cpu" "$@" >/dev/null 2>"$log" & pid=$!; pids+=("$pid")
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# lg_args $1 dir $2 port [plain]: loadgen's address and credentials (none for the plain backend).
lg_args() { if [[ ${3:-} == plain ]]; then echo "-addr 127.0.0.1:$2 -plain"; else echo "-addr 127.0.0.1:$2 -cacert $1/server-ca.crt -cert $1/client.crt -key $1/client.key"; fi; }

# wait_up $1 dir $2 port $3 mode: until one request or round trip gets through (at most ~20 s).
wait_up() {
  local i j
  for i in $(seq 1 40); do
    # shellcheck disable=SC2046
    j=$("$lg" $(lg_args "$1" "$2") -mode "$3" -c 1 -d 200ms 2>/dev/null || true)
    [[ $j =~ \"requests\":[1-9] ]] && return 0
    sleep 0.3
  done
  return 1
}
