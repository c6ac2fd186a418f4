#!/usr/bin/env bash
# hub-pg.sh - the hub suite (hub_suite.sh) against a real PostgreSQL
# server that this test starts itself: initdb into a temporary
# directory, a server listening only on a Unix socket in that directory
# (no TCP, so no port can clash), one database per part of the suite,
# and the server stopped and removed at the end.  PostgreSQL refuses to
# run as root, so as root the server runs as nobody, owning its files.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hub_suite.sh"

pgbin=${PG_BIN:-/usr/lib/postgresql/15/bin}
[ -x "$pgbin/initdb" ] || fail "no PostgreSQL server in $pgbin (package postgresql)"
command -v psql >/dev/null || fail "no psql (package postgresql-client)"

pgdir=$(mktemp -d /tmp/kansatsu-pg.XXXXXX)
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
	chown nobody "$pgdir"
	as_pg=(runuser -u nobody --)
fi
chmod 755 "$pgdir"
port=$((20000 + RANDOM % 20000))

stop_pg() {
	"${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate stop \
	    >/dev/null 2>&1 || true
	rm -rf "$pgdir" "$tmp"
}
trap stop_pg EXIT

"${as_pg[@]}" "$pgbin/initdb" -D "$pgdir/data" -U hub -A trust -E UTF8 \
    --locale=C.UTF-8 --no-sync >"$pgdir/initdb.log" 2>&1 ||
	{ cat "$pgdir/initdb.log" >&2; fail "initdb failed"; }
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w \
    -o "-k $pgdir -p $port -c listen_addresses='' -c fsync=off" start \
    >/dev/null || { cat "$pgdir/server.log" >&2; fail "the server did not start"; }

fresh_db() {
	psql -q -h "$pgdir" -p "$port" -U hub -d postgres \
	    -c "CREATE DATABASE $1" >/dev/null || fail "createdb $1"
	printf 'postgresql:///%s?host=%s&port=%s&user=hub\n' "$1" "$pgdir" "$port"
}

run_hub_suite

db=$(fresh_db version)
hub reports >/dev/null
expect_eq "migrations recorded" "$(psql -At -h "$pgdir" -p "$port" -U hub \
    -d version -c 'SELECT string_agg(version::text, $$ $$ ORDER BY version) FROM schema_version')" \
    "1 2 3"
done_ok
