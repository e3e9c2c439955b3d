#!/usr/bin/env bash
# Sourced by scripts/test.sh (and usable on its own): makes sure Debian's PostgreSQL server is
# installed and runs a private, throw-away cluster for the test suite on 127.0.0.1, then exports
# TIANPING_TEST_POSTGRES (a server URL; each spec creates its own database on it).
#   bash scripts/postgres.sh start|stop|status
set -euo pipefail

PG_PORT="${TIANPING_PG_PORT:-55432}"
PG_DIR="${TIANPING_PG_DIR:-/tmp/tianping-pg-$PG_PORT}"
PG_USER=tianping

pg_log() { printf '\033[1;34m[tianping]\033[0m %s\n' "$*" >&2; }

pg_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
  [[ -n "$dir" ]] && echo "$dir"
}

# initdb refuses to run as root: as root, the cluster belongs to Debian's postgres user.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ensure_postgres_package() {
  [[ -n "$(pg_bin)" ]] && return
  pg_log "installing Debian's PostgreSQL server"
  if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq >&2
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2
}

start_test_postgres() {
  ensure_postgres_package
  local bin
  bin="$(pg_bin)"
  if [[ ! -f "$PG_DIR/PG_VERSION" ]]; then
    pg_log "creating a throw-away PostgreSQL cluster in $PG_DIR (port $PG_PORT)"
    mkdir -p "$PG_DIR"
    [[ $(id -u) -eq 0 ]] && chown postgres: "$PG_DIR"
    as_owner "$bin/initdb" -D "$PG_DIR/data" -U "$PG_USER" --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    touch "$PG_DIR/PG_VERSION"
  fi
  if ! as_owner "$bin/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; then
    pg_log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    # fsync and synchronous_commit stay on: the service refuses to start without them.
    as_owner "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PG_DIR -c max_connections=300" >/dev/null
  fi
  export TIANPING_TEST_POSTGRES="postgres://$PG_USER@127.0.0.1:$PG_PORT"
}

stop_test_postgres() {
  local bin
  bin="$(pg_bin)" || return 0
  [[ -d "$PG_DIR/data" ]] && as_owner "$bin/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  case "${1:-start}" in
    start) start_test_postgres; echo "$TIANPING_TEST_POSTGRES" ;;
    stop) stop_test_postgres ;;
    status) as_owner "$(pg_bin)/pg_ctl" -D "$PG_DIR/data" status ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
  esac
fi
