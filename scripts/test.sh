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
flaky=()
failed_detail=()
# Each step's wall time and the CPU time of what it ran (user + system of the processes it started
# and waited for; a PostgreSQL server started by pg.sh is not counted), printed at the end
# (issue 13: CI must stay under 20 minutes; CPU / wall near the core count means the step is CPU-bound).
STEP_NAMES=(); STEP_SECS=(); STEP_CPU=(); STEP_T0=$SECONDS; T_ALL=$SECONDS
# Children's user + system seconds so far (bash's `times`, second line).
# (`times` runs in this shell, not in a pipe or $(...): a subshell has its own, empty, counts.)
mkdir -p build; CPU_FILE="$ROOT/build/.test-times"
child_cpu() { times >"$CPU_FILE"; awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, a, "m"); t += a[1] * 60 + a[2] } printf "%d", t }' "$CPU_FILE"; }
STEP_C0=0
step_done() {
  if [[ -n ${STEP_CUR:-} ]]; then
    local c; child_cpu >"$CPU_FILE.v"; c=$(<"$CPU_FILE.v")
    STEP_NAMES+=("$STEP_CUR"); STEP_SECS+=($((SECONDS - STEP_T0))); STEP_CPU+=($((c - STEP_C0)))
  fi
  STEP_CUR=""
}
step() { step_done; echo; echo "=================== $*"; STEP_CUR="$*"; STEP_T0=$SECONDS; child_cpu >"$CPU_FILE.v"; STEP_C0=$(<"$CPU_FILE.v"); }
print_times() {
  step_done
  echo
  echo "=================== step times (wall, CPU of the step's processes; the background lane's CPU is"
  echo "                    counted again in the main-lane step during which the lane ended)"
  local i
  for i in "${!STEP_NAMES[@]}"; do printf '%6ds %6ds  %s\n' "${STEP_SECS[$i]}" "${STEP_CPU[$i]}" "${STEP_NAMES[$i]}"; done
  child_cpu >"$CPU_FILE.v"
  printf '%6ds %6ds  total\n' $((SECONDS - T_ALL)) "$(<"$CPU_FILE.v")"
}

