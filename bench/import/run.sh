#!/usr/bin/env bash
# Import benchmark: generates million-row customer lists (bench/import/gen_companies.py)
# and times `tiejun import companies FILE` into a fresh SQLite database:
#   companies   one row per company, company columns only (89 MB CSV)
#   contacts    one row per company with one contact each (161 MB CSV)
# then checks the counts and that search finds imported rows.
# Usage: bench/import/run.sh [ROWS]   (default 1000000)
#   TIEJUN_BIN  the binary (default build/release/tiejun)
#   WORK        scratch directory (default build/bench-import; files are reused)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS="${1:-1000000}"
BIN="${TIEJUN_BIN:-build/release/tiejun}"
WORK="${WORK:-build/bench-import}"
mkdir -p "$WORK"
[[ -x $BIN ]] || { echo "no binary at $BIN (TIEJUN_BIN)" >&2; exit 1; }
printf 'Bench-pw-%s\n' "$RANDOM$RANDOM" >"$WORK/pw"
gen() {  # name, extra generator options
  local f="$WORK/$1-$ROWS.csv"
  [[ -s $f ]] || python3 bench/import/gen_companies.py --rows "$ROWS" --out "$f" --encoding utf-8 --owners bench \
    --bad-every 0 --dup-every 0 --second-every 0 --no-blank "${@:2}"
  echo "$f"
}
echo "| file | rows | size | wall s | user s | sys s | max RSS MB | load avg before |"
echo "|---|---|---|---|---|---|---|---|"
for variant in ${VARIANTS:-companies contacts}; do
  if [[ $variant == companies ]]; then f=$(gen companies --no-contacts); else f=$(gen contacts); fi
  db="$WORK/bench-$variant.db"
  rm -f "$db" "$db-wal" "$db-shm"
  "$BIN" init --db "sqlite:$db" --org Bench --admin bench --password-file "$WORK/pw" >/dev/null 2>&1
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$BIN" import companies "$f" --db "sqlite:$db" >"$WORK/out-$variant" 2>/dev/null || {
    echo "import failed:" >&2; cat "$WORK/out-$variant" >&2; exit 1; }
  read -r wall user sys rss <"$WORK/time"
  n=$(sqlite3 "$db" "SELECT COUNT(*) FROM companies")
  [[ $n == "$ROWS" ]] || { echo "expected $ROWS companies, found $n" >&2; exit 1; }
  hit=$(sqlite3 "$db" "SELECT COUNT(*) FROM company_fts WHERE company_fts MATCH '\"科技有限公司\"'")
  [[ $hit -gt 0 ]] || { echo "search finds nothing" >&2; exit 1; }
  echo "| $variant | $ROWS | $(( $(stat -c %s "$f") / 1048576 )) MB | $wall | $user | $sys | $(( rss / 1024 )) | $load |"
  rm -f "$db" "$db-wal" "$db-shm"
done
