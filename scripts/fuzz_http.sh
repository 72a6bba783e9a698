#!/usr/bin/env bash
# Builds and runs the libFuzzer target of the HTTP request path (fuzz/http_fuzz.cpp)
# with ASan + UBSan, for a bounded time.
#
#   scripts/fuzz_http.sh                  # FUZZ_SECONDS (default 20) on the committed seed corpus
#   FUZZ_SECONDS=3600 scripts/fuzz_http.sh    # the long run (documented in docs/security.md)
#   scripts/fuzz_http.sh path/to/crash-file   # reproduce one input
#
# Environment: FUZZ_SECONDS (20), FUZZ_BUILD_DIR (build/fuzz), JOBS (build jobs, nproc),
# FUZZ_CORPUS (a writable corpus folder; default a temporary copy of fuzz/corpus_http,
# so CI never changes the repository; set it to fuzz/corpus_http to grow the committed corpus),
# FUZZ_ARGS (extra libFuzzer flags). Exits non-zero when the fuzzer finds a crash,
# a sanitizer report, a 5xx, invalid JSON or a leaked secret; the input is saved
# as $FUZZ_BUILD_DIR/artifacts/crash-*.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
BUILD="${FUZZ_BUILD_DIR:-build/fuzz}"
SECONDS_="${FUZZ_SECONDS:-20}"
command -v clang++ >/dev/null || { echo "fuzz_http.sh: clang++ is missing (apt-get install clang)" >&2; exit 2; }

if [[ ! -f "$BUILD/build.ninja" ]]; then
  CC=clang CXX=clang++ cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DTIEJUN_TESTS=OFF -DTIEJUN_BENCH=OFF -DTIEJUN_SANITIZE=ON \
    -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link" -DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link" \
    -DCMAKE_PROJECT_INCLUDE="$ROOT/fuzz/fuzz.cmake" >/dev/null
fi
echo "== building http_fuzz ($BUILD)"
ninja -C "$BUILD" -j "${JOBS:-$(nproc)}" http_fuzz

mkdir -p "$BUILD/artifacts"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
if [[ $# -gt 0 ]]; then  # reproduce
  exec "$BUILD/http_fuzz" "$@"
fi
CORPUS="${FUZZ_CORPUS:-}"
TMP=""
if [[ -z $CORPUS ]]; then
  TMP="$(mktemp -d "${TMPDIR:-/tmp}/tiejun-fuzz-corpus.XXXXXX")"
  trap 'rm -rf "$TMP"' EXIT
  cp fuzz/corpus_http/* "$TMP/"
  CORPUS="$TMP"
fi
echo "== fuzzing the HTTP request path for ${SECONDS_} s (corpus $CORPUS)"
"$BUILD/http_fuzz" -max_total_time="$SECONDS_" -timeout=10 -rss_limit_mb=4096 -max_len=16384 \
  -dict=fuzz/http.dict -artifact_prefix="$BUILD/artifacts/" -print_final_stats=1 ${FUZZ_ARGS:-} "$CORPUS"
