# shellcheck shell=bash
# shellcheck disable=SC2034,SC2154  # sets and reads the sourcing script's variables
# bench/lib.sh - what the benchmarks share: the awk to generate with,
# pinning to one CPU, the generated log in a temporary directory removed on
# exit, and the clock arithmetic.  Sourced by bench/*.sh, which set `here`
# (their directory) and `name` (for messages) first.

if [ -z "${AWK:-}" ]; then
	if command -v mawk >/dev/null 2>&1; then AWK='mawk'; else AWK='awk'; fi
fi

pin=()
if command -v taskset >/dev/null 2>&1 && taskset -c 0 true 2>/dev/null; then
	pin=(taskset -c 0)
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kansatsu-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# generate N: the mixed syslog file of N lines, as $log of $bytes bytes.
generate() {
	local got
	log=$tmp/syslog
	"$AWK" -v lines="$1" -v seed=1 -f "$here/gen-syslog.awk" >"$log"
	got=$(wc -l <"$log")
	if [ "$got" -ne "$1" ]; then
		echo "$name: generated $got lines, wanted $1" >&2
		exit 1
	fi
	bytes=$(wc -c <"$log")
}

now() { date +%s.%N; }
# elapsed START END: seconds between two `now` stamps.
elapsed() { "$AWK" -v a="$1" -v b="$2" 'BEGIN { printf "%.6f\n", b - a }'; }
# min A B: the smaller of two durations ("" counts as infinite).
min() {
	if [ -z "$1" ]; then echo "$2"; else
		"$AWK" -v a="$1" -v b="$2" 'BEGIN { print (b < a ? b : a) }'
	fi
}
