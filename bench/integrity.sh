#!/usr/bin/env bash
# bench/integrity.sh - how fast `kansatsu baseline` records a tree and
# `kansatsu verify --packages` checks the installed packages, next to the
# tools that do the same today.
#
#   bench/integrity.sh [--path DIR] [--packages all|NAME...] [--runs N]
#
# With a warm page cache (the tree and the packages' files are read once
# first), times, best of N runs (default 1) each:
#   kansatsu baseline --config C --db DB      (C: DIR with every attribute)
#   aide --init                               (DIR with SHA-256 and the same
#                                              attributes: p ftype i n u g s
#                                              m c l xattrs caps; AIDE's
#                                              defaults otherwise)
#   find DIR -xdev -type f | xargs sha256sum  (hashing alone)
#   kansatsu verify --packages [NAME...]
#   dpkg --verify [NAME...]
# and prints two lines with the ratios (how many times faster kansatsu is):
#   baseline: kansatsu T s, aide --init T s (ratio R, target 3), sha256sum T s (ratio R)
#   packages: kansatsu T s, dpkg --verify T s (ratio R, target 1)
# A peer that is not installed is skipped with a message.  It fails (exit
# 1) when kansatsu does not record every regular file find lists.
#
# Environment: KANSATSU, the binary (default build/kansatsu of this tree).

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
path=/usr
packages=()
runs=1

usage() {
	echo "usage: bench/integrity.sh [--path DIR] [--packages all|NAME...] [--runs N]" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--path) [ $# -ge 2 ] || usage; path=$2; shift 2 ;;
	--runs) [ $# -ge 2 ] || usage; runs=$2; shift 2 ;;
	--packages)
		shift
		while [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; do
			[ "$1" = all ] || packages+=("$1")
			shift
		done
		;;
	-h | --help) usage ;;
	*) usage ;;
	esac
done
case $runs in '' | *[!0-9]*) usage ;; esac
[ "$runs" -gt 0 ] || usage
[ -d "$path" ] || { echo "bench/integrity.sh: $path is not a directory" >&2; exit 2; }
path=$(cd "$path" && pwd -P)

KANSATSU=${KANSATSU:-$root/build/kansatsu}
if [ ! -x "$KANSATSU" ]; then
	echo "bench/integrity.sh: $KANSATSU is not an executable (build first, or set KANSATSU)" >&2
	exit 2
fi
name=bench/integrity.sh
# shellcheck source=bench/lib.sh
. "$here/lib.sh"

# time_best VAR CMD...: the best of $runs runs of CMD (output to files).
time_best() {
	local var=$1 best='' t0 t1 rc
	shift
	for _ in $(seq "$runs"); do
		rc=0
		t0=$(now)
		"$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
		t1=$(now)
		# 1 is "findings" for kansatsu and "differences" for dpkg
		if [ "$rc" -gt 1 ]; then
			echo "$name: $* exited $rc:" >&2
			head -n 20 "$tmp/err" >&2
			exit 1
		fi
		best=$(min "$best" "$(elapsed "$t0" "$t1")")
	done
	printf -v "$var" '%s' "$best"
}

ratio() { "$AWK" -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

# ---- baseline ------------------------------------------------------------
attrs='type mode uid gid size mtime ctime inode links target device xattrs caps sha256'
printf 'group bench = %s\n%s bench\n' "$attrs" "$path" >"$tmp/kansatsu.conf"
find "$path" -xdev -type f -print0 | xargs -0 cat >/dev/null 2>&1 || true
files=$(find "$path" -xdev -type f | wc -l)
bytes=$(find "$path" -xdev -type f -printf '%s\n' | "$AWK" '{ s += $1 } END { print s + 0 }')

time_best t_k "$KANSATSU" baseline --config "$tmp/kansatsu.conf" \
	--db "$tmp/k.db" --no-progress
got=$(sed -n 's/.* files (\([0-9]*\) regular.*/\1/p' "$tmp/out")
if [ "$got" != "$files" ]; then
	echo "$name: kansatsu recorded $got regular files, find lists $files" >&2
	cat "$tmp/out" >&2
	exit 1
fi
line="baseline of $path ($files files, $(ratio "$bytes" 1000000) MB): kansatsu $t_k s"

if command -v aide >/dev/null 2>&1; then
	cat >"$tmp/aide.conf" <<EOF
database_out=file:$tmp/aide.db
gzip_dbout=no
report_url=file:$tmp/aide.report
Bench = p+ftype+i+n+u+g+s+m+c+l+xattrs+caps+sha256
$path Bench
EOF
	time_best t_a aide --init --config "$tmp/aide.conf"
	line="$line, aide --init $t_a s (ratio $(ratio "$t_a" "$t_k"), target 3)"
else
	echo "$name: aide is not installed: not compared with aide --init"
fi
sha() { find "$path" -xdev -type f -print0 | xargs -0 sha256sum; }
time_best t_s sha
line="$line, find | xargs sha256sum $t_s s (ratio $(ratio "$t_s" "$t_k"))"
echo "$line"

# ---- packages --------------------------------------------------------------
if ! command -v dpkg >/dev/null 2>&1; then
	echo "$name: dpkg is not installed: not compared with dpkg --verify"
	exit 0
fi
for p in "${packages[@]}"; do
	if ! dpkg-query -W "$p" >/dev/null 2>&1; then
		echo "$name: package $p is not installed: packages not compared"
		exit 0
	fi
done
dpkg --verify "${packages[@]}" >"$tmp/warm" 2>&1 || true
time_best t_kp "$KANSATSU" verify --packages --no-progress --format jsonl \
	"${packages[@]}"
time_best t_d dpkg --verify "${packages[@]}"
echo "packages (${packages[*]:-all}): kansatsu verify --packages $t_kp s," \
	"dpkg --verify $t_d s (ratio $(ratio "$t_d" "$t_kp"), target 1)"
