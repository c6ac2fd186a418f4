#!/usr/bin/env bash
# bench/host.sh - how long a full host triage takes, next to the peers an
# admin would otherwise run, chkrootkit and rkhunter (both from Debian),
# and to one `find -perm` SUID search as the yardstick of "walking the
# file system at all".
#
#   bench/host.sh [--root DIR] [--runs N] [--no-peers]
#
# Times, on this machine (or the tree at DIR):
#   kansatsu host --no-progress -q [--root DIR]      best of N (default 3)
#   find ROOT -xdev -perm /6000 -type f              best of N
#   chkrootkit -q [-r DIR]                           once (it takes minutes)
#   rkhunter --check --sk --nocolors                 once; live only
# and prints one line:
#   host: kansatsu K s, find -perm F s (ratio F/K), chkrootkit C s (ratio
#   C/K), rkhunter R s (ratio R/K); target under 5 s and faster than both: met
# A peer that is not installed (or cannot run under --root) is skipped
# with a message.  Timed output goes to files.  Exit 1 when kansatsu
# fails (exit status above 1); the target is reported, not enforced, as
# machines differ.
#
# Environment: KANSATSU, the binary (default build/kansatsu of this tree).

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root_dir=$(cd "$here/.." && pwd)
runs=3
peers=1
target=''

usage() {
	echo "usage: bench/host.sh [--root DIR] [--runs N] [--no-peers]" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--root) [ $# -ge 2 ] || usage; target=$2; shift 2 ;;
	--runs) [ $# -ge 2 ] || usage; runs=$2; shift 2 ;;
	--no-peers) peers=0; shift ;;
	*) usage ;;
	esac
done
case $runs in
'' | *[!0-9]*) usage ;;
esac
[ "$runs" -gt 0 ] || usage

KANSATSU=${KANSATSU:-$root_dir/build/kansatsu}
if [ ! -x "$KANSATSU" ]; then
	echo "bench/host.sh: $KANSATSU is not an executable (build first, or set KANSATSU)" >&2
	exit 2
fi
name=bench/host.sh
# shellcheck source=bench/lib.sh
. "$here/lib.sh"

walk=${target:-/}
kargs=(host --no-progress -q)
[ -n "$target" ] && kargs+=(--root "$target")

# time_best N OUT CMD...: the best of N runs of CMD (output to OUT) into
# t_best, the exit status of the last one into t_rc.
time_best() {
	local n=$1 out=$2 t0 t1
	shift 2
	t_best=''
	for _ in $(seq "$n"); do
		t_rc=0
		t0=$(now)
		"${pin[@]}" "$@" >"$out" 2>"$out.err" || t_rc=$?
		t1=$(now)
		t_best=$(min "$t_best" "$(elapsed "$t0" "$t1")")
	done
}

ratio() { "$AWK" -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

time_best "$runs" "$tmp/kansatsu" "$KANSATSU" "${kargs[@]}"
tk=$t_best
if [ "$t_rc" -gt 1 ]; then
	echo "bench/host.sh: kansatsu exited $t_rc:" >&2
	head -n 20 "$tmp/kansatsu.err" >&2
	exit 1
fi
time_best "$runs" "$tmp/find" find "$walk" -xdev -perm /6000 -type f
tf=$t_best
line=$(printf 'host: kansatsu %.2f s, find -perm %.2f s (ratio %s)' "$tk" "$tf" \
    "$(ratio "$tf" "$tk")")

met=yes
"$AWK" -v t="$tk" 'BEGIN { exit !(t < 5) }' || met=no
peer() {
	local label=$1 t
	shift
	time_best 1 "$tmp/peer" "$@"
	t=$t_best
	line="$line, $label $(printf '%.2f' "$t") s (ratio $(ratio "$t" "$tk"))"
	"$AWK" -v t="$tk" -v p="$t" 'BEGIN { exit !(t < p) }' || met=no
}
if [ "$peers" -eq 1 ] && command -v chkrootkit >/dev/null 2>&1; then
	if [ -n "$target" ]; then peer "chkrootkit -q" chkrootkit -q -r "$target"
	else peer "chkrootkit -q" chkrootkit -q; fi
else
	echo "bench/host.sh: chkrootkit skipped (not installed, or --no-peers)" >&2
	met=no
fi
if [ "$peers" -eq 1 ] && [ -z "$target" ] && command -v rkhunter >/dev/null 2>&1; then
	peer "rkhunter --check --sk" rkhunter --check --sk --nocolors
else
	echo "bench/host.sh: rkhunter skipped (not installed, --root, or --no-peers)" >&2
	met=no
fi
if [ "$met" = yes ]; then
	echo "$line; target under 5 s and faster than both: met"
else
	echo "$line; target under 5 s and faster than both: not met or not measured"
fi
