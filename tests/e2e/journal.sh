#!/usr/bin/env bash
#
# journal.sh - end-to-end test of reading a directory of journal files.
#
# A real journal file is made from journal export format by
# systemd-journal-remote (a declared test dependency, installed by the
# setup script: the test fails, never skips, without it).  The text entries
# are in $KS_TESTDATA/journal/entries.export; the entries that need raw
# bytes (a binary MESSAGE, a message longer than the 64 KiB cut) are built
# here.  Then kansatsu reads the directory and every field of the events
# is checked exactly: the time is the entry's own stamp shown in another
# zone, names and PIDs come from the trusted and syslog fields with their
# fallbacks, hostile bytes come out escaped, and a directory that does not
# exist or holds no journal is an error.
#
# Environment: KANSATSU (the binary), KS_TESTDATA (tests/data).

set -euo pipefail

: "${KANSATSU:?set KANSATSU to the kansatsu binary}"
: "${KS_TESTDATA:?set KS_TESTDATA to tests/data}"

fail() {
	printf 'journal.sh: FAIL: %s\n' "$*" >&2
	exit 1
}

remote=
for c in /lib/systemd/systemd-journal-remote \
    /usr/lib/systemd/systemd-journal-remote; do
	if [ -x "$c" ]; then
		remote=$c
		break
	fi
done
[ -n "$remote" ] || fail "systemd-journal-remote not found in /lib/systemd" \
    "or /usr/lib/systemd (Debian package systemd-journal-remote)"
command -v jq >/dev/null || fail "jq not found"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# le64 N: N as 8 bytes, little endian.
le64() {
	local v=$1 i hex
	for ((i = 0; i < 8; i++)); do
		printf -v hex '\\x%02x' $((v & 255))
		printf '%b' "$hex"
		v=$((v >> 8))
	done
}

# binfield NAME ESCAPED: a field in export format's binary form: the name,
# a newline, the value's length as 64-bit little endian, the value (given
# with printf %b escapes, so it may hold NUL), a newline.
binfield() {
	printf '%b' "$2" >"$tmp/value"
	printf '%s\n' "$1"
	le64 "$(stat -c %s "$tmp/value")"
	cat "$tmp/value"
	printf '\n'
}

boot=_BOOT_ID=4b6f1b2a9c3d4e5f8a7b6c5d4e3f2a1b
{
	cat "$KS_TESTDATA/journal/entries.export"

	# 2003-01-20T04:29:07Z: MESSAGE with ESC sequences, NUL and 0xff.
	printf '%s\n' __REALTIME_TIMESTAMP=1043036947000000 \
	    __MONOTONIC_TIMESTAMP=8000000 "$boot" _HOSTNAME=school \
	    SYSLOG_IDENTIFIER=evil _PID=666
	binfield MESSAGE 'A\x1b[31mred\x1b[0m\x00nul\xffend'
	printf '\n'

	# 2003-01-20T04:29:08Z: a 70000-byte MESSAGE, cut to 64 KiB.
	printf '%s\n' __REALTIME_TIMESTAMP=1043036948000000 \
	    __MONOTONIC_TIMESTAMP=9000000 "$boot" _HOSTNAME=school \
	    SYSLOG_IDENTIFIER=long _PID=700
	printf 'MESSAGE='
	head -c 70000 /dev/zero | tr '\0' x
	printf '\n\n'
} >"$tmp/entries.export"

mkdir "$tmp/journal"
"$remote" --split-mode=none --output="$tmp/journal/remote.journal" - \
    <"$tmp/entries.export" 2>"$tmp/remote.err" ||
	fail "systemd-journal-remote failed: $(cat "$tmp/remote.err")"
[ -s "$tmp/journal/remote.journal" ] ||
	fail "systemd-journal-remote wrote no journal file"

out=$tmp/events.json
rc=0
"$KANSATSU" logs --events --tz Asia/Tokyo --journal-dir "$tmp/journal" \
    >"$out" 2>"$tmp/err" || rc=$?
[ "$rc" -eq 0 ] || fail "kansatsu exited $rc: $(cat "$tmp/err")"

# eq FILTER JSON: the filter on the array of events gives exactly JSON.
eq() {
	local got
	got=$(jq -c -s "$1" "$out") || fail "output is not JSON: $(head -c 500 "$out")"
	[ "$got" = "$2" ] || fail "$1: expected $2, got $got"
}

eq 'length' '5'

# sshd: fields straight from the entry; the time in Tokyo (UTC+9).
eq '.[0]["@timestamp"]' '"2003-01-20T13:29:04+09:00"'
eq '.[0].host.name' '"school"'
eq '.[0].process.name' '"sshd"'
eq '.[0].process.pid' '548'
eq '.[0].message' '"Failed password for ROOT from 192.168.0.27 port 62531"'
eq '.[0].log.file.path' '"journal"'
eq '.[0].log.file.line' 'null'

# cron: no SYSLOG_IDENTIFIER, so _COMM; no _PID, so SYSLOG_PID.
eq '.[1]["@timestamp"]' '"2003-01-20T13:29:05+09:00"'
eq '.[1].process.name' '"cron"'
eq '.[1].process.pid' '1234'
eq '.[1].message' '"(root) CMD (run-parts /etc/cron.hourly)"'

# odd: _PID=-5 and SYSLOG_PID=12a are not clean numbers: no PID.
eq '.[2].process.name' '"odd"'
eq '.[2].process.pid' 'null'

# evil: the bytes escaped, the JSON valid, 0xff as the text \\xff.
eq '.[3].process.name' '"evil"'
eq '.[3].process.pid' '666'
eq '.[3].message' '"A\u001b[31mred\u001b[0m\u0000nul\\xffend"'
grep -qiF '\u001b[31m' "$out" || fail "ESC not escaped as \\u001b"
grep -qiF '\u0000nul' "$out" || fail "NUL not escaped as \\u0000"
grep -qF 'nul\\xffend' "$out" || fail "byte 0xff not shown as \\\\xff"

# long: cut at 64 KiB.
eq '.[4].process.name' '"long"'
eq '.[4].message | length' '65536'
eq '.[4].message | test("^x+$")' 'true'

# Every event has its own cursor.
eq '[.[].log.journal.cursor | select(type == "string" and length > 0)]
    | unique | length' '5'

# A directory that does not exist, and one without journal files.
rc=0
"$KANSATSU" logs --events --journal-dir /nonexistent \
    >"$tmp/o" 2>"$tmp/e" || rc=$?
[ "$rc" -eq 2 ] || fail "--journal-dir /nonexistent: exit $rc, expected 2"
grep -qF /nonexistent "$tmp/e" ||
	fail "--journal-dir /nonexistent: no message naming it on stderr"
[ ! -s "$tmp/o" ] || fail "--journal-dir /nonexistent: output on stdout"

mkdir "$tmp/empty"
rc=0
"$KANSATSU" logs --events --journal-dir "$tmp/empty" \
    >"$tmp/o" 2>"$tmp/e" || rc=$?
[ "$rc" -eq 2 ] || fail "--journal-dir (empty): exit $rc, expected 2"
grep -qF "no journal files in $tmp/empty" "$tmp/e" ||
	fail "--journal-dir (empty): stderr was: $(cat "$tmp/e")"

echo "journal.sh: ok"
