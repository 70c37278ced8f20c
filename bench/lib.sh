# Shared by the bench/ scripts (source it after `cd` to the repository root; needs $MTLS for make_certs).
# need_packages CMD:PACKAGE...   apt-get the packages whose command is missing
need_packages() {
  local need=() p
  for p in "$@"; do command -v "${p%%:*}" >/dev/null || need+=("${p#*:}"); done
  if ((${#need[@]})); then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; fi
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
loadavg() { cut -d' ' -f1 /proc/loadavg; }
# CPU ticks and RSS of a server: the process and its children (nginx's workers).
pids_of() { echo "$1"; pgrep -P "$1" || true; }
ticks() { local t=0 p; for p in $(pids_of "$1"); do t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo $t; }
mem_kb() { local t=0 p; for p in $(pids_of "$1"); do t=$((t + $(awk -v k="$2:" '$1==k{print $2}' "/proc/$p/status" 2>/dev/null || echo 0))); done; echo $t; }

make_certs() { # $1 dir, $2 curve: a server CA and a client CA, as the workshop makes them
  local d=$1 c=$2
  mkdir -p "$d"
  "$MTLS" ca create --subject "/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=ca.server.example.com" --curve "$c" --days 30 --out "$d/server-ca.crt" --key-out "$d/server-ca.key" >/dev/null
  "$MTLS" ca create --subject "/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=ca.client.example.com" --curve "$c" --days 30 --out "$d/client-ca.crt" --key-out "$d/client-ca.key" >/dev/null
  "$MTLS" key create --curve "$c" --out "$d/server.key" >/dev/null
  "$MTLS" csr create --key "$d/server.key" --subject "/C=JP/O=Kame/CN=localhost" --san DNS:localhost --san IP:127.0.0.1 --out "$d/server.csr" >/dev/null
  "$MTLS" ca sign "$d/server.csr" --ca-cert "$d/server-ca.crt" --ca-key "$d/server-ca.key" --profile server --days 20 --out "$d/server.crt" >/dev/null
  "$MTLS" key create --curve "$c" --out "$d/client.key" >/dev/null
  "$MTLS" csr create --key "$d/client.key" --subject "/C=JP/O=Kame/CN=bench-client" --out "$d/client.csr" >/dev/null
  "$MTLS" ca sign "$d/client.csr" --ca-cert "$d/client-ca.crt" --ca-key "$d/client-ca.key" --profile client --days 20 --out "$d/client.crt" >/dev/null
}
