#!/usr/bin/env bash
# Short requests under a storm of expensive ones (issue 16 point 2), with wrk.
#
#   bench/http/storm.sh [path/to/tiejun ...]     (default: build/release/tiejun)
#
# For each binary given (e.g. main's and this branch's, to compare before and after): a scale
# $SCALE demo in a temporary SQLite file, served on 127.0.0.1:$PORT; then, for $DURATION s, a
# background wrk keeps $STORM connections of expensive requests open as the director
# (organisation-wide views and a two-character search: bench/http/storm.lua), so about $STORM of
# them are always queued, while a foreground wrk at $CONNS connections measures one-company reads
# as rep1 and, after it, another measures visit writes as rep1. Each foreground case is also run
# without the storm first (the baseline). Prints a markdown table: case, storm, req/s, p50, p99,
# errors (non-2xx answers and socket errors; of the foreground only), and the storm's own
# completed requests and non-2xx answers (503 timeout / overloaded are expected there).
#
# Environment: SCALE (1), DURATION (15), CONNS (16), STORM (256), THREADS (2), PORT (18190),
#              SERVE_ARGS (extra serve options), OUT (append the table to this file)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
SCALE=${SCALE:-1}
DURATION=${DURATION:-15}
CONNS=${CONNS:-16}
STORM=${STORM:-256}
THREADS=${THREADS:-2}
PORT=${PORT:-18190}
OUT=${OUT:-}
bins=("$@")
((${#bins[@]})) || bins=("$root/build/release/tiejun")
for t in wrk curl awk; do command -v $t >/dev/null || { echo "storm.sh: $t is missing (scripts/deps.sh)" >&2; exit 2; }; done

work=$(mktemp -d "${TMPDIR:-/tmp}/tiejun-storm.XXXXXX")
server_pid=""
storm_pid=""
stop_server() {
  [[ -n $storm_pid ]] && kill "$storm_pid" 2>/dev/null || true
  storm_pid=""
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

login_token() {  # user -> bearer token
  local login csrf
  login=$(curl -fsS -c "$work/c-$1" -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"tiejun-demo\"}" "$base/api/v1/session")
  csrf=$(grep -o '"csrf_token":"[^"]*"' <<<"$login" | cut -d'"' -f4)
  curl -fsS -b "$work/c-$1" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' -d '{"name":"storm"}' \
    "$base/api/v1/tokens" | grep -o '"token":"[^"]*"' | cut -d'"' -f4
}

result() {  # wrk output -> "req/s|p50|p99|errors|requests|status errors"
  local line; line=$(grep '^TJRESULT' <<<"$1" || true)
  [[ -n $line ]] || { echo "failed|||||"; return; }
  declare -A v=()
  for kv in ${line#TJRESULT }; do v[${kv%%=*}]=${kv#*=}; done
  awk -v r="${v[requests]}" -v d="${v[duration_us]}" -v p50="${v[p50_us]}" -v p99="${v[p99_us]}" \
    -v e=$((v[err_status] + v[err_connect] + v[err_read] + v[err_write] + v[err_timeout])) -v s="${v[err_status]}" \
    'BEGIN { printf "%.0f|%.2f|%.2f|%d|%d|%d", r / (d / 1e6), p50 / 1000, p99 / 1000, e, r, s }'
}

rows=()
for bin in "${bins[@]}"; do
  label=$("$bin" --version 2>/dev/null || echo "$bin")
  label="$label ($(basename "$bin"))"
  db="sqlite:$work/storm-$RANDOM.db"
  echo "== $label: demo scale $SCALE" >&2
  "$bin" demo --db "$db" --scale "$SCALE" >"$work/demo.log" 2>&1 || { cat "$work/demo.log" >&2; exit 1; }
  # --max-conns-per-ip: the storm and the measuring client come from one address
  "$bin" serve --db "$db" --listen "127.0.0.1:$PORT" --max-conns-per-ip 4096 ${SERVE_ARGS:-} >"$work/serve.log" 2>&1 &
  server_pid=$!
  for i in $(seq 1 100); do
    curl -fsS -o /dev/null "$base/healthz" 2>/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
    sleep 0.2
  done
  rep_token=$(login_token rep1)
  dir_token=$(login_token director)
  rep_id=$(curl -fsS -H "Authorization: Bearer $rep_token" "$base/api/v1/me" | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2)
  ids=$(curl -fsS -H "Authorization: Bearer $rep_token" "$base/api/v1/companies?owner_id=$rep_id&limit=100" |
    grep -o '"id":[0-9]*' | cut -d: -f2 | paste -sd, -)
  one=${ids%%,*}
  export TJ_COMPANY_IDS="$ids"
  for storm in 0 "$STORM"; do
    if ((storm > 0)); then
      TJ_TOKEN=$dir_token wrk -t1 -c"$storm" -d"$((2 * DURATION + 20))s" --timeout 30s -s "$here/storm.lua" "$base/" \
        >"$work/storm.out" 2>&1 &
      storm_pid=$!
      sleep 5  # the storm's queue fills
    fi
    for c in "read one company|get.lua|/api/v1/companies/$one" "log visit|log_visit.lua|/api/v1/visits"; do
      IFS='|' read -r name script path <<<"$c"
      out=$(TJ_TOKEN=$rep_token timeout $((DURATION + 40)) wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --timeout 30s \
        -s "$here/$script" "$base$path" 2>&1) || true
      IFS='|' read -r rps p50 p99 errs _ _ <<<"$(result "$out")"
      echo "   $name, storm $storm: $rps req/s, p50 $p50 ms, p99 $p99 ms, errors $errs" >&2
      rows+=("| $label | $name | $storm | $rps | $p50 | $p99 | $errs |")
    done
    if ((storm > 0)); then
      kill -INT "$storm_pid" 2>/dev/null || true
      wait "$storm_pid" 2>/dev/null || true
      storm_pid=""
      IFS='|' read -r srps _ sp99 _ sreq sstatus <<<"$(result "$(cat "$work/storm.out")")"
      rows+=("| $label | (the storm itself) | $storm | $srps | | $sp99 | $sstatus non-2xx of $sreq |")
    fi
  done
  stop_server
done

{
  echo "Short requests under a storm of expensive ones (bench/http/storm.sh): scale $SCALE demo on SQLite, foreground wrk $THREADS threads x $CONNS connections for ${DURATION} s per case, storm $STORM connections, $(nproc) CPUs, load average before: $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "| binary | case | storm connections | req/s | p50 ms | p99 ms | errors |"
  echo "|---|---|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
} | tee -a ${OUT:+"$OUT"} /dev/null
