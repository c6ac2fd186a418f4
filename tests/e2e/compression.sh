#!/usr/bin/env bash
# compression.sh - `kansatsu logs` reads gzip, xz and zstd by their magic
# bytes, whatever the files are called.
#
# tests/data/compression holds one five-line syslog sample (plain.zst,
# which is plain text despite its name) and the same lines compressed by
# gzip(1), xz(1) and zstd(1) under names that lie:
#
#   auth.log.xz   gzip (with the original name in its header)
#   messages.gz   zstd
#   syslog        xz
#   secure.1      two gzip members (`cat a.gz b.gz`)
#   kern.log.2    two zstd frames
#   cut.log.gz    gzip cut short: the trailer and the end of line 5 missing
#
# Each must give exactly the events of the plain file: same hosts,
# programs, pids, messages and times, line numbers 1..5, its own path.
#
# Uses lib.sh: KANSATSU, KS_TESTDATA, $tmp, expect_eq, expect_grep.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

data=$KS_TESTDATA/compression

# The fields compared, in the nested form (accepting the flat dotted one).
fields='[(.host.name // ."host.name"), (.process.name // ."process.name"),
    (.process.pid // ."process.pid"), .message,
    (.log.file.line // ."log.file.line")]'

want_fields='["school","sshd",548,"Failed password for ROOT from 192.168.0.27 port 62531",1]
["school","PAM_pwdb",548,"authentication failure; (uid=0) -> root for sshd service",2]
["school","sshd",548,"Failed password for ROOT from 192.168.0.27 port 62531",3]
["mity","su",null,"(to root) mity on /dev/pts/1",4]
["school","CROND",1102,"(root) CMD (run-parts /etc/cron.hourly)",5]'

logs() {
	"$KANSATSU" logs --events --tz UTC --year 2003 "$@"
}

# The reference: the plain file.
logs "$data/plain.zst" >"$tmp/plain.json" 2>"$tmp/plain.err"
expect_eq "plain: fields" "$(jq -c "$fields" "$tmp/plain.json")" "$want_fields"
expect_eq "plain: times" "$(jq -r '."@timestamp"[0:19]' "$tmp/plain.json")" \
"2003-01-20T13:29:04
2003-01-20T13:29:07
2003-01-20T13:29:09
2003-01-20T13:29:12
2003-01-20T13:30:01"
want_times=$(jq -c '."@timestamp"' "$tmp/plain.json")

# check NAME JSONFILE PATH: the events of JSONFILE are the plain file's,
# with log.file.path PATH.
check() {
	expect_eq "$1: fields" "$(jq -c "$fields" "$2")" "$want_fields"
	expect_eq "$1: times" "$(jq -c '."@timestamp"' "$2")" "$want_times"
	expect_eq "$1: path" \
	    "$(jq -r '.log.file.path // ."log.file.path"' "$2" | sort -u)" "$3"
}

for f in auth.log.xz messages.gz syslog secure.1 kern.log.2; do
	logs "$data/$f" >"$tmp/$f.json" 2>"$tmp/$f.err"
	check "$f" "$tmp/$f.json" "$data/$f"
done

# Through stdin, from a file and from a pipe: magic works without a name.
logs - <"$data/syslog" >"$tmp/stdin.json" 2>"$tmp/stdin.err"
expect_eq "stdin xz: fields" "$(jq -c "$fields" "$tmp/stdin.json")" \
    "$want_fields"
# shellcheck disable=SC2002 # a pipe, not a file, is the point
cat "$data/messages.gz" | logs - >"$tmp/pipe.json" 2>"$tmp/pipe.err"
expect_eq "pipe zstd: fields" "$(jq -c "$fields" "$tmp/pipe.json")" \
    "$want_fields"

# All at once: every file gives its five lines.
logs "$data/plain.zst" "$data/auth.log.xz" "$data/messages.gz" \
    "$data/syslog" "$data/secure.1" "$data/kern.log.2" \
    >"$tmp/all.json" 2>"$tmp/all.err"
expect_eq "all: events per file" \
    "$(jq -r '.log.file.path // ."log.file.path"' "$tmp/all.json" |
	sed 's|.*/||' | sort | uniq -c | awk '{print $2, $1}')" \
"auth.log.xz 5
kern.log.2 5
messages.gz 5
plain.zst 5
secure.1 5
syslog 5"

# Truncated: the lines before the cut come out, and the cut is reported
# (never silent, never a crash).
rc=0
logs "$data/cut.log.gz" >"$tmp/cut.json" 2>"$tmp/cut.err" || rc=$?
expect_eq "cut: exit status (input error)" "$rc" 2
expect_eq "cut: first four lines" \
    "$(jq -c "$fields" "$tmp/cut.json" | head -n 4)" \
    "$(printf '%s\n' "$want_fields" | head -n 4)"
expect_eq "cut: the part of line 5 before the cut" \
    "$(jq -c '[.log.file.line, .message]' "$tmp/cut.json" | tail -n 1)" \
    '[5,"(root) CMD (run-parts /etc/cron.hour"]'
expect_grep "cut: reported" 'gzip: unexpected end of compressed data' \
    "$tmp/cut.err"

done_ok
