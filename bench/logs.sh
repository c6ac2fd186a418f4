#!/usr/bin/env bash
# bench/logs.sh - how fast `kansatsu logs` frames a syslog file, next to
# `grep -c` over the same file as the yardstick of "reading it at all".
#
#   bench/logs.sh [--lines N]          (default 2000000)
#
# Generates a realistic mixed syslog file (bench/gen-syslog.awk) in a
# temporary directory, warms the page cache, then times, best of 3 each:
#   kansatsu logs --events --count --tz +09:00 --no-progress -q FILE
#   LC_ALL=C grep -c sshd FILE
# and prints one line:
#   logs: kansatsu R MB/s, grep -c R MB/s, ratio R (file S MB, N lines)
# (MB = 10^6 bytes).  kansatsu runs pinned to one CPU (taskset -c 0) when
# taskset works.  It fails (exit 1) unless kansatsu frames every generated
# line: the count it prints must equal N.
#
# Environment: KANSATSU, the binary (default build/kansatsu of this tree);
# AWK, the awk to generate with (default mawk, else awk).

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
lines=2000000
runs=3

usage() {
	echo "usage: bench/logs.sh [--lines N]" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--lines) [ $# -ge 2 ] || usage; lines=$2; shift 2 ;;
	--lines=*) lines=${1#--lines=}; shift ;;
	-h | --help) usage ;;
	*) usage ;;
	esac
done
case $lines in
'' | *[!0-9]*) usage ;;
esac
[ "$lines" -gt 0 ] || usage

KANSATSU=${KANSATSU:-$root/build/kansatsu}
if [ ! -x "$KANSATSU" ]; then
	echo "bench/logs.sh: $KANSATSU is not an executable (build first, or set KANSATSU)" >&2
	exit 2
fi
name=bench/logs.sh
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
generate "$lines"


# Warm the page cache so that both commands read from memory.
cat "$log" >/dev/null

best_k='' best_g=''
for _ in $(seq "$runs"); do
	# Timed output always goes to a file: GNU grep stops at the first
	# match when its output is /dev/null.
	rc=0
	t0=$(now)
	"${pin[@]}" "$KANSATSU" logs --events --count --tz +09:00 --no-progress -q \
		"$log" >"$tmp/out1" 2>"$tmp/err1" || rc=$?
	t1=$(now)
	# 1 is "findings at or above --fail-on": a run that worked.
	if [ "$rc" -gt 1 ]; then
		echo "bench/logs.sh: kansatsu exited $rc:" >&2
		head -n 20 "$tmp/err1" >&2
		exit 1
	fi
	best_k=$(min "$best_k" "$(elapsed "$t0" "$t1")")

	t0=$(now)
	LC_ALL=C "${pin[@]}" grep -c sshd "$log" >"$tmp/out2" || true
	t1=$(now)
	best_g=$(min "$best_g" "$(elapsed "$t0" "$t1")")
done

count=$(tr -d '[:space:]' <"$tmp/out1")
case $count in
'' | *[!0-9]*)
	echo "bench/logs.sh: kansatsu printed no count: $(head -c 200 "$tmp/out1")" >&2
	exit 1 ;;
esac

"$AWK" -v bytes="$bytes" -v tk="$best_k" -v tg="$best_g" -v n="$lines" 'BEGIN {
	mb = bytes / 1e6
	if (tk <= 0) tk = 1e-6
	if (tg <= 0) tg = 1e-6
	k = mb / tk; g = mb / tg
	printf "logs: kansatsu %.1f MB/s, grep -c %.1f MB/s, ratio %.2f (file %.1f MB, %d lines)\n",
	    k, g, k / g, mb, n
}'

if [ "$count" -ne "$lines" ]; then
	echo "bench/logs.sh: kansatsu framed $count events of $lines lines" >&2
	"$KANSATSU" logs --show-unparsed --count --tz +09:00 --no-progress -q \
		"$log" 2>&1 >/dev/null | head -n 10 >&2 || true
	exit 1
fi
