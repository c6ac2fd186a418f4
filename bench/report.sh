#!/usr/bin/env bash
# bench/report.sh - how fast `kansatsu report` turns findings into the
# report model and writes it, next to `jq -c .` over the same file as the
# yardstick of "parsing and printing that JSON at all".
#
#   bench/report.sh [--findings N]     (default 50000)
#
# Generates N findings (bench/gen-findings.awk: six rules, one source in
# ten repeated, twenty hosts, three evidence lines each) in a temporary
# directory, then times, best of 3 each:
#   kansatsu report -q --no-evidence-hash --format json FILE
#   jq -c . FILE
# and prints one line:
#   report: kansatsu R findings/s, jq R findings/s, ratio R (N findings, S MB)
# It fails (exit 1) unless the report holds every finding.
#
# Environment: KANSATSU, the binary (default build/kansatsu of this tree);
# AWK, the awk to generate with (default mawk, else awk).

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
findings=50000
runs=3

usage() {
	echo "usage: bench/report.sh [--findings N]" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--findings) [ $# -ge 2 ] || usage; findings=$2; shift 2 ;;
	--findings=*) findings=${1#--findings=}; shift ;;
	-h | --help) usage ;;
	*) usage ;;
	esac
done
case $findings in
'' | *[!0-9]*) usage ;;
esac
[ "$findings" -gt 0 ] && [ "$findings" -le 100000 ] || usage

KANSATSU=${KANSATSU:-$root/build/kansatsu}
if [ ! -x "$KANSATSU" ]; then
	echo "bench/report.sh: $KANSATSU is not an executable (build first, or set KANSATSU)" >&2
	exit 2
fi
name=bench/report.sh
# shellcheck source=bench/lib.sh
. "$here/lib.sh"

in=$tmp/findings.jsonl
"$AWK" -v n="$findings" -f "$here/gen-findings.awk" >"$in"
bytes=$(wc -c <"$in")
cat "$in" >/dev/null

jq=
command -v jq >/dev/null 2>&1 && jq=jq
[ -n "$jq" ] || echo "bench/report.sh: jq not found: no yardstick, kansatsu alone" >&2

best_k='' best_j=''
for _ in $(seq "$runs"); do
	t0=$(now)
	"${pin[@]}" "$KANSATSU" report -q --no-evidence-hash --format json \
		"$in" >"$tmp/out1" 2>"$tmp/err1" || {
		echo "bench/report.sh: kansatsu failed:" >&2
		head -n 20 "$tmp/err1" >&2
		exit 1
	}
	t1=$(now)
	best_k=$(min "$best_k" "$(elapsed "$t0" "$t1")")
	if [ -n "$jq" ]; then
		t0=$(now)
		"${pin[@]}" jq -c . "$in" >"$tmp/out2"
		t1=$(now)
		best_j=$(min "$best_j" "$(elapsed "$t0" "$t1")")
	fi
done

if [ -n "$jq" ]; then
	got=$(jq '.findings | length' "$tmp/out1")
	if [ "$got" -ne "$findings" ]; then
		echo "bench/report.sh: the report holds $got findings, wanted $findings" >&2
		exit 1
	fi
	"$AWK" -v n="$findings" -v k="$best_k" -v j="$best_j" -v b="$bytes" 'BEGIN {
		printf "report: kansatsu %.0f findings/s, jq %.0f findings/s, ratio %.2f (%d findings, %.1f MB)\n",
		    n / k, n / j, j / k, n, b / 1e6 }'
else
	"$AWK" -v n="$findings" -v k="$best_k" -v b="$bytes" 'BEGIN {
		printf "report: kansatsu %.0f findings/s (%d findings, %.1f MB)\n", n / k, n, b / 1e6 }'
fi
