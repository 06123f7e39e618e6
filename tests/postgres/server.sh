#!/bin/sh
# Run a command beside a throw-away PostgreSQL server.
#
#   tests/postgres/server.sh <command> [args...]
#
# initdb into a fresh temporary folder (as the `postgres` user when run as
# root, since the server refuses to run as root), listen on a unix socket in
# that folder only (no TCP), create an unprivileged role and database for the
# tests, export SB_TEST_PG (a libpq URI) to the command, then stop the server
# and remove the folder, whatever the command's outcome. If the server cannot
# start, say why and fail: the PostgreSQL half of the suite never silently skips.
set -eu

fail() {
  echo "postgres-server: $*" >&2
  exit 1
}

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bindir" ] && [ -x "$bindir/initdb" ] ||
  fail "no PostgreSQL server binaries under /usr/lib/postgresql (Debian package postgresql)"
[ $# -gt 0 ] || fail "usage: $0 <command> [args...]"

dir=$(mktemp -d /tmp/sb-pg-XXXXXX)
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || fail "running as root needs the 'postgres' user (Debian package postgresql creates it)"
  chown postgres "$dir"
  as_server() { runuser -u postgres -- "$@"; }
else
  as_server() { "$@"; }
fi

stop() {
  as_server "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT TERM

as_server "$bindir/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C --no-sync \
  >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; fail "initdb failed"; }
# fsync off: the server and its data die with this run.
if ! as_server "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
     -o "-c listen_addresses='' -k $dir -p 5432 -c fsync=off -c full_page_writes=off -c max_connections=200" \
     start >/dev/null; then
  cat "$dir/server.log" >&2 || true
  fail "the PostgreSQL server did not start"
fi
"$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p 5432 -U postgres -d postgres \
  -c "CREATE ROLE switchboard LOGIN" -c "CREATE DATABASE switchboard OWNER switchboard" >/dev/null ||
  fail "could not create the test role and database"

export SB_TEST_PG="postgresql:///switchboard?host=$dir&port=5432&user=switchboard"
export SB_TEST_PG_ADMIN="postgresql:///switchboard?host=$dir&port=5432&user=postgres"
echo "postgres-server: PostgreSQL $("$bindir/postgres" -V | awk '{print $3}') on $dir"
status=0
"$@" || status=$?
exit $status
