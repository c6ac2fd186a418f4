#!/usr/bin/env bash
# year.sh - RFC 3164 lines carry no year: it comes from the file's mtime,
# walking back across New Year, whatever the date of reading; --year
# overrides; a stream (stdin) is placed against the time of reading.
. "$(dirname "$0")/lib.sh"

stamps() {
	jq -r '."@timestamp"' "$@"
}

printf '%s\n' 'Dec 31 23:59:59 h sshd[1]: before' \
    'Jan  1 00:00:01 h sshd[1]: after' >"$tmp/newyear.log"
touch -d '2004-01-01 00:10:00 UTC' "$tmp/newyear.log"
got=$("$KANSATSU" logs --events -q --tz UTC "$tmp/newyear.log" | stamps)
expect_eq "across New Year" "$got" "2003-12-31T23:59:59+00:00
2004-01-01T00:00:01+00:00"

# the same file compressed, mtime on the compressed file
gzip -c "$tmp/newyear.log" >"$tmp/newyear.log.1"
touch -d '2004-01-01 00:10:00 UTC' "$tmp/newyear.log.1"
got=$("$KANSATSU" logs --events -q --tz UTC "$tmp/newyear.log.1" | stamps)
expect_eq "across New Year, gzip" "$got" "2003-12-31T23:59:59+00:00
2004-01-01T00:00:01+00:00"

# read long after it was written: the mtime decides, not the clock
printf 'Mar 22 03:14:07 srv01 in.telnetd[991]: connect from 192.114.85.56\n' \
    >"$tmp/1998.log"
touch -d '1998-04-02 10:00:00 UTC' "$tmp/1998.log"
got=$("$KANSATSU" logs --events -q --tz Asia/Tokyo "$tmp/1998.log" | stamps)
expect_eq "mtime year" "$got" "1998-03-22T03:14:07+09:00"

# --year overrides
got=$("$KANSATSU" logs --events -q --tz Asia/Tokyo --year 2001 \
    "$tmp/1998.log" | stamps)
expect_eq "--year" "$got" "2001-03-22T03:14:07+09:00"

# a file spanning two New Years (Nov 2001 .. Jan 2003)
printf '%s\n' 'Nov 30 10:00:00 h a: 1' 'Dec 31 10:00:00 h a: 2' \
    'Jan 10 10:00:00 h a: 3' 'Jun  1 10:00:00 h a: 4' \
    'Dec 31 23:00:00 h a: 5' 'Jan  2 01:00:00 h a: 6' >"$tmp/two.log"
touch -d '2003-01-02 02:00:00 UTC' "$tmp/two.log"
got=$("$KANSATSU" logs --events -q --tz UTC "$tmp/two.log" | stamps)
expect_eq "two crossings" "$got" "2001-11-30T10:00:00+00:00
2001-12-31T10:00:00+00:00
2002-01-10T10:00:00+00:00
2002-06-01T10:00:00+00:00
2002-12-31T23:00:00+00:00
2003-01-02T01:00:00+00:00"

# stdin: no mtime; a date ahead of today belongs to last year
yesterday=$(date -u -d yesterday +'%b %e')
ystr=$(date -u -d yesterday +%Y-%m-%d)
got=$(printf '%s 12:00:00 h a: x\n' "$yesterday" |
    "$KANSATSU" logs --events -q --tz UTC - | stamps)
expect_eq "stdin, yesterday" "$got" "${ystr}T12:00:00+00:00"
got=$(printf '%s 12:00:00 h a: x\n' "$(date -u -d '+3 days' +'%b %e')" |
    "$KANSATSU" logs --events -q --tz UTC - | stamps)
want=$(( $(date -u -d '+3 days' +%Y) - 1 ))
expect_eq "stdin, a date ahead of today" "${got%%-*}" "$want"
done_ok
