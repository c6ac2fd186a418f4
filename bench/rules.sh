#!/usr/bin/env bash
# bench/rules.sh - how fast `kansatsu logs` runs detection with every
# bundled rule, next to grep (reading the file at all), sshguard's parser
# and fail2ban-regex with fail2ban's sshd filter (the tools an
# administrator would otherwise point at the same logs).
#
#   bench/rules.sh [--lines N] [--peers-lines M]
#
# Generates the realistic mixed syslog file of bench/logs.sh
# (bench/gen-syslog.awk, N lines, default 2000000) in a temporary
# directory, warms the page cache, then times, output always to a file:
#   kansatsu logs -q --format jsonl --tz +09:00 --no-progress FILE  best of 3
#   LC_ALL=C grep -c 'Failed password' FILE                      best of 3
#   /usr/libexec/sshguard/sshg-parser < FILE                     best of 3
#   fail2ban-regex --print-no-missed --print-no-ignored \
#       FILE /etc/fail2ban/filter.d/sshd.conf                    one run
# fail2ban-regex reads ~2 MB/s, so it runs once, on the first M lines of
# the file with --peers-lines M (default: the whole file); its MB/s is
# over the bytes it read.  Every command runs pinned to one CPU
# (taskset -c 0) when taskset works.  It prints one line:
#   rules: kansatsu R MB/s (RSS S MB), grep R MB/s, sshguard R MB/s
#   (RSS S MB), fail2ban-regex R MB/s (RSS S MB); kansatsu/grep R,
#   kansatsu/sshguard R, kansatsu/fail2ban R (file S MB, N lines)
# and one line of what each matched.  MB = 10^6 bytes; peak RSS comes
# from GNU time (/usr/bin/time, Debian package time) and is left out
# without it.  A peer that is not installed is named on a line of its own
# and left out; the script installs nothing.
#
# It fails (exit 1) unless kansatsu exits 0 or 1 (1: findings) and prints
# at least one finding, every line a JSON object with a "rule" (checked
# with jq when jq is there, else by shape).
#
# Environment: KANSATSU, the binary (default build/kansatsu of this tree);
# AWK, the awk to generate with (default mawk, else awk); SSHG_PARSER,
# sshguard's parser (default: the one package sshguard installs);
# F2B_FILTER, the fail2ban filter (default /etc/fail2ban/filter.d/sshd.conf).

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
lines=2000000
peers_lines=
runs=3

usage() {
	echo "usage: bench/rules.sh [--lines N] [--peers-lines M]" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--lines) [ $# -ge 2 ] || usage; lines=$2; shift 2 ;;
	--lines=*) lines=${1#--lines=}; shift ;;
	--peers-lines) [ $# -ge 2 ] || usage; peers_lines=$2; shift 2 ;;
	--peers-lines=*) peers_lines=${1#--peers-lines=}; shift ;;
	-h | --help) usage ;;
	*) usage ;;
	esac
done
case $lines in
'' | *[!0-9]*) usage ;;
esac
[ "$lines" -gt 0 ] || usage
if [ -n "$peers_lines" ]; then
	case $peers_lines in
	*[!0-9]*) usage ;;
	esac
	[ "$peers_lines" -gt 0 ] || usage
fi

KANSATSU=${KANSATSU:-$root/build/kansatsu}
if [ ! -x "$KANSATSU" ]; then
	echo "bench/rules.sh: $KANSATSU is not an executable (build first, or set KANSATSU)" >&2
	exit 2
fi
gtime=
if [ -x /usr/bin/time ] && /usr/bin/time -f '%M' -o /dev/null true 2>/dev/null; then
	gtime=/usr/bin/time
fi

# The peers: sshguard's parser where package sshguard put it, and
# fail2ban-regex with fail2ban's own sshd filter.
sshg=${SSHG_PARSER:-}
if [ -z "$sshg" ]; then
	sshg=/usr/libexec/sshguard/sshg-parser
	if [ ! -x "$sshg" ] && command -v dpkg >/dev/null 2>&1; then
		sshg=$(dpkg -L sshguard 2>/dev/null | grep '/sshg-parser$' | head -n 1) || sshg=
	fi
