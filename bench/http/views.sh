#!/usr/bin/env bash
# The organisation-wide views over HTTP, one request at a time, with glibc's default allocator
# and with Tiejun's (issue 16 point 6: serve.cpp's tune_allocator), in the same run.
#
#   bench/http/views.sh [path/to/tiejun]      (default: build/release/tiejun)
#
# A scale $SCALE demo in a temporary SQLite file; for each mode ("default":
# TIEJUN_MALLOC=default, "tuned": the binary's set-up) the server is started afresh and wrk
# (1 thread, 1 connection, $DURATION s) asks each view as the director. Prints a markdown
# table: view, mode, req/s, p50, p99, the answer's size, the server's RSS after the views.
#
# Environment: SCALE (2), DURATION (10), PORT (18195), OUT (append the table to this file),
#              GZIP (1: ask with Accept-Encoding: gzip), MODES ("default tuned"; e.g.
#              "default tuned default tuned" interleaves them on a busy machine)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
BIN=${1:-$root/build/release/tiejun}
SCALE=${SCALE:-2}
DURATION=${DURATION:-10}
PORT=${PORT:-18195}
OUT=${OUT:-}
work=$(mktemp -d "${TMPDIR:-/tmp}/tiejun-views.XXXXXX")
server_pid=""
stop_server() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
trap 'stop_server; rm -rf "$work"' EXIT INT TERM
base="http://127.0.0.1:$PORT"
export TJ_BENCH_DIR="$here"
db="sqlite:$work/views.db"
echo "== demo scale $SCALE" >&2
"$BIN" demo --db "$db" --scale "$SCALE" >"$work/demo.log" 2>&1 || { cat "$work/demo.log" >&2; exit 1; }
views=(/api/v1/talent /api/v1/coaching /api/v1/leaderboard /api/v1/metrics/reps /api/v1/rhythm /api/v1/alerts)
rows=()
for mode in ${MODES:-default tuned}; do
  envs=()
  [[ $mode == default ]] && envs=(TIEJUN_MALLOC=default)
  env "${envs[@]}" "$BIN" serve --db "$db" --listen "127.0.0.1:$PORT" --log-level warn >"$work/serve.log" 2>&1 &
  server_pid=$!
  for i in $(seq 1 100); do curl -fsS -o /dev/null "$base/healthz" 2>/dev/null && break; sleep 0.2; done
  login=$(curl -fsS -c "$work/c" -H 'Content-Type: application/json' -d '{"username":"director","password":"tiejun-demo"}' "$base/api/v1/session")
  csrf=$(grep -o '"csrf_token":"[^"]*"' <<<"$login" | cut -d'"' -f4)
  token=$(curl -fsS -b "$work/c" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' -d '{"name":"views"}' \
    "$base/api/v1/tokens" | grep -o '"token":"[^"]*"' | cut -d'"' -f4)
  for v in "${views[@]}"; do
    hdr=(-H "Authorization: Bearer $token")
    [[ ${GZIP:-0} == 1 ]] && hdr+=(-H 'Accept-Encoding: gzip')
    bytes=$(curl -fsS "${hdr[@]}" -o "$work/body" -w '%{size_download}' "$base$v")
    out=$(TJ_TOKEN=$token wrk -t1 -c1 -d"${DURATION}s" --timeout 30s -s "$here/get.lua" "$base$v" 2>&1) || true
    line=$(grep '^TJRESULT' <<<"$out" || true)
    declare -A r=()
    for kv in ${line#TJRESULT }; do r[${kv%%=*}]=${kv#*=}; done
    row=$(awk -v n="${r[requests]:-0}" -v d="${r[duration_us]:-1}" -v a="${r[p50_us]:-0}" -v b="${r[p99_us]:-0}" \
      'BEGIN { printf "%.1f | %.1f | %.1f", n / (d / 1e6), a / 1000, b / 1000 }')
    rss=$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' /proc/$server_pid/status)
    echo "   $v $mode: $row (req/s | p50 | p99), $bytes B, RSS $rss MB" >&2
    rows+=("| $v | $mode | $row | $bytes | $rss |")
    unset r
  done
  stop_server
done
{
  echo "Views one at a time (bench/http/views.sh): scale $SCALE demo on SQLite, wrk 1 connection, ${DURATION} s per view, gzip ${GZIP:-0}, $(nproc) CPUs, load average before: $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "| view | allocator | req/s | p50 ms | p99 ms | answer bytes | server RSS MB after |"
  echo "|---|---|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
} | tee -a ${OUT:+"$OUT"} /dev/null
