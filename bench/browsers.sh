#!/usr/bin/env bash
# How long the Browser test group's steps take (issue 17): `mtls trust install/uninstall` (NSS, temporary
# HOME), headless Chromium --dump-dom and headless Firefox --screenshot against `mtls serve`, N rounds each.
# Appends a section to bench/RESULTS.md. Needs chromium, firefox-esr, libnss3-tools. Usage: bench/browsers.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
dotnet build src/Mtls.Cli -v q >/dev/null
mtls=(dotnet "$PWD/src/Mtls.Cli/bin/Debug/net10.0/mtls.dll")
work=$(mktemp -d); export HOME="$work/home"; mkdir -p "$HOME"
serve_pid=
cleanup() { [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cd "$work"
"${mtls[@]}" ca create --subject "/CN=Bench CA" --out ca.crt --key-out ca.key >/dev/null
"${mtls[@]}" key create --out s.key >/dev/null
"${mtls[@]}" csr create --key s.key --subject /CN=localhost --san DNS:localhost --out s.csr >/dev/null
"${mtls[@]}" ca sign s.csr --ca-cert ca.crt --ca-key ca.key --profile server --out s.crt >/dev/null
"${mtls[@]}" serve --cert s.crt --key s.key --port 0 > serve.log 2>&1 & serve_pid=$!
for _ in $(seq 50); do grep -q '^https://' serve.log && break; sleep 0.1; done
url=$(grep -m1 '^https://' serve.log)
profile="$HOME/.mozilla/firefox/bench"; mkdir -p "$profile"; certutil -N -d "sql:$profile" --empty-password
echo 'user_pref("browser.shell.checkDefaultBrowser", false);' > "$profile/user.js"

secs() { local s=$(date +%s.%N); "$@" >/dev/null 2>&1; awk -v a="$s" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'; }
declare -A t
for i in $(seq "$rounds"); do
  t[install]+="$(secs "${mtls[@]}" trust install ca.crt --store nss --create) "
  t[chromium]+="$(secs timeout 45 chromium --headless=new --no-sandbox --disable-gpu --disable-background-networking \
      --disable-component-update --disable-sync --no-first-run --user-data-dir="$work/ud$i" --dump-dom "$url") "
  t[firefox]+="$(secs timeout 45 firefox-esr -headless -no-remote -profile "$profile" --screenshot "$work/f$i.png" "$url") "
  t[uninstall]+="$(secs "${mtls[@]}" trust uninstall ca.crt --store nss) "
done
grep -c ' request GET / 200 ' serve.log | { read -r n; [ "$n" -ge $((2 * rounds)) ] || { echo "only $n page loads succeeded" >&2; exit 1; }; }

cd - >/dev/null
{
  echo
  echo "## Browser group steps: trust install/uninstall (NSS), headless Chromium and Firefox ($(date -u '+%Y-%m-%d %H:%M') UTC)"
  echo
  echo "Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); $(chromium --version 2>/dev/null | head -1); $(firefox-esr --version); git $(git rev-parse --short HEAD); load average $(cut -d' ' -f1-3 /proc/loadavg). Command: bench/browsers.sh $rounds (seconds per run, JIT mtls)."
  echo
  echo "| step | runs (s) |"
  echo "|---|---|"
  for k in install chromium firefox uninstall; do printf '| %s | %s|\n' "$k" "${t[$k]}"; done
} | tee -a bench/RESULTS.md
