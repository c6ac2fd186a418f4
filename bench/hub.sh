#!/usr/bin/env bash
# bench/hub.sh - how fast `kansatsu hub` stores findings, and how fast it
# answers `hub related` with a million indicators stored.
#
#   bench/hub.sh [--findings N] [--files F]   (default 500000 findings in
#                                              10 files: ~1M indicators)
#
# Generates findings JSONL (each finding a distinct source address and
# host name: three indicators with its network) and times, into a fresh
# SQLite database:
#   kansatsu hub ingest --reporter P FILE...     (one transaction a file,
#                                                 prepared statements, the
#                                                 next file parsed by a
#                                                 second thread: not pinned)
# next to the yardstick of SQLite's own bulk loader storing the same
# values (sqlite3 .import of a CSV into an indexed table; skipped with a
# message when sqlite3 is missing).  Then it adds the seed 004 reports
# and times, best of 5 runs of the whole process each:
#   kansatsu hub related 192.168.100.1     (an address)
#   kansatsu hub related REPORT            (seed 004's site B)
# and prints (CPU: user + system time of the process, which the other
# work on a shared machine does not inflate):
#   hub: ingest R findings/s (R per CPU second) (N findings, F files),
#   sqlite3 .import R rows/s, ratio R; related address T ms (C ms CPU),
#   report T ms (C ms CPU), I indicators
# Targets: ingest >= 50000 findings/s, related < 50 ms.  Fails (exit 1)
# when the hub stores fewer findings than generated or links wrongly.
#
# Environment: KANSATSU, the binary (default build/kansatsu of this tree);
# AWK, the awk to generate with (default mawk, else awk).

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
findings=500000
nfiles=10

usage() {
	echo "usage: bench/hub.sh [--findings N] [--files F]" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--findings) [ $# -ge 2 ] || usage; findings=$2; shift 2 ;;
	--files) [ $# -ge 2 ] || usage; nfiles=$2; shift 2 ;;
	-h | --help) usage ;;
	*) usage ;;
	esac
done
case $findings$nfiles in
'' | *[!0-9]*) usage ;;
esac
[ "$findings" -gt 0 ] && [ "$nfiles" -gt 0 ] || usage

KANSATSU=${KANSATSU:-$root/build/kansatsu}
if [ ! -x "$KANSATSU" ]; then
	echo "bench/hub.sh: $KANSATSU is not an executable (build first, or set KANSATSU)" >&2
	exit 2
fi
name=bench/hub.sh
# shellcheck source=bench/lib.sh
. "$here/lib.sh"

per=$(( (findings + nfiles - 1) / nfiles ))
printf 'site: bench\ncontact:\n  email: sec@bench.example\ntlp: GREEN\n' \
    >"$tmp/bench.yml"
# addresses from 11.0.0.0 up: public, not warninglisted, distinct
"$AWK" -v n="$findings" -v per="$per" -v dir="$tmp" 'BEGIN {
	for (i = 0; i < n; i++) {
		if (i % per == 0) {
			if (out != "")
				close(out)
			out = sprintf("%s/f%04d.jsonl", dir, i / per)
		}
		a = 11 + int(i / 16777216); b = int(i / 65536) % 256
		c = int(i / 256) % 256; d = i % 256
		printf "{\"rule\":\"ssh-password-guessing\",\"title\":\"Password guessing over ssh\",\"classification\":{\"taxonomy\":\"intrusion-attempts\",\"type\":\"brute-force\"},\"severity\":\"medium\",\"outcome\":\"attempt\",\"host\":{\"name\":\"gw\"},\"source\":{\"ip\":\"%d.%d.%d.%d\",\"domain\":\"h%d.bench.example\"},\"first_seen\":\"2026-01-10T10:00:00+09:00\",\"last_seen\":\"2026-01-10T10:05:00+09:00\",\"count\":12,\"evidence\":[{\"path\":\"/var/log/auth.log\",\"line\":%d,\"text\":\"Failed password for root from %d.%d.%d.%d port 4711 ssh2\"}]}\n", a, b, c, d, i, i + 1, a, b, c, d > out
		printf "%d,%d.%d.%d.%d,h%d.bench.example\n", int(i / per), a, b, c, d, i > (dir "/rows.csv")
	}
}'
cat "$tmp"/f*.jsonl >/dev/null

