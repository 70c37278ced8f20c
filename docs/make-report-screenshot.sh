#!/usr/bin/env bash
# Regenerates docs/ca-report.png and docs/ca-report.ja.png (issue 17): a CA with 50 certificates (some
# expiring, some expired, some revoked, one renewed, one with a hostile subject), its report page from
# `mtls ca report --html`, and a headless Chromium screenshot of it in English and Japanese.
# Needs: the .NET SDK, chromium (apt-get install chromium fonts-noto-cjk). Run from anywhere.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
# REPORT_WORK=DIR keeps the CA in DIR and reuses it on the next run (to iterate on the page's look).
if [ -n "${REPORT_WORK:-}" ]; then work="$REPORT_WORK"; mkdir -p "$work"; else work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT; fi
command -v chromium >/dev/null || { echo "chromium is missing: apt-get install chromium fonts-noto-cjk" >&2; exit 1; }

dotnet build "$repo/src/Mtls.Cli" -v q -nologo --tl:off | { grep -E " error |rror\(s\)" || true; }
mtls() { dotnet "$repo/src/Mtls.Cli/bin/Debug/net10.0/mtls.dll" "$@"; }
cd "$work"

if [ ! -f ca.db ]; then
mtls ca create --subject "/C=JP/O=Kame Corp/CN=Kame Services CA" --days 1825 --out ca.crt --key-out ca.key >/dev/null

# The report is drawn as of 60 days from now (--at): certificates issued today for fewer days have
# expired by then, those for 60-90 days are expiring soon.
issue() { # name profile days subject [san...]
  local name=$1 profile=$2 days=$3 subject=$4; shift 4
  local sans=(); for s in "$@"; do sans+=(--san "$s"); done
  mtls key create --out "$name.key" >/dev/null
  mtls csr create --key "$name.key" --subject "$subject" "${sans[@]}" --out "$name.csr" >/dev/null
  mtls ca sign "$name.csr" --ca-cert ca.crt --ca-key ca.key --profile "$profile" --days "$days" --out "$name.crt" >/dev/null
}
services=(api auth billing cart catalog checkout db-proxy events gateway inventory ledger mail metrics notify orders
  payments queue reports search session shipping storage tokens users web)
days=(365 398 200 72 180 365 45 300 85 120 398 30 250 66 365 150 90 210 55 330 180 398 78 270 365)
for i in "${!services[@]}"; do
  s=${services[$i]}
  issue "$s" server "${days[$i]}" "/C=JP/O=Kame Corp/CN=$s.kame.internal" "DNS:$s.kame.internal" "DNS:$s"
done
people=("Sato Hanako" "Suzuki Ichiro" "Takahashi Yui" "Tanaka Ken" "Watanabe Aoi" "Ito Sora" "Yamamoto Ren" "Nakamura Mei"
  "Kobayashi Riku" "Kato Hina" "Yoshida Yuto" "Yamada Saki" "Sasaki Haruto" "Yamaguchi Rin" "Matsumoto Kaito" "Inoue Mio"
  "Kimura Sota" "Hayashi Akari" "Shimizu Daiki" "ci-runner-1" "ci-runner-2" "backup-agent")
pdays=(90 365 180 40 365 75 365 180 25 365 270 88 365 120 365 180 64 365 50 90 90 180)
for i in "${!people[@]}"; do
  issue "client$i" client "${pdays[$i]}" "/C=JP/O=Kame Corp/OU=Staff/CN=${people[$i]}"
done
# One hostile subject (50 certificates in all, the renewal included): markup, quotes and a right-to-left override, as a CSR may carry them.
issue hostile client 180 $'/O=Evil & Co/CN=<script>alert(1)<\\/script> "q" \u202egpj.exe'
issue legacy client 365 "/C=JP/O=Kame Corp/CN=legacy-batch"
mtls cert renew legacy.crt --ca-cert ca.crt --ca-key ca.key --days 365 --out legacy-2.crt >/dev/null

mtls ca revoke client3.crt --ca-cert ca.crt --ca-key ca.key --reason keyCompromise >/dev/null
mtls ca revoke client8.crt --ca-cert ca.crt --ca-key ca.key --reason affiliationChanged >/dev/null
mtls ca revoke events.crt --ca-cert ca.crt --ca-key ca.key --reason superseded >/dev/null
mtls ca revoke client19.crt --ca-cert ca.crt --ca-key ca.key --reason cessationOfOperation >/dev/null
mtls ca crl --ca-cert ca.crt --ca-key ca.key --next-update 90d --out ca.crl >/dev/null
# Revoked after the CRL was published: the report says the CRL does not list it yet.
mtls ca revoke hostile.crt --ca-cert ca.crt --ca-key ca.key --reason privilegeWithdrawn >/dev/null
date -u -d '+60 days' +%Y-%m-%dT%H:%M:%SZ > at.txt
fi

at="$(cat at.txt)"
mtls ca report --ca-cert ca.crt --at "$at" --lang en --html report.html --force
mtls ca report --ca-cert ca.crt --at "$at" --lang ja --html report.ja.html --force >/dev/null
mtls ca report --ca-cert ca.crt --at "$at" --json

# Headless Chromium captures the window, not the page: each window is as tall as its page (the Japanese
# one wraps more).
shot() { # html png height
  timeout 60 chromium --headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --hide-scrollbars --user-data-dir="$work/chromium" --screenshot="$2" \
    --window-size="1280,$3" "file://$1" 2>/dev/null
}
shot "$work/report.html" "$repo/docs/ca-report.png" 5300
shot "$work/report.ja.html" "$repo/docs/ca-report.ja.png" 5900
# Full-colour screenshots of these long pages are over 1 MiB each; 256-colour PNGs (pngquant, Debian's
# package) keep them near 400 KiB and look the same. KEEP_HTML=DIR keeps the pages themselves (not in git).
if command -v pngquant >/dev/null 2>&1; then
  pngquant --force --quality 70-95 --ext .png "$repo/docs/ca-report.png" "$repo/docs/ca-report.ja.png"
else
  echo "note: pngquant not installed (apt-get install pngquant): the PNGs stay full-colour, over 1 MiB" >&2
fi
if [ -n "${KEEP_HTML:-}" ]; then cp "$work/report.html" "$work/report.ja.html" "$KEEP_HTML/"; fi
echo "wrote $repo/docs/ca-report.png and $repo/docs/ca-report.ja.png"
