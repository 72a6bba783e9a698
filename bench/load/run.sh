#!/usr/bin/env bash
# Load test of Tiejun with wrk (issue 7, item 6): a realistic mix — 80% reads
# (company lists, search, details, visits and contacts of a company, alerts,
# prospects, leaderboard, rhythm board, feed, metrics, coaching/diagnosis) and
# 20% visit writes — from several demo users (reps, managers, the director),
# against `tiejun demo --scale $SCALE` data, at each connection count in CONNS
# for DURATION seconds. The server's RSS is sampled every RSS_INTERVAL seconds.
# Fails (exit 1) on any error: a non-2xx answer, a socket error or a timeout.
#
#   bench/load/run.sh [path/to/tiejun]          (default build/release/tiejun)
#   DURATION=5 bench/load/run.sh                 # the CI version (scripts/test.sh)
#   SOAK=600 bench/load/run.sh                   # plus a 10-minute soak at SOAK_CONNS
#                                                # connections: memory must stay flat
#   APPEND=1 bench/load/run.sh                   # append the figures to docs/performance.md ("Load")
#
# Environment: SCALE (1), DURATION (60), CONNS ("16 256"), THREADS (2), PORT (18350),
#   SOAK (0 = none; seconds), SOAK_CONNS (16), RSS_INTERVAL (1), FLAT_PCT (15: the soak's
#   allowed RSS growth from half time, when SQLite's page caches are warm, to its end), WORKERS (server
#   worker threads; default the server's), APPEND (0), KEEP (1: keep the work folder),
#   TJ_WRITES (0: a read-only mix, to tell a leak from caches that grow with the database).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
BIN=${1:-$root/build/release/tiejun}
SCALE=${SCALE:-1}
DURATION=${DURATION:-60}
CONNS=${CONNS:-"16 256"}
THREADS=${THREADS:-2}
PORT=${PORT:-18350}
SOAK=${SOAK:-0}
SOAK_CONNS=${SOAK_CONNS:-16}
RSS_INTERVAL=${RSS_INTERVAL:-1}
FLAT_PCT=${FLAT_PCT:-15}

for t in wrk curl awk; do command -v $t >/dev/null || { echo "run.sh: $t is missing (scripts/deps.sh)" >&2; exit 2; }; done
[[ -x $BIN ]] || { echo "run.sh: no tiejun binary at $BIN" >&2; exit 2; }
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")

