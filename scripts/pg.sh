#!/usr/bin/env bash
# A throwaway PostgreSQL 15 for the test suites: a primary and (unless
# TIEJUN_PG_NO_REPLICA=1) a hot standby made with pg_basebackup -R, in a
# temporary folder, on free loopback ports, trust authentication on 127.0.0.1
# only. Run as root, the servers run as the system user tiejun-pg (created
# when missing).
#
#   eval "$(bash scripts/pg.sh start)"   # prints export lines:
#       TIEJUN_TEST_PG=postgresql://tiejun@127.0.0.1:PORT/postgres  (a server URL; tests create databases)
#       TIEJUN_TEST_PG_REPLICA=postgresql://tiejun@127.0.0.1:PORT2/postgres  (the standby)
#       PGHOST PGPORT PGUSER TIEJUN_PG_DIR
#   bash scripts/pg.sh stop              # stops both and removes the folder
#   bash scripts/pg.sh status
#
# start is idempotent: with TIEJUN_PG_DIR naming a running cluster it prints
# the same lines again. stop reads TIEJUN_PG_DIR, else the state file
# (TIEJUN_PG_STATE, default build/.pg-state). Ports: TIEJUN_PG_PORTS=LO-HI
# (default 20000-29999, tried from a random start). PG_BIN: the server binaries.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
STATE="${TIEJUN_PG_STATE:-$ROOT/build/.pg-state}"
RUN_USER=tiejun-pg
DB_USER=tiejun

log() { echo "pg.sh: $*" >&2; }
die() { log "$*"; exit 1; }

