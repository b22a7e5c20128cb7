#!/usr/bin/env bash
# A throwaway PostgreSQL server for the class board's tests, on 127.0.0.1 only.
#
# Usage (from .ci/run, as root on a fresh Debian machine):
#     export PLAYGROUND_TEST_PG="$(bash .ci/pg.sh)"      # start (or reuse) it; stdout is only the URL
#     bash .ci/pg.sh stop                                 # stop it (optional: the machine goes away anyway)
#
# Installs Debian's `postgresql` package when no server binaries are there, then runs its own cluster
# (not Debian's 15/main) in $PLAYGROUND_PG_DIR (default /var/tmp/playground-pg) on the first free port
# from 55432: user `playground`, password `playground`, database `playground_test`, password auth over
# TCP. PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` system user.
# Everything but the URL goes to stderr. Running it again while the server is up just prints the URL.
set -euo pipefail

DIR="${PLAYGROUND_PG_DIR:-/var/tmp/playground-pg}"
USER_NAME=playground PASSWORD=playground DB_NAME=playground_test
log() { echo "pg.sh: $*" >&2; }

pg_bindir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n | tail -n 1
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install_if_missing() {
  if [ -n "$(pg_bindir)" ] && [ -x "$(pg_bindir)/initdb" ]; then
    return
  fi
  log "installing Debian's postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2
  apt-get install -y -q postgresql >&2
}

port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

url() {
  echo "postgresql+psycopg://$USER_NAME:$PASSWORD@127.0.0.1:$(cat "$DIR/port")/$DB_NAME"
}

start() {
  install_if_missing
  local bin; bin="$(pg_bindir)"
  if [ -f "$DIR/port" ] && as_owner "$bin/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
    log "already running on port $(cat "$DIR/port")"
    url
    return
  fi
  rm -rf "$DIR"
  mkdir -p "$DIR"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$DIR"; fi
  local port=55432
  while port_busy "$port"; do port=$((port + 1)); done
  as_owner sh -c "echo $port > '$DIR/port'"
  log "initdb in $DIR/data ($("$bin/postgres" --version))"
  as_owner "$bin/initdb" -D "$DIR/data" -U postgres -E UTF8 --auth-local=trust --auth-host=scram-sha-256 >&2
  as_owner "$bin/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $DIR -c max_connections=200" start >&2
  as_owner "$bin/psql" -h "$DIR" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q >&2 <<SQL
CREATE ROLE $USER_NAME LOGIN PASSWORD '$PASSWORD';
CREATE DATABASE $DB_NAME OWNER $USER_NAME;
SQL
  log "up on 127.0.0.1:$port"
  url
}

stop() {
  local bin; bin="$(pg_bindir)"
  if [ -n "$bin" ] && [ -d "$DIR/data" ]; then
    as_owner "$bin/pg_ctl" -D "$DIR/data" -m fast -w stop >&2 || true
  fi
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) log "usage: bash .ci/pg.sh [start|stop]"; exit 2 ;;
esac
