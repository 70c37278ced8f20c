#!/usr/bin/env bash
# Issue 8 fuzzing: the Mtls.Pki readers (PEM/DER, certificate, CSR, private key, CRL, distinguished
# name, SAN) under the project's deterministic mutation fuzzer (tests/Mtls.Pki.Tests/Fuzz), for
# SECONDS per reader (default 60), seeds made at run time. Any exception other than MtlsException is
# a finding: its input lands in bench/out/fuzz/findings/TARGET/*.bin (with the stack trace in *.txt);
# fix it and copy the .bin to tests/corpus/TARGET/, which `dotnet test` replays.
# This is the fast, blind, in-process fuzzer (no instrumentation, no afl needed); the coverage-guided
# run over the same targets (fuzz/Shared/FuzzTargets.cs) is bench/fuzz-afl.sh (SharpFuzz + AFL++).
# Usage: bash bench/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
out=bench/out/fuzz; rm -rf "$out"; mkdir -p "$out/findings"
dotnet build tests/Mtls.Pki.Tests -v q -nologo >/dev/null
status=0
MTLS_FUZZ_SECONDS="$seconds" MTLS_FUZZ_ITERATIONS=100000000 MTLS_FUZZ_OUT="$PWD/$out/findings" \
  dotnet test tests/Mtls.Pki.Tests --no-build -nologo --filter "FullyQualifiedName~Fuzz" > "$out/test.log" 2>&1 || status=$?
{
  echo
  echo "## Fuzzing: Mtls.Pki readers, mutation fuzzer, ${seconds} s per reader ($(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores, $(git rev-parse --short HEAD))"
  echo
  echo "| reader | executions | findings |"
  echo "|---|---|---|"
  sort "$out/findings/summary.tsv" | awk -F'\t' '{ printf "| %s | %s | %s |\n", $1, $2, $3 }'
  echo
  echo "Regression corpus: $(find tests/corpus -name '*.bin' | wc -l) inputs in tests/corpus, replayed by dotnet test. Verdict: $([ "$status" = 0 ] && echo PASS || echo "FAIL (see $out/findings)")"
} | tee -a bench/RESULTS.md
exit "$status"
