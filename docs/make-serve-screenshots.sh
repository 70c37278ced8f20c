#!/usr/bin/env bash
# Regenerates the screenshots of the pages a browser gets from `mtls serve` (issue 17, item 3):
#   docs/serve-hello.png, docs/serve-hello.ja.png  the hello page naming the client certificate (HTML fetched
#                                                  with curl --cert, Accept: text/html, then drawn by Chromium)
#   docs/serve-403.png, docs/serve-403.ja.png     the refusal a browser without a client certificate gets,
#                                                  loaded by headless Chromium itself over HTTPS
#   docs/serve-403.dark.png                       the same in dark mode
# --ignore-certificate-errors is for these screenshots only (the server CA is not in this throwaway profile).
# Needs: the .NET SDK, curl, chromium (apt-get install chromium fonts-noto-cjk). Run from anywhere.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
command -v chromium >/dev/null || { echo "chromium is missing: apt-get install chromium fonts-noto-cjk" >&2; exit 1; }

dotnet build "$repo/src/Mtls.Cli" -v q -nologo --tl:off | { grep -E " error |rror\(s\)" || true; }
mtls() { dotnet "$repo/src/Mtls.Cli/bin/Debug/net10.0/mtls.dll" "$@"; }
cd "$work"

mtls ca create --subject "/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=ca.server.example.com" --out server-ca.crt --key-out server-ca.key >/dev/null
mtls ca create --subject "/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=ca.client.example.com" --out client-ca.crt --key-out client-ca.key >/dev/null
mtls key create --out server.key >/dev/null
mtls csr create --key server.key --subject "/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=localhost" --san DNS:localhost --out server.csr >/dev/null
mtls ca sign server.csr --ca-cert server-ca.crt --ca-key server-ca.key --profile server --out server.crt >/dev/null
mtls key create --out client.key >/dev/null
mtls csr create --key client.key --subject "/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=Super Client" --out client.csr >/dev/null
mtls ca sign client.csr --ca-cert client-ca.crt --ca-key client-ca.key --profile client --out client.crt >/dev/null

mtls serve --cert server.crt --key server.key --client-ca client-ca.crt --port 0 > serve.log 2>&1 &
server_pid=$!
for _ in $(seq 100); do grep -q "https://" serve.log && break; sleep 0.2; done
url="$(grep -o 'https://[^ ]*/' serve.log | head -n 1)"
[ -n "$url" ] || { echo "mtls serve did not start:" >&2; cat serve.log >&2; exit 1; }

shot() { # target png [chromium flags...]
  local target=$1 png=$2; shift 2
  timeout 60 chromium --headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --hide-scrollbars --user-data-dir="$work/chromium" --window-size=900,560 \
    --screenshot="$png" "$@" "$target" 2>/dev/null
}
for lang in en ja; do
  suffix=$([ "$lang" = en ] && echo "" || echo ".$lang")
  curl -sS --max-time 10 --cacert server-ca.crt --cert client.crt --key client.key \
    -H "Accept: text/html" -H "Accept-Language: $lang" -o "hello$suffix.html" "$url"
  shot "file://$work/hello$suffix.html" "$repo/docs/serve-hello$suffix.png"
  shot "$url" "$repo/docs/serve-403$suffix.png" --ignore-certificate-errors --lang="$lang" --accept-lang="$lang"
done
shot "$url" "$repo/docs/serve-403.dark.png" --ignore-certificate-errors --force-dark-mode --blink-settings=preferredColorScheme=0
echo "wrote $repo/docs/serve-hello.png, serve-hello.ja.png, serve-403.png, serve-403.ja.png, serve-403.dark.png"