fi
[ -n "$sshg" ] && [ -x "$sshg" ] || sshg=
f2b=
f2b_filter=${F2B_FILTER:-/etc/fail2ban/filter.d/sshd.conf}
if command -v fail2ban-regex >/dev/null 2>&1 && [ -r "$f2b_filter" ]; then
	f2b=$(command -v fail2ban-regex)
fi

name=bench/rules.sh
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
generate "$lines"

# fail2ban-regex reads the first --peers-lines lines only.
f2b_log=$log
f2b_lines=$lines
if [ -n "$f2b" ] && [ -n "$peers_lines" ] && [ "$peers_lines" -lt "$lines" ]; then
	f2b_log=$tmp/syslog.head
	head -n "$peers_lines" "$log" >"$f2b_log"
	f2b_lines=$peers_lines
fi
f2b_bytes=$(wc -c <"$f2b_log")

# max A B: the larger of two RSS figures in KB ("" counts as none).
max() {
	if [ -z "$1" ]; then echo "$2"; elif [ -z "$2" ]; then echo "$1"; else
		"$AWK" -v a="$1" -v b="$2" 'BEGIN { print (b > a ? b : a) }'
	fi
}

# timed NAME OUT ERR CMD...: runs CMD (stdin from the caller) with stdout
# to OUT and stderr to ERR, pinned; sets secs, rss (KB, "" without GNU
# time) and rc.
timed() {
	local name=$1 out=$2 err=$3 t0 t1
	shift 3
	rc=0
	rss=
	if [ -n "$gtime" ]; then
		t0=$(now)
		"$gtime" -f '%M' -o "$tmp/$name.rss" "${pin[@]}" "$@" >"$out" 2>"$err" || rc=$?
		t1=$(now)
		rss=$(tail -n 1 "$tmp/$name.rss")
		case $rss in '' | *[!0-9]*) rss= ;; esac
	else
		t0=$(now)
		"${pin[@]}" "$@" >"$out" 2>"$err" || rc=$?
		t1=$(now)
	fi
	secs=$(elapsed "$t0" "$t1")
}

# Warm the page cache so that every command reads from memory.
cat "$log" "$f2b_log" >/dev/null

best_k='' best_g='' best_s='' rss_k='' rss_s=''
for _ in $(seq "$runs"); do
	timed kansatsu "$tmp/out.k" "$tmp/err.k" \
		"$KANSATSU" logs -q --format jsonl --tz +09:00 --no-progress "$log" </dev/null
	# 1 is "findings at or above --fail-on": a run that worked.
	if [ "$rc" -gt 1 ]; then
		echo "bench/rules.sh: kansatsu exited $rc:" >&2
		head -n 20 "$tmp/err.k" >&2
		exit 1
	fi
	best_k=$(min "$best_k" "$secs")
	rss_k=$(max "$rss_k" "$rss")

	# Timed output always goes to a file: GNU grep stops at the first
	# match when its output is /dev/null.
	timed grep "$tmp/out.g" "$tmp/err.g" \
		env LC_ALL=C grep -c 'Failed password' "$log" </dev/null
	best_g=$(min "$best_g" "$secs")

	if [ -n "$sshg" ]; then
		timed sshguard "$tmp/out.s" "$tmp/err.s" "$sshg" <"$log"
		if [ "$rc" -ne 0 ]; then
			echo "bench/rules.sh: $sshg exited $rc:" >&2
			head -n 20 "$tmp/err.s" >&2
			exit 1
		fi
		best_s=$(min "$best_s" "$secs")
		rss_s=$(max "$rss_s" "$rss")
	fi
done

