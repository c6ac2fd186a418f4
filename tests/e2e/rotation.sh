#!/usr/bin/env bash
#
# rotation.sh - end-to-end test of reading rotated log sets oldest first.
#
# A directory holds one rotated set, each file compressed differently,
# each holding the lines of one day (17..20 January) so that the only
# correct reading order is oldest file first: messages.10.zst, messages.9,
# messages.3.gz, messages.2.xz, messages.1, messages (".10" is older than
# ".9": numbers compare as numbers).  Beside it are files that are not
# logs (prose, a binary wtmp) and a second set rotated with logrotate's
# dateext.  kansatsu reads the directory, then the same files named on
# the command line in a scrambled order, and both times the events must
# come out in time order, file by file, oldest file first, every line of
# every file exactly once.
#
# Environment: KANSATSU (the binary), KS_TESTDATA (tests/data; unused, the
# files are made here so that the compressed ones need no binary fixtures).

set -euo pipefail

: "${KANSATSU:?set KANSATSU to the kansatsu binary}"
: "${KS_TESTDATA:?set KS_TESTDATA to tests/data}"

fail() {
	printf 'rotation.sh: FAIL: %s\n' "$*" >&2
	exit 1
}

for tool in jq gzip xz zstd; do
	command -v "$tool" >/dev/null || fail "$tool not found"
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dir=$tmp/logs
mkdir "$dir" "$dir/sub"

# day N's lines: two sshd lines at 10:00 and 10:30.
day() {
	printf 'Jan %d 10:00:00 h sshd[1]: Accepted password for root from 192.0.2.%d port 22 ssh2\n' "$1" "$1"
	printf 'Jan %d 10:30:00 h sshd[1]: session closed for user root day %d\n' "$1" "$1"
}

day 15 | zstd -q -o "$dir/messages.10.zst"
day 16 >"$dir/messages.9"
day 17 | gzip -n >"$dir/messages.3.gz"
day 18 | xz >"$dir/messages.2.xz"
day 19 >"$dir/messages.1"
day 20 >"$dir/messages"
# not logs: never read
printf 'Notes on the incident.\nNothing here is a log line.\n' >"$dir/notes.txt"
printf '\x07\x00\x00\x00\x01\x02binary\x00\x00\n' >"$dir/wtmp"
# a dateext set in a subdirectory, also scrambled by name order
day 21 >"$dir/sub/secure"
day 19 | gzip -n >"$dir/sub/secure-20030119.gz"
day 20 >"$dir/sub/secure-20030120"

order=(messages.10.zst messages.9 messages.3.gz messages.2.xz messages.1
    messages)
sub_order=(secure-20030119.gz secure-20030120 secure)

# Runs kansatsu with ARGS, checks its events against the expected files
# (as "path" lines in $want) and the expected first day.
check() {
	local what=$1 want=$2 first_day=$3
	shift 3
	local out=$tmp/out.json got

	"$KANSATSU" logs --events --tz UTC --year 2003 --no-progress "$@" \
	    >"$out" 2>"$tmp/err" || fail "$what: kansatsu exited $?: $(cat "$tmp/err")"

	jq -e . "$out" >/dev/null || fail "$what: output is not JSON lines"

	# the files, in reading order, each once and in full
	got=$(jq -r '.log.file.path' "$out" | uniq)
	[ "$got" = "$(cat "$want")" ] ||
	    fail "$what: files read in the wrong order:"$'\n'"$got"$'\n'"want:"$'\n'"$(cat "$want")"
	jq -s -e 'group_by(.log.file.path) | all(map(.log.file.line) == [1, 2])' \
	    "$out" >/dev/null || fail "$what: not every line of every file exactly once"

	# time never goes backwards, and it is the year and zone asked for
	jq -s -e '[.[]."@timestamp"] as $t | ($t | length) > 0 and $t == ($t | sort)' \
	    "$out" >/dev/null || fail "$what: @timestamp goes backwards"
	got=$(jq -r '."@timestamp"' "$out" | head -n 1)
	[ "$got" = "2003-01-${first_day}T10:00:00+00:00" ] ||
	    fail "$what: first @timestamp is $got"
	got=$(jq -s -r 'map(."@timestamp") | unique | length' "$out")
	[ "$got" = "$(($(wc -l <"$want") * 2))" ] ||
	    fail "$what: $got distinct times"
}

# 1. the directory: the messages set, then sub/ (name order), each set
# oldest first; notes.txt and wtmp are not read.
printf '%s\n' "${order[@]/#/$dir/}" "${sub_order[@]/#/$dir/sub/}" \
    >"$tmp/want-dir"
# The two sets overlap in time (days 19-21), so time is checked to be
# monotone within each set; the order of files over the whole run.
"$KANSATSU" logs --events --tz UTC --year 2003 --no-progress "$dir" \
    >"$tmp/dir.json" 2>"$tmp/err" || fail "directory: kansatsu exited $?: $(cat "$tmp/err")"
got=$(jq -r '.log.file.path' "$tmp/dir.json" | uniq)
[ "$got" = "$(cat "$tmp/want-dir")" ] ||
    fail "directory: files read in the wrong order:"$'\n'"$got"
jq -s -e --arg d "$dir/" \
    '[.[] | select(.log.file.path | startswith($d + "messages")) | ."@timestamp"] as $t
     | ($t | length) == 12 and $t == ($t | sort)' \
    "$tmp/dir.json" >/dev/null || fail "directory: messages set out of time order"
jq -s -e --arg d "$dir/sub/" \
    '[.[] | select(.log.file.path | startswith($d)) | ."@timestamp"] as $t
     | ($t | length) == 6 and $t == ($t | sort)' \
    "$tmp/dir.json" >/dev/null || fail "directory: secure set out of time order"
[ "$(jq -s length "$tmp/dir.json")" = 18 ] || fail "directory: not 18 events"

# 2. the messages set alone (its directory's other files moved away).
mkdir "$tmp/only"
for f in "${order[@]}"; do
	cp "$dir/$f" "$tmp/only/"
done
printf '%s\n' "${order[@]/#/$tmp/only/}" >"$tmp/want-only"
check "directory, one set" "$tmp/want-only" 15 "$tmp/only"

# 3. the same files named on the command line, scrambled.
check "scrambled files" "$tmp/want-only" 15 \
    "$tmp/only/messages.1" "$tmp/only/messages" "$tmp/only/messages.10.zst" \
    "$tmp/only/messages.3.gz" "$tmp/only/messages.9" "$tmp/only/messages.2.xz"

# 4. two sets named file by file, interleaved: each set at the place of
# its first file, oldest first.
printf '%s\n' "$dir/sub/secure-20030119.gz" "$dir/sub/secure-20030120" \
    "$dir/sub/secure" "$tmp/only/messages.3.gz" "$tmp/only/messages.1" \
    "$tmp/only/messages" >"$tmp/want-two"
"$KANSATSU" logs --events --tz UTC --year 2003 --no-progress \
    "$dir/sub/secure" "$tmp/only/messages" "$dir/sub/secure-20030119.gz" \
    "$tmp/only/messages.1" "$dir/sub/secure-20030120" \
    "$tmp/only/messages.3.gz" >"$tmp/two.json" 2>"$tmp/err" ||
    fail "two sets: kansatsu exited $?: $(cat "$tmp/err")"
got=$(jq -r '.log.file.path' "$tmp/two.json" | uniq)
[ "$got" = "$(cat "$tmp/want-two")" ] ||
    fail "two sets: files read in the wrong order:"$'\n'"$got"

echo "rotation.sh: ok"
