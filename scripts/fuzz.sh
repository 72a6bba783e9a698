#!/usr/bin/env bash
# File-format fuzzers: builds the libFuzzer targets of the import readers
# (fuzz/csv_fuzz.cpp: encoding detection + CSV reader + writer round trip;
# fuzz/xlsx_fuzz.cpp: the XLSX reader on zip bombs, broken zips, entity tricks,
# huge string tables) with clang++ -fsanitize=fuzzer,address,undefined, and runs
# each for FUZZ_SECONDS (default 20) with -rss_limit_mb=512 from the committed
# seed corpus (fuzz/corpus/*; new finds go to build/fuzz-io/corpus_*).
# A crash, a sanitizer report, a leak or memory over the limit fails the run
# and leaves the input in build/fuzz-io/. Called by scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS="${FUZZ_SECONDS:-20}"
CXX="${FUZZ_CXX:-clang++}"
if ! command -v "$CXX" >/dev/null; then
  echo "fuzz: $CXX not found (bash scripts/deps.sh installs clang)" >&2
  exit 1
fi
OUT=build/fuzz-io
mkdir -p "$OUT"
SRC=(src/io/text.cpp src/io/table.cpp src/io/csv.cpp src/io/xlsx_read.cpp src/io/sheet.cpp src/domain/names.cpp)
FLAGS=(-std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -Isrc)
read -r -a LIBS <<<"$(pkg-config --cflags --libs libzip expat)"
for t in csv xlsx; do
  bin="$OUT/${t}_fuzz"
  if [[ ! -x $bin || -n "$(find src/io fuzz/${t}_fuzz.cpp -newer "$bin" 2>/dev/null | head -1)" ]]; then
    echo "fuzz: building $bin"
    "$CXX" "${FLAGS[@]}" "fuzz/${t}_fuzz.cpp" "${SRC[@]}" "${LIBS[@]}" -o "$bin"
  fi
done
status=0
for t in csv xlsx; do
  mkdir -p "$OUT/corpus_$t"
  maxlen=4096
  [[ $t == xlsx ]] && maxlen=65536
  echo "fuzz: $t for ${SECS}s"
  if ! ASAN_OPTIONS=detect_leaks=1 "./$OUT/${t}_fuzz" -max_total_time="$SECS" -rss_limit_mb=512 -timeout=10 \
      -max_len="$maxlen" -dict="fuzz/$t.dict" -artifact_prefix="$OUT/${t}-" -print_final_stats=1 \
      "$OUT/corpus_$t" "fuzz/corpus/$t" 2>"$OUT/$t.log"; then
    echo "fuzz: $t FAILED (see $OUT/$t.log and $OUT/${t}-*)" >&2
    tail -40 "$OUT/$t.log" >&2
    status=1
  else
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$OUT/$t.log" | sed "s/^/fuzz: $t /"
  fi
done
exit $status