# node_suite NAME CONCURRENCY TIMEOUT PATH...: a node --test suite. A test file that fails is run
# once more on its own: failing twice fails the suite; passing the second time is printed at the
# end as FLAKY (its first failure stays in the log above), never hidden. A suite that timed out
# is not run again. Environment set before the call (VAR=x node_suite ...) reaches the tests.
node_suite() {
  local name=$1 conc=$2 to=$3 rc files
  shift 3
  local log="$ROOT/build/.suite-$name.log"
  timeout "$to" node --test --test-concurrency="$conc" "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  ((rc == 0)) && return 0
  # the file of each failed top-level test: TAP's "not ok N - ..." then "  location: '/path/x.test.mjs:L:C'"
  mapfile -t files < <(awk -v q="'" '/^not ok /{f = 1; next} f && /^  location: /{s = $0; sub(/^  location: /, "", s); gsub(q, "", s); sub(/:[0-9]+:[0-9]+$/, "", s); print s; f = 0}' "$log" | sort -u)
  if ((rc == 124 || ${#files[@]} == 0)); then
    failed_detail+=("$name: exit $rc")
    return 1
  fi
  echo "== $name: the failed files once more, one at a time: ${files[*]}"
  if timeout "$to" node --test --test-concurrency=1 "${files[@]}"; then
    flaky+=("$name: ${files[*]}")
    return 0
  fi
  failed_detail+=("$name: ${files[*]}")
  return 1
}

step "build (release: the binary and the benchmarks; the tests are built once, in debug)"
bash scripts/build.sh release tiejun tiejun_bench || { echo "release build failed"; exit 1; }
step "build (debug, ASan+UBSan) unit and store tests"
cmake --preset debug >/dev/null && cmake --build --preset debug -j "${JOBS:-$(nproc)}" --target tiejun_tests \
  || { echo "debug build failed"; exit 1; }

# Issue 13: clang-format on the changed lines, clang-tidy (.clang-tidy) with the debug build's
# compile_commands.json on the src/ files changed against the merge base (LINT_TIDY=changed; the
# whole of src/ is over the 90 s budget on this machine: docs/performance.md). Both gate the run
# (LINT_GATE=1, the default; LINT_GATE=0 only prints the findings). The whole of src/ is
# `LINT_TIDY=all bash scripts/lint.sh tidy` (zero warnings: docs/performance.md, "Lint").
step "lint (clang-format on changed lines, clang-tidy on changed src/ files; gating)"
if ! LINT_TIDY="${LINT_TIDY:-changed}" timeout 600 bash scripts/lint.sh; then
  if [[ ${LINT_GATE:-1} == 1 ]]; then failed+=("lint"); else echo "lint: findings above (not gating: LINT_GATE=0)"; fi
fi

PG_STARTED=0
if [[ -x scripts/pg.sh ]] && "$TIEJUN_BIN" --help 2>/dev/null | grep -q copy; then
  step "start throwaway PostgreSQL"
  if eval "$(bash scripts/pg.sh start)"; then PG_STARTED=1; else failed+=("postgres-start"); fi
fi
cleanup() { [[ $PG_STARTED == 1 ]] && bash scripts/pg.sh stop >/dev/null 2>&1; }
trap cleanup EXIT

step "unit + store contract tests (ctest, ASan+UBSan)"
# A test that fails is run once more on its own: failing twice fails the suite; passing the
# second time is printed at the end as FLAKY (with its first output in the log above), never hidden.
if ! ASAN_OPTIONS=detect_leaks=1 ctest --test-dir build/debug --output-on-failure -j "${JOBS:-2}"; then
  first_failed="$(cat build/debug/Testing/Temporary/LastTestsFailed.log 2>/dev/null)"
  if ASAN_OPTIONS=detect_leaks=1 ctest --test-dir build/debug --output-on-failure --rerun-failed; then
    flaky+=("unit: ${first_failed//$'\n'/, }")
  else
    failed+=("unit")
    failed_detail+=("unit: $(tr '\n' ' ' <build/debug/Testing/Temporary/LastTestsFailed.log 2>/dev/null)")
  fi
fi

# The second lane (issue 13: CI under 20 minutes). After ctest, which keeps both cores busy, the suites
# that mostly wait (the notification receivers' schedules, pg_auto_failover's state changes, pages
# settling in chromium) run in the background beside the security and crash suites, which use about
# one core. Every server, receiver and cluster takes its own port (0, or a free one in its own range)
# and its own database, so the two lanes share nothing but the throwaway PostgreSQL server. The lane
# writes to build/.lane-b.log, printed when it ends; its step times and failures join the main ones.
# LANES=1 runs it in line instead.
lane_b() {
  # Issue 14: notifications end to end (a loopback DingTalk / WeCom / webhook receiver).
  step "notification tests (issue 14: SQLite, then PostgreSQL when up)"
  TIEJUN_TEST_PG= node_suite notify-sqlite 1 300 tests/notify/ || failed+=("notify-sqlite")
  if [[ $PG_STARTED == 1 ]]; then
    node_suite notify-postgres 1 300 tests/notify/ || failed+=("notify-postgres")
  fi
  step "failover suite (issue 16: pg_auto_failover, kill -9 of the primary under writes)"
  node_suite failover 1 240 tests/failover/ || failed+=("failover")
  if [[ -f tests/browser/package.json ]]; then
    # Two test files at a time: each has its own server (port 0), database and chromium, and much of a
    # page test is waiting (network idle, animations), so two share the 2 cores (BROWSER_JOBS=1: one).
    step "browser tests (Debian chromium via playwright-core, two files at a time)"
    (cd tests/browser && { [[ -d node_modules && node_modules/.package-lock.json -nt package-lock.json ]] || npm ci --no-audit --no-fund --loglevel=error; }) \
      && node_suite browser "${BROWSER_JOBS:-2}" 900 tests/browser/ || failed+=("browser")
  fi
  step_done
}
if [[ ${LANES:-2} == 2 ]]; then
  rm -f "$ROOT/build/.lane-b.vars"
  (
    STEP_NAMES=(); STEP_SECS=(); STEP_CPU=(); failed=(); flaky=(); failed_detail=(); STEP_CUR=""
    CPU_FILE="$ROOT/build/.test-times-b"
    lane_b
    declare -p STEP_NAMES STEP_SECS STEP_CPU failed flaky failed_detail | sed 's/^declare -a /declare -ga B_/' >"$ROOT/build/.lane-b.vars"
  ) >"$ROOT/build/.lane-b.log" 2>&1 &
  LANE_B_PID=$!
  echo "== background lane started (notifications, failover, browser): build/.lane-b.log"
else
  lane_b
fi

step "API scenario tests (real binary over HTTP, SQLite)"
TIEJUN_TEST_PG= node_suite api-sqlite 1 900 tests/api/ || failed+=("api-sqlite")
if [[ $PG_STARTED == 1 ]]; then
  step "API scenario tests (PostgreSQL)"
  # A request's deadline in the harness is 10 s; the API import of the generated file takes
  # 8-16 s on PostgreSQL on this 2-core machine (known slow path, docs/performance.md), so
  # here the harness waits up to 60 s before it calls the server hung.
  TIEJUN_TEST_TIMEOUT_MS="${TIEJUN_TEST_TIMEOUT_MS:-60000}" node_suite api-postgres 1 900 tests/api/ || failed+=("api-postgres")
fi

# Issue 7: the security and reliability suites (docs/security.md names the test behind
# each promise). Bounded here (a few minutes); the long runs are in docs/security.md,
# "Running the proofs". The crash suite always uses SQLite plus its own PostgreSQL cluster.
step "security and reliability suites (issue 7, SQLite)"
TIEJUN_TEST_PG= node_suite security-sqlite 1 900 tests/security/ || failed+=("security-sqlite")
if [[ $PG_STARTED == 1 ]]; then
  # the backend-dependent parts (hot-row retries, audit triggers, SQL/FTS injection); the whole
  # suite on PostgreSQL (~7 min on 2 CPUs, mostly the access matrix) is a documented long run
  step "security suites on PostgreSQL (issue 7: concurrency, audit, hostile input)"
  node_suite security-postgres 1 600 tests/security/concurrency.test.mjs tests/security/audit.test.mjs \
    tests/security/input.test.mjs tests/security/access_round2.test.mjs || failed+=("security-postgres")
fi
step "crash suite (issue 7: kill -9 of serve, import and the PostgreSQL postmaster)"
# Still at least 100 kills (docs/security.md): 15 of serve under writes (about 3 s each; the suite's own
# default is 30), 75 of import (a quarter of a second each), 5 + 5 on PostgreSQL. The long run is in docs/security.md.
CRASH_ROUNDS="${CRASH_ROUNDS:-15}" CRASH_IMPORT_ROUNDS="${CRASH_IMPORT_ROUNDS:-75}" node_suite crash 1 900 tests/crash/ || failed+=("crash")
step "Debian package (issue 16: build, unpack in a clean tree, serve with the packaged config, systemd-analyze verify)"
timeout 600 bash tests/package/package_test.sh || failed+=("package")

if [[ -f scripts/fuzz.sh ]]; then
  step "file-format fuzzers (bounded)"
  FUZZ_SECONDS="${FUZZ_SECONDS:-10}" bash scripts/fuzz.sh || failed+=("fuzz")
fi
if [[ -f scripts/fuzz_http.sh ]]; then
  step "HTTP request fuzzer (bounded)"
  FUZZ_SECONDS="${FUZZ_SECONDS:-10}" bash scripts/fuzz_http.sh || failed+=("fuzz-http")
fi

# the load mix measures latency: it runs alone, after both lanes
if [[ -n ${LANE_B_PID:-} ]]; then
  step "waiting for the background lane"
  wait "$LANE_B_PID"
  echo "=================== the background lane's output (build/.lane-b.log)"
  cat "$ROOT/build/.lane-b.log"
  if [[ -f $ROOT/build/.lane-b.vars ]]; then
    # shellcheck disable=SC1091
    source "$ROOT/build/.lane-b.vars"
    for i in "${!B_STEP_NAMES[@]}"; do
      STEP_NAMES+=("[background] ${B_STEP_NAMES[$i]}"); STEP_SECS+=("${B_STEP_SECS[$i]}"); STEP_CPU+=("${B_STEP_CPU[$i]}")
    done
    failed+=("${B_failed[@]}"); flaky+=("${B_flaky[@]}"); failed_detail+=("${B_failed_detail[@]}")
  else
    failed+=("background-lane")
  fi
fi
if [[ -f bench/load/run.sh ]] && command -v wrk >/dev/null; then
  step "load mix (issue 7, bounded: 5 s at 16 and 256 connections; no error, no timeout)"
  DURATION=5 CONNS="16 256" timeout 300 bash bench/load/run.sh "$TIEJUN_BIN" || failed+=("load")
fi


print_times
echo
if ((${#flaky[@]})); then printf 'FLAKY (failed, then passed when run again): %s\n' "${flaky[@]}"; fi
if ((${#failed[@]})); then
  ((${#failed_detail[@]})) && printf 'FAILED tests: %s\n' "${failed_detail[@]}"
  echo "FAILED suites: ${failed[*]}"
  exit 1
fi
echo "all suites passed"
