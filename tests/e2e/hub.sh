#!/usr/bin/env bash
# hub.sh - `kansatsu hub` end to end on SQLite (the suite in hub_suite.sh;
# hub-pg.sh runs the same on PostgreSQL), and the default database: a
# file under $XDG_DATA_HOME/kansatsu, created 0600.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hub_suite.sh"

fresh_db() { printf '%s/%s.db\n' "$tmp" "$1"; }

run_hub_suite

export XDG_DATA_HOME=$tmp/xdg
"$KANSATSU" hub ingest "$data/seed004/bsite.json" >/dev/null
expect_eq "default database, private" \
    "$(stat -c '%a' "$tmp/xdg/kansatsu/hub.db") $(stat -c '%a' "$tmp/xdg/kansatsu")" \
    "600 700"
done_ok