db=$tmp/hub.db
# bash's time gives the CPU seconds (user + system) too: on a machine
# shared with other work the wall clock says more about the neighbours
TIMEFORMAT='%3U %3S'
# timed OUT ERR CMD...: runs CMD, sets $wall and $cpu (seconds)
timed() {
	local out=$1 err=$2 t0 t1 rc=0
	shift 2
	t0=$(now)
	{ time "$@" >"$out" 2>"$err"; } 2>"$tmp/cpu" || rc=$?
	t1=$(now)
	wall=$(elapsed "$t0" "$t1")
	cpu=$("$AWK" '{ print $1 + $2 }' "$tmp/cpu")
	return "$rc"
}
# not pinned: ingest reads the next file in a second thread while it
# stores the last one, and is made to use two cores
timed "$tmp/ingest.out" "$tmp/ingest.err" "$KANSATSU" hub \
    --db "$db" ingest --reporter "$tmp/bench.yml" "$tmp"/f*.jsonl ||
	{ cat "$tmp/ingest.err" >&2; exit 1; }
t_hub=$wall
cpu_rate=$("$AWK" -v n="$findings" -v c="$cpu" 'BEGIN {
	if (c > 0) printf " (%d per CPU second)", n / c }')
stored=$("$AWK" '{ sub(/.*\(findings, /, ""); s += $1 } END { print s + 0 }' \
    "$tmp/ingest.out")
if [ "$stored" -ne "$findings" ]; then
	echo "$name: the hub stored $stored findings of $findings" >&2
	exit 1
fi
rate_hub=$("$AWK" -v n="$findings" -v t="$t_hub" 'BEGIN { printf "%d", n / t }')

base="sqlite3 .import skipped (no sqlite3)"
indicators="?"
if command -v sqlite3 >/dev/null 2>&1; then
	t0=$(now)
	"${pin[@]}" sqlite3 "$tmp/base.db" "PRAGMA journal_mode=WAL;" \
	    "CREATE TABLE r(report INTEGER, ip TEXT, domain TEXT);" \
	    "CREATE INDEX r_ip ON r(ip); CREATE INDEX r_domain ON r(domain);" \
	    ".mode csv" ".import $tmp/rows.csv r" >"$tmp/base.out"
	t1=$(now)
	t_base=$(elapsed "$t0" "$t1")
	rate_base=$("$AWK" -v n="$findings" -v t="$t_base" 'BEGIN { printf "%d", n / t }')
	ratio=$("$AWK" -v a="$rate_hub" -v b="$rate_base" 'BEGIN { printf "%.2f", a / b }')
	base="sqlite3 .import $rate_base rows/s, ratio $ratio"
	indicators=$(sqlite3 "$db" "SELECT COUNT(*) FROM indicators")
fi

"$KANSATSU" hub --db "$db" ingest "$root/tests/data/hub/seed004/asite.json" \
    "$root/tests/data/hub/seed004/bsite.json" >"$tmp/seed.out"
report=$(sed -n 's/.*bsite.json: report \([0-9]*\) .*/\1/p' "$tmp/seed.out")

# best of 5 runs of `hub related ARG`: "WALL ms (CPU ms CPU)"
related_ms() {
	local best='' bestcpu=''
	for _ in 1 2 3 4 5; do
		timed "$tmp/rel.out" "$tmp/rel.err" "${pin[@]}" "$KANSATSU" hub \
		    --db "$db" related "$1" || { cat "$tmp/rel.err" >&2; exit 1; }
		best=$(min "$best" "$wall")
		bestcpu=$(min "$bestcpu" "$cpu")
	done
	"$AWK" -v t="$best" -v c="$bestcpu" \
	    'BEGIN { printf "%.1f ms (%.1f ms CPU)", t * 1000, c * 1000 }'
}
ms_addr=$(related_ms 192.168.100.1)
grep -q 'stepping-stone' "$tmp/rel.out" ||
	{ echo "$name: related 192.168.100.1 lost the stepping stone" >&2; exit 1; }
ms_report=$(related_ms "$report")
grep -q "asite  stepping-stone" "$tmp/rel.out" ||
	{ echo "$name: related $report lost the stepping stone" >&2; exit 1; }

echo "hub: ingest $rate_hub findings/s$cpu_rate ($findings findings, $nfiles files), $base;" \
    "related address $ms_addr, report $ms_report, $indicators indicators" \
    "(targets: >= 50000 findings/s, < 50 ms)"
