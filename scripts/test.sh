#!/usr/bin/env bash
# Quick start, part two: runs every test suite. Installs what is missing,
# builds (release for the API and browser suites, debug with ASan/UBSan for
# the unit and store suites), starts a throwaway PostgreSQL when the binary
# supports it, runs everything, stops what it started, and fails if any suite failed.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
export TIEJUN_BIN="$ROOT/build/release/tiejun"
failed=()
gaps=()
step() { echo; echo "=================== $*"; }

step "build (release)"
bash scripts/build.sh release || { echo "release build failed"; exit 1; }
step "build (debug, ASan+UBSan) unit and store tests"
cmake --preset debug >/dev/null && cmake --build --preset debug -j "${JOBS:-$(nproc)}" --target tiejun_tests \
  || { echo "debug build failed"; exit 1; }

PG_STARTED=0
if [[ -x scripts/pg.sh ]] && "$TIEJUN_BIN" --help 2>/dev/null | grep -q copy; then
  step "start throwaway PostgreSQL"
  if eval "$(bash scripts/pg.sh start)"; then PG_STARTED=1; else failed+=("postgres-start"); fi
fi
cleanup() { [[ $PG_STARTED == 1 ]] && bash scripts/pg.sh stop >/dev/null 2>&1; }
trap cleanup EXIT

step "unit + store contract tests (ctest, ASan+UBSan)"
ASAN_OPTIONS=detect_leaks=1 ctest --test-dir build/debug --output-on-failure -j "${JOBS:-2}" || failed+=("unit")

step "API scenario tests (real binary over HTTP, SQLite)"
timeout 900 node --test --test-concurrency=1 tests/api/ || failed+=("api-sqlite")
if [[ $PG_STARTED == 1 ]]; then
  step "API scenario tests (PostgreSQL)"
  timeout 900 node --test --test-concurrency=1 tests/api/ || failed+=("api-postgres")
fi

# The reliability and security suites of issue 7 are still being completed: they run on
# every build and their failures are printed as known gaps, but they do not gate yet.
step "security and reliability suites (issue 7, reported, not gating yet)"
timeout 1200 node --test --test-concurrency=1 tests/security/ || gaps+=("security")
step "crash suite (issue 7, reported, not gating yet)"
timeout 900 node --test --test-concurrency=1 tests/crash/ || gaps+=("crash")

if [[ -f tests/browser/package.json ]]; then
  step "browser tests (Debian chromium via playwright-core)"
  (cd tests/browser && { [[ -d node_modules && node_modules/.package-lock.json -nt package-lock.json ]] || npm ci --no-audit --no-fund --loglevel=error; }) \
    && timeout 900 node --test --test-concurrency=1 tests/browser/ || failed+=("browser")
fi

if [[ -f scripts/fuzz.sh ]]; then
  step "file-format fuzzers (bounded)"
  FUZZ_SECONDS="${FUZZ_SECONDS:-20}" bash scripts/fuzz.sh || failed+=("fuzz")
fi
if [[ -f scripts/fuzz_http.sh ]]; then
  step "HTTP request fuzzer (bounded)"
  FUZZ_SECONDS="${FUZZ_SECONDS:-20}" bash scripts/fuzz_http.sh || gaps+=("fuzz-http")
fi

echo
if ((${#gaps[@]})); then
  echo "KNOWN GAPS (issue 7, not gating yet): ${gaps[*]}"
fi
if ((${#failed[@]})); then
  echo "FAILED suites: ${failed[*]}"
  exit 1
fi
echo "all suites passed"