as_owner() {  # runs a server binary as the owner of the cluster
  if [[ $(id -u) == 0 ]]; then runuser -u "$RUN_USER" -- "$@"; else "$@"; fi
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pick_port() {  # $1: a port not to use
  local range="${TIEJUN_PG_PORTS:-20000-29999}" lo hi n p i
  lo="${range%-*}"; hi="${range#*-}"; n=$((hi - lo + 1))
  p=$((lo + RANDOM % n))
  for ((i = 0; i < n; i++)); do
    if [[ $p != "${1:-}" ]] && port_free "$p"; then echo "$p"; return 0; fi
    p=$((p + 1)); ((p > hi)) && p=$lo
  done
  die "no free port in $range"
}

print_exports() {  # $1 dir
  local d="$1" port rport=""
  port="$(cat "$d/port")"
  [[ -f "$d/replica_port" ]] && rport="$(cat "$d/replica_port")"
  echo "export TIEJUN_TEST_PG=postgresql://$DB_USER@127.0.0.1:$port/postgres"
  if [[ -n $rport ]]; then
    echo "export TIEJUN_TEST_PG_REPLICA=postgresql://$DB_USER@127.0.0.1:$rport/postgres"
  else
    echo "unset TIEJUN_TEST_PG_REPLICA"
  fi
  echo "export PGHOST=127.0.0.1 PGPORT=$port PGUSER=$DB_USER PGDATABASE=postgres"
  echo "export TIEJUN_PG_DIR=$d"
}

running() {  # $1 data dir
  [[ -d "$1" ]] && as_owner "$PG_BIN/pg_ctl" -D "$1" status >/dev/null 2>&1
}

configure() {  # $1 data dir, $2 port
  cat >>"$1/postgresql.conf" <<EOF
# tiejun test cluster (scripts/pg.sh)
listen_addresses = '127.0.0.1'
port = $2
unix_socket_directories = '$(dirname "$1")'
max_connections = 300
fsync = off
synchronous_commit = off
wal_level = replica
max_wal_senders = 5
hot_standby = on
wal_keep_size = 256MB
logging_collector = off
EOF
}

start() {
  if [[ -n ${TIEJUN_PG_DIR:-} ]] && running "$TIEJUN_PG_DIR/data"; then
    print_exports "$TIEJUN_PG_DIR"
    return 0
  fi
  [[ -x "$PG_BIN/initdb" ]] || die "PostgreSQL 15 server binaries not found in $PG_BIN (install postgresql-15: bash scripts/deps.sh)"
  if [[ $(id -u) == 0 ]] && ! id "$RUN_USER" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$RUN_USER" >&2 \
      || die "cannot create user $RUN_USER"
  fi
  local d port locale=C
  d="$(mktemp -d "${TMPDIR:-/tmp}/tiejun-pg.XXXXXX")"
  chmod 755 "$d"
  [[ $(id -u) == 0 ]] && chown "$RUN_USER" "$d"
  # A UTF-8 ctype lets pg_trgm index Chinese characters; collation stays byte order.
  locale -a 2>/dev/null | grep -qix 'c.utf-\?8' && locale=C.UTF-8
  as_owner "$PG_BIN/initdb" -D "$d/data" -U "$DB_USER" --auth=trust --encoding=UTF8 --locale="$locale" -N >"$d/initdb.log" 2>&1 \
    || { cat "$d/initdb.log" >&2; rm -rf "$d"; die "initdb failed"; }
  port="$(pick_port)"
  configure "$d/data" "$port"
  cat >"$d/data/pg_hba.conf" <<EOF
local all all trust
host all all 127.0.0.1/32 trust
local replication all trust
host replication all 127.0.0.1/32 trust
EOF
  echo "$port" >"$d/port"
  as_owner "$PG_BIN/pg_ctl" -D "$d/data" -l "$d/primary.log" -w -t 60 start >/dev/null \
    || { cat "$d/primary.log" >&2; rm -rf "$d"; die "the primary did not start"; }
  { mkdir -p "$(dirname "$STATE")" && echo "$d" >"$STATE"; } 2>/dev/null || log "cannot write the state file $STATE (stop needs TIEJUN_PG_DIR)"
  if [[ ${TIEJUN_PG_NO_REPLICA:-0} != 1 ]]; then
    local rport
    rport="$(pick_port "$port")"
    if as_owner "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$port" -U "$DB_USER" -D "$d/standby" -R -X stream -c fast \
        >"$d/basebackup.log" 2>&1; then
      echo "port = $rport" >>"$d/standby/postgresql.auto.conf"
      if as_owner "$PG_BIN/pg_ctl" -D "$d/standby" -l "$d/standby.log" -w -t 60 start >/dev/null; then
        echo "$rport" >"$d/replica_port"
      else
        log "the standby did not start (see $d/standby.log); continuing without it"
      fi
    else
      log "pg_basebackup failed (see $d/basebackup.log); continuing without a standby"
    fi
  fi
  log "PostgreSQL 15 primary on 127.0.0.1:$port$([[ -f $d/replica_port ]] && echo ", hot standby on 127.0.0.1:$(cat "$d/replica_port")") in $d"
  print_exports "$d"
}

stop() {
  local d="${TIEJUN_PG_DIR:-}"
  [[ -z $d && -f $STATE ]] && d="$(cat "$STATE")"
  [[ -z $d ]] && { log "nothing to stop"; return 0; }
  for sub in standby data; do
    if running "$d/$sub"; then as_owner "$PG_BIN/pg_ctl" -D "$d/$sub" -m immediate -w -t 30 stop >/dev/null 2>&1 || true; fi
  done
  case "$d" in */tiejun-pg.*) rm -rf "$d" ;; *) log "not removing $d (not a pg.sh folder)" ;; esac
  if [[ -f $STATE && "$(cat "$STATE")" == "$d" ]]; then rm -f "$STATE"; fi
  log "stopped $d"
}

status() {
  local d="${TIEJUN_PG_DIR:-}"
  [[ -z $d && -f $STATE ]] && d="$(cat "$STATE")"
  if [[ -n $d ]] && running "$d/data"; then print_exports "$d"; else log "not running"; return 1; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
