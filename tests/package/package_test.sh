#!/usr/bin/env bash
# The Debian package as an operator installs it (issue 16): build it, check its contents and
# control data, unpack it into a clean directory tree, run the installed binary against a
# fresh database with the packaged config file (environment overriding it), check /healthz
# and /readyz, refuse a config with an unknown key, and check the systemd units with
# systemd-analyze verify. Prints "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
pass=0; fail=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
no() { echo "not ok - $*"; fail=$((fail + 1)); }
check() { local what="$1"; shift; if "$@"; then ok "$what"; else no "$what"; fi; }

bash scripts/package.sh >/tmp/tiejun-package.log 2>&1 || { cat /tmp/tiejun-package.log; echo "0 passed, 1 failed"; exit 1; }
DEB="$(ls -t build/package/tiejun_*_amd64.deb | head -1)"
check "package file is named tiejun_VERSION_amd64.deb" test -f "$DEB"
VERSION="$(build/release/tiejun --version | awk '{print $2}')"
check "package version is the binary's ($VERSION)" test "$(basename "$DEB")" = "tiejun_${VERSION}_amd64.deb"
INFO="$(dpkg-deb -I "$DEB")"
check "control: Package tiejun" grep -q "^ Package: tiejun" <<<"$INFO"
check "control: depends on the shared libraries it links (libsqlite3, libpq, libsodium)" \
  bash -c 'grep "^ Depends:" <<<"$1" | grep -q libsqlite3 && grep "^ Depends:" <<<"$1" | grep -q libpq5 && grep "^ Depends:" <<<"$1" | grep -q libsodium' _ "$INFO"
for f in postinst prerm postrm conffiles; do check "control: $f" grep -q " $f" <<<"$INFO"; done
LIST="$(dpkg-deb -c "$DEB")"
for f in ./usr/bin/tiejun ./usr/lib/systemd/system/tiejun.service ./usr/lib/systemd/system/tiejun-backup.timer \
         ./etc/tiejun/tiejun.conf ./usr/share/doc/tiejun/README.md ./usr/share/man/man1/tiejun.1.gz; do
  check "contains $f" grep -q " $f\$" <<<"$LIST"
done

T="$(mktemp -d)"
SERVER_PID=""
cleanup() { [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
dpkg-deb -x "$DEB" "$T/root"
BIN="$T/root/usr/bin/tiejun"
check "installed binary runs (--version)" "$BIN" --version
check "installed binary's man page names the serve options" bash -c 'zcat "$1" | grep -q -- "--config"' _ "$T/root/usr/share/man/man1/tiejun.1.gz"

# A fresh database, as `sudo -u tiejun tiejun init` makes it on a server.
echo "package-test-pw-1" >"$T/pw"
check "init a fresh database" "$BIN" init --db "sqlite:$T/data.db" --org "测试公司" --admin admin --password-file "$T/pw"

# The packaged config file, with the environment overriding db and listen.
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
TIEJUN_DB="sqlite:$T/data.db" TIEJUN_LISTEN="127.0.0.1:$PORT" "$BIN" serve --config "$T/root/etc/tiejun/tiejun.conf" \
  >"$T/serve.log" 2>&1 &
SERVER_PID=$!
up=0
for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then up=1; break; fi
  sleep 0.1
done
check "serve with the packaged config answers /healthz" test $up = 1
check "/readyz is 200 with the schema current" bash -c 'curl -fsS "http://127.0.0.1:$1/readyz" | grep -q "\"status\":\"ready\""' _ "$PORT"
check "the admin logs in on the installed server" bash -c \
  'curl -fsS -H "Content-Type: application/json" -d "{\"username\":\"admin\",\"password\":\"package-test-pw-1\"}" "http://127.0.0.1:$1/api/v1/session" | grep -q csrf_token' _ "$PORT"
check "the environment overrode the file's db and listen" grep -q "serving sqlite:$T/data.db at http://127.0.0.1:$PORT/" "$T/serve.log"
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=""

# The file's values apply where neither the command line nor the environment set them.
PORT2="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
printf 'db = "sqlite:%s"\nlisten = "127.0.0.1:%s"\nworkers = 2\n' "$T/data.db" "$PORT2" >"$T/own.conf"
"$BIN" serve --config "$T/own.conf" >"$T/serve2.log" 2>&1 &
SERVER_PID=$!
up=0
for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$PORT2/readyz" >/dev/null 2>&1; then up=1; break; fi
  sleep 0.1
done
check "serve listens where the config file says" test $up = 1
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=""

printf 'listen = "127.0.0.1:1"\nlisten-everywhere = true\n' >"$T/bad.conf"
"$BIN" serve --config "$T/bad.conf" --db "sqlite:$T/data.db" >"$T/bad.log" 2>&1
rc=$?
check "an unknown key is refused (exit 2) and named" bash -c '[[ $1 == 2 ]] && grep -q "listen-everywhere" "$2"' _ "$rc" "$T/bad.log"
printf 'workers = 100000\n' >"$T/bad2.conf"
"$BIN" serve --config "$T/bad2.conf" --db "sqlite:$T/data.db" --listen 127.0.0.1:1 >"$T/bad2.log" 2>&1
rc=$?
check "a value out of range is refused (exit 2) and named" bash -c '[[ $1 == 2 ]] && grep -q "workers" "$2"' _ "$rc" "$T/bad2.log"

# The units as systemd reads them (ExecStart pointed at the unpacked binary, since nothing is installed).
mkdir -p "$T/units"
for u in tiejun.service tiejun-backup.service tiejun-backup.timer; do
  sed "s#/usr/bin/tiejun#$BIN#g" "$T/root/usr/lib/systemd/system/$u" >"$T/units/$u"
done
if command -v systemd-analyze >/dev/null; then
  out="$(cd "$T/units" && SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no ./tiejun.service ./tiejun-backup.service ./tiejun-backup.timer 2>&1)"
  # Only the service user is unknown on a build machine (the package's postinst creates it).
  rest="$(grep -v -e "Failed to resolve user" -e "User.*not found" -e "^$" <<<"$out" || true)"
  check "systemd-analyze verify finds nothing wrong with the units" test -z "$rest"
  [[ -n $rest ]] && echo "$rest"
  check "the service is hardened (NoNewPrivileges, ProtectSystem=strict, its own user)" bash -c \
    'grep -q "^NoNewPrivileges=yes" "$1" && grep -q "^ProtectSystem=strict" "$1" && grep -q "^User=tiejun" "$1" && grep -q "^StateDirectory=tiejun" "$1"' _ "$T/units/tiejun.service"
else
  no "systemd-analyze is missing (scripts/deps.sh installs systemd)"
fi

echo "$pass passed, $fail failed"
[[ $fail == 0 ]]