t_f='' rss_f=''
if [ -n "$f2b" ]; then
	timed fail2ban "$tmp/out.f" "$tmp/err.f" \
		"$f2b" --print-no-missed --print-no-ignored "$f2b_log" "$f2b_filter" </dev/null
	if [ "$rc" -ne 0 ] || ! grep -q '^Lines: ' "$tmp/out.f"; then
		echo "bench/rules.sh: fail2ban-regex exited $rc:" >&2
		head -n 20 "$tmp/err.f" >&2
		exit 1
	fi
	t_f=$secs
	rss_f=$rss
fi

# kansatsu must have run the rules and written findings as JSON Lines.
nk=$(wc -l <"$tmp/out.k")
if [ "$nk" -eq 0 ]; then
	echo "bench/rules.sh: kansatsu reported no finding on $lines generated lines" >&2
	exit 1
fi
events_k=
if command -v jq >/dev/null 2>&1; then
	if ! events_k=$(jq -n -e 'reduce inputs as $f (0;
		if ($f | type) == "object" and ($f | has("rule"))
		then . + ($f.count // 1) else error("not a finding: \($f)") end)' \
		<"$tmp/out.k" 2>"$tmp/err.jq"); then
		echo "bench/rules.sh: kansatsu's output is not JSON Lines of findings:" >&2
		head -c 400 "$tmp/err.jq" >&2
		exit 1
	fi
elif grep -qv '^{"rule":.*}$' "$tmp/out.k"; then
	echo "bench/rules.sh: kansatsu's output is not JSON Lines of findings:" >&2
	grep -v '^{"rule":.*}$' "$tmp/out.k" | head -n 3 >&2
	exit 1
fi

[ -n "$sshg" ] || echo "rules: sshguard not installed (apt-get install sshguard)"
[ -n "$f2b" ] || echo "rules: fail2ban not installed (apt-get install fail2ban)"

"$AWK" -v bytes="$bytes" -v fbytes="$f2b_bytes" -v n="$lines" \
	-v tk="$best_k" -v tg="$best_g" -v ts="$best_s" -v tf="$t_f" \
	-v rk="$rss_k" -v rs="$rss_s" -v rf="$rss_f" '
# num X: 2-3 significant figures.
function num(x) {
	if (x >= 100) return sprintf("%.0f", x)
	if (x >= 1) return sprintf("%.1f", x)
	return sprintf("%.2f", x)
}
function rate(b, t) { if (t <= 0) t = 1e-6; return b / 1e6 / t }
function rss(kb, mb) {
	if (kb == "") return ""
	mb = kb * 1024 / 1e6
	return " (RSS " sprintf(mb >= 10 ? "%.0f" : "%.1f", mb) " MB)"
}
BEGIN {
	k = rate(bytes, tk); g = rate(bytes, tg)
	line = "rules: kansatsu " num(k) " MB/s" rss(rk) ", grep " num(g) " MB/s"
	ratios = "kansatsu/grep " num(k / g)
	if (ts != "") {
		s = rate(bytes, ts)
		line = line ", sshguard " num(s) " MB/s" rss(rs)
		ratios = ratios ", kansatsu/sshguard " num(k / s)
	}
	if (tf != "") {
		f = rate(fbytes, tf)
		line = line ", fail2ban-regex " num(f) " MB/s" rss(rf)
		ratios = ratios ", kansatsu/fail2ban " num(k / f)
	}
	printf "%s; %s (file %.1f MB, %d lines)\n", line, ratios, bytes / 1e6, n
}'

# What each one matched, for a look at coverage (not a check).
counts="rules: matched: kansatsu $nk findings"
[ -z "$events_k" ] || counts="$counts of $events_k lines"
counts="$counts, grep $(tr -d '[:space:]' <"$tmp/out.g") lines"
[ -z "$sshg" ] || counts="$counts, sshguard $(wc -l <"$tmp/out.s") attacks"
if [ -n "$f2b" ]; then
	m=$(sed -n 's/^Lines: .* \([0-9][0-9]*\) matched.*/\1/p' "$tmp/out.f" | head -n 1)
	counts="$counts, fail2ban-regex ${m:-?} lines matched of $f2b_lines"
fi
echo "$counts"