work=$(mktemp -d "${TMPDIR:-/tmp}/tiejun-load.XXXXXX")
server_pid=""
sampler_pid=""
cleanup() {
  [[ -n $sampler_pid ]] && kill "$sampler_pid" 2>/dev/null || true
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  if [[ ${KEEP:-0} == 1 ]]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT INT TERM

base="http://127.0.0.1:$PORT"
db="sqlite:$work/load.db"
loadavg=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== demo data (scale $SCALE)" >&2
t0=$(date +%s.%N)
"$BIN" demo --db "$db" --scale "$SCALE" --force >"$work/demo.log" 2>&1 || { cat "$work/demo.log" >&2; exit 1; }
t1=$(date +%s.%N)
summary=$(grep -E "^  [0-9]+ sales teams" "$work/demo.log" | sed 's/^ *//' || true)
echo "   $summary" >&2

echo "== serving on $base" >&2
serve_args=(serve --db "$db" --listen "127.0.0.1:$PORT")
[[ -n ${WORKERS:-} ]] && serve_args+=(--workers "$WORKERS")
"$BIN" "${serve_args[@]}" >"$work/serve.log" 2>&1 &
server_pid=$!
for i in $(seq 1 150); do
  curl -fsS -o /dev/null "$base/api/v1/openapi.json" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.log" >&2; echo "the server exited" >&2; exit 1; }
  [[ $i == 150 ]] && { echo "the server did not answer within 30 s" >&2; exit 1; }
  sleep 0.2
done

# Tokens for several users, each with companies it may log visits on.
users=""
login() {  # $1 username -> "token:role:ids"
  local name=$1 resp csrf uid role token ids=""
  resp=$(curl -fsS -c "$work/c-$name" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$name\",\"password\":\"tiejun-demo\"}" "$base/api/v1/session") || return 1
  csrf=$(grep -o '"csrf_token":"[^"]*"' <<<"$resp" | cut -d'"' -f4)
  uid=$(grep -o '"user":{[^}]*}' <<<"$resp" | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2)
  role=$(grep -o '"role":"[a-z]*"' <<<"$resp" | head -1 | cut -d'"' -f4)
  token=$(curl -fsS -b "$work/c-$name" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
    -d '{"name":"load test"}' "$base/api/v1/tokens" | grep -o '"token":"[^"]*"' | cut -d'"' -f4)
  if [[ $role == rep ]]; then
    ids=$(curl -fsS -H "Authorization: Bearer $token" "$base/api/v1/companies?owner_id=$uid&limit=50" |
      grep -o '"id":[0-9]*' | cut -d: -f2 | paste -sd, -)
  else  # managers and the director log calls on the companies of a rep in their scope
    local rep
    rep=$(curl -fsS -H "Authorization: Bearer $token" "$base/api/v1/users" | grep -o '"id":[0-9]*,"role":"rep"' |
      head -1 | grep -o '[0-9]*' | head -1)
    [[ -n $rep ]] && ids=$(curl -fsS -H "Authorization: Bearer $token" "$base/api/v1/companies?owner_id=$rep&limit=50" |
      grep -o '"id":[0-9]*' | cut -d: -f2 | paste -sd, -)
  fi
  [[ -n $token && -n $ids ]] || return 1
  echo "$token:$role:$ids"
}
for u in rep1 rep2 rep3 rep4 rep5 rep6 rep7 rep8 manager1 manager2 director; do
  if entry=$(login "$u"); then users+="${users:+;}$entry"; else echo "   (no usable login for $u)" >&2; fi
done
[[ -n $users ]] || { echo "no demo user could log in" >&2; exit 1; }
export TJ_USERS="$users"
echo "   $(tr ';' '\n' <<<"$users" | wc -l) users" >&2

# The process's own memory: RssAnon (heap, stacks). SQLite maps the database file for reads,
# and those mapped pages (RssFile) are the kernel's file cache, shared and reclaimable.
rss_kb() { awk '/^RssAnon:/ {print $2}' "/proc/$server_pid/status" 2>/dev/null || echo 0; }
start_sampler() {  # $1 file
  # time, RSS (kB), database + WAL size (kB)
  ( while kill -0 "$server_pid" 2>/dev/null; do
      echo "$(date +%s) $(rss_kb) $(( ($(stat -c %s "$work/load.db") + $(stat -c %s "$work/load.db-wal" 2>/dev/null || echo 0)) / 1024 ))"
      sleep "$RSS_INTERVAL"
    done ) >"$1" &
  sampler_pid=$!
}
stop_sampler() { kill "$sampler_pid" 2>/dev/null || true; wait "$sampler_pid" 2>/dev/null || true; sampler_pid=""; }

rows=()
failed=0
run_case() {  # $1 connections, $2 seconds, $3 label
  local c=$1 d=$2 label=$3 out line rss_file="$work/rss-$3-$1.txt"
  echo "== $label: $c connections, ${d} s" >&2
  start_sampler "$rss_file"
  out=$(timeout $((d + 120)) wrk -t"$THREADS" -c"$c" -d"${d}s" --timeout 10s -s "$here/mix.lua" "$base" 2>&1) || true
  stop_sampler
  line=$(grep '^TJRESULT' <<<"$out" || true)
  if [[ -z $line ]]; then echo "$out" >&2; rows+=("| $label | $c | ${d} | wrk failed | | | | | | |"); failed=1; return; fi
  declare -A v=()
  for kv in ${line#TJRESULT }; do v[${kv%%=*}]=${kv#*=}; done
  local rps errs ms50 ms90 ms99 msmax rss0 rssmax rss1
  rps=$(awk -v r="${v[requests]}" -v d="${v[duration_us]}" 'BEGIN { printf "%.0f", r / (d / 1e6) }')
  errs=$((v[err_status] + v[err_connect] + v[err_read] + v[err_write] + v[err_timeout]))
  ms() { awk -v x="$1" 'BEGIN { printf "%.1f", x / 1000 }'; }
  ms50=$(ms "${v[p50_us]}"); ms90=$(ms "${v[p90_us]}"); ms99=$(ms "${v[p99_us]}"); msmax=$(ms "${v[max_us]}")
  rss0=$(awk 'NR==1 {printf "%.0f", $2/1024}' "$rss_file")
  rssmax=$(awk '$2>m {m=$2} END {printf "%.0f", m/1024}' "$rss_file")
  rss1=$(awk '$2>0 {l=$2} END {printf "%.0f", l/1024}' "$rss_file")
  local note="$errs"
  if ((errs > 0)); then note="$errs (status ${v[err_status]}, timeout ${v[err_timeout]}, socket $((v[err_connect] + v[err_read] + v[err_write])))"; failed=1; grep "mix.lua:" <<<"$out" | sort | uniq -c | sort -rn | head -8 >&2; fi
  rows+=("| $label | $c | $d | ${v[requests]} | $rps | $ms50 | $ms90 | $ms99 | $msmax | $note | $rss0 → $rssmax → $rss1 |")
  echo "   $rps req/s, p50 $ms50 ms, p99 $ms99 ms, max $msmax ms, errors $note, RSS MB $rss0 → max $rssmax → end $rss1" >&2
  if [[ $label == soak ]]; then
    # flat: once the caches are warm (the first half of the soak), RSS grows at most FLAT_PCT% to the end
    local n half last curve dbmax
    n=$(wc -l <"$rss_file")
    half=$(awk -v k=$((n / 2 + 1)) 'NR==k {print $2}' "$rss_file")
    last=$(awk '$2>0 {l=$2} END {print l}' "$rss_file")
    curve=$(awk -v n="$n" 'NR==1 || NR % int(n/10 > 0 ? n/10 : 1) == 0 {printf "%s%.0f", (c++ ? " " : ""), $2/1024}' "$rss_file")
    dbmax=$(awk '$3>m {m=$3} END {printf "%.0f", m/1024}' "$rss_file")
    soak_note=$(awk -v w="$half" -v e="$last" -v p="$FLAT_PCT" -v c="$curve" -v d="$dbmax" 'BEGIN { g = (e - w) * 100 / w; printf "RSS MB over the run %s; at half time %.0f MB, at the end %.0f MB (%+.1f%%, limit +%s%%); database + WAL up to %s MB", c, w/1024, e/1024, g, p, d; exit (g > p) }') || failed=1
    echo "   soak: $soak_note" >&2
    cp "$rss_file" "$work/soak-rss.txt"
  fi
}

for c in $CONNS; do run_case "$c" "$DURATION" mix; done
soak_note=""
if ((SOAK > 0)); then run_case "$SOAK_CONNS" "$SOAK" soak; fi

db_mb=$(awk -v b="$(stat -c %s "$work/load.db")" 'BEGIN { printf "%.1f", b / 1048576 }')
table=$(
  echo "Load test (bench/load/run.sh): scale $SCALE demo ($summary), $([[ ${TJ_WRITES:-} == 0 ]] && echo "read-only mix (TJ_WRITES=0)" || echo "80% reads / 20% visit writes") from $(tr ';' '\n' <<<"$users" | wc -l) users, wrk $THREADS threads, $(nproc) CPUs (load average $loadavg before the run: the machine is shared), $(date -u +%Y-%m-%dT%H:%MZ); database after the run $db_mb MB."
  echo
  echo "| run | connections | seconds | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | errors + timeouts | server RSS MB (start → max → end) |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  printf '%s\n' "${rows[@]}"
  if [[ -n $soak_note ]]; then echo; echo "Soak: $soak_note."; fi
  true
)
echo
echo "$table"

if [[ ${APPEND:-0} == 1 ]]; then
  doc="$root/docs/performance.md"
  [[ -f $doc ]] || printf '# Performance\n' >"$doc"
  block=$(printf '%s\n\n' "$table")
  if ! grep -q '^## Load' "$doc"; then
    printf '\n## Load\n\nFigures appended by `bench/load/run.sh` (APPEND=1), newest last. A run fails on any error or timeout, and the soak on RSS growing more than 15%% from half time (when SQLite'"'"'s page caches are warm) to the end.\n' >>"$doc"
  fi
  # insert at the end of the "## Load" section (before the next "## " heading, or at the end)
  awk -v block="$block" '
    /^## / { if (inload) { print "\n" block "\n"; inload = 0; done = 1 } if ($0 == "## Load") inload = 1 }
    { print }
    END { if (inload && !done) print "\n" block }' "$doc" >"$doc.tmp" && mv "$doc.tmp" "$doc"
  echo "appended to $doc" >&2
fi
exit $failed
