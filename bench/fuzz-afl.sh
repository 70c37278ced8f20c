#!/usr/bin/env bash
# Issue 8 fuzzing, coverage-guided: the Mtls.Pki readers (fuzz/Shared/FuzzTargets.cs: pem, der-cert,
# cert, csr, key, crl, p12, dn, san) under AFL++ (Debian's afl++) through SharpFuzz, one target after
# the other, SECONDS each (default 120), one afl-fuzz instance (one core). Seeds are made at run time
# by the harness (fuzz/Shared/Seeds.cs). Every crash and hang is replayed through the harness to print
# its exception; a finding is fixed in src/ and its input copied to tests/corpus/TARGET/, which
# `dotnet test` replays. Appends a table to bench/RESULTS.md; exits 1 when a crash reproduces or
# cannot be explained. Work files: bench/out/afl/ (findings/TARGET/default/{crashes,hangs,queue}).
# Usage: bash bench/fuzz-afl.sh [SECONDS_PER_TARGET] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-120}
shift || true
out=bench/out/afl
tools=bench/out/tools
sharpfuzz_version=2.3.0

if ! command -v afl-fuzz >/dev/null; then
  echo "afl-fuzz not found: installing Debian's afl++" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >/dev/null
fi
if [ ! -x "$tools/sharpfuzz" ]; then
  dotnet tool install SharpFuzz.CommandLine --version "$sharpfuzz_version" --tool-path "$tools" >/dev/null
fi

rm -rf "$out"; mkdir -p "$out/findings"
# Release, framework-dependent (not AOT: SharpFuzz rewrites IL). Only Mtls.Pki.dll is instrumented:
# coverage of our readers is what guides AFL; the platform's crypto is native code anyway.
# The instrumented copy only runs under afl-fuzz (it writes to AFL's shared memory); seeds, the target
# list and the replay of findings use the plain copy.
dotnet publish fuzz/Mtls.Fuzz -c Release -o "$out/plain" -v q -nologo >/dev/null
cp -r "$out/plain" "$out/bin"
"$tools/sharpfuzz" "$out/bin/Mtls.Pki.dll" >/dev/null
harness=(dotnet "$out/bin/Mtls.Fuzz.dll")
plain=(dotnet "$out/plain/Mtls.Fuzz.dll")
"${plain[@]}" --write-seeds "$out/seeds"
if [ $# -gt 0 ]; then targets=("$@"); else mapfile -t targets < <("${plain[@]}" --list); fi

# dotnet is not an AFL-instrumented binary (the coverage comes from the rewritten IL): skip afl's
# binary check; the runtime starts in ~0.1-0.5 s, so give the forkserver handshake time.
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
  AFL_NO_AFFINITY=1 AFL_FORKSRV_INIT_TMOUT=60000
field() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$2"; }

status=0
rows=()
for t in "${targets[@]}"; do
  echo "== $t: afl-fuzz for ${seconds} s" >&2
  afl-fuzz -i "$out/seeds/$t" -o "$out/findings/$t" -V "$seconds" -t 10000 -m none -- "${harness[@]}" "$t" \
    > "$out/$t.log" 2>&1 || { echo "afl-fuzz failed for $t (see $out/$t.log):" >&2; tail -5 "$out/$t.log" >&2; status=1; continue; }
  dir="$out/findings/$t/default"
  crashes=("$dir"/crashes/id:*) hangs=("$dir"/hangs/id:*)
  [ -e "${crashes[0]}" ] || crashes=()
  [ -e "${hangs[0]}" ] || hangs=()
  reproduced=0
  for f in "${crashes[@]}" "${hangs[@]}"; do
    if timeout 120 "${plain[@]}" --replay "$t" "$f" > "$f.txt" 2>&1; then
      echo "$t: $(basename "$f"): did not reproduce outside afl (see $f.txt)" >&2
      case "$f" in */crashes/*) status=1 ;; esac # a crash we cannot explain
    else
      reproduced=$((reproduced + 1)); status=1
      echo "$t: $(basename "$f" | cut -d, -f1): $(head -1 "$f.txt" | sed 's/.*: FINDING //' | cut -c1-200)" >&2
    fi
  done
  s="$dir/fuzzer_stats"
  rows+=("| $t | $(field execs_done "$s") | $(field execs_per_sec "$s") | $(field corpus_count "$s") | ${#crashes[@]} | ${#hangs[@]} | $reproduced |")
done

{
  echo
  echo "## Fuzzing: SharpFuzz + AFL++ ($(afl-fuzz -h 2>&1 | grep -o 'afl-fuzz++[0-9a-z.]*' | head -1)), ${seconds} s per target ($(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(git rev-parse --short HEAD))"
  echo
  echo "| target | executions | exec/s (average) | corpus | crashes | hangs | reproduced as findings |"
  echo "|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "One afl-fuzz instance, Mtls.Pki.dll instrumented by sharpfuzz ${sharpfuzz_version}. Verdict: $([ "$status" = 0 ] && echo PASS || echo "FAIL (see $out/findings/*/default/{crashes,hangs}/*.txt)")"
} | tee -a bench/RESULTS.md
exit "$status"
