#!/usr/bin/env bash
# hostile.sh - input written by attackers: a 10 MB line, NUL bytes,
# invalid UTF-8, terminal escape sequences in the text and in the file
# name, a binary file.  No crash, bounded output, everything escaped: no
# raw control byte reaches stdout or stderr, and the JSON stays valid.
. "$(dirname "$0")/lib.sh"

f="$tmp/hostile.log"
{
	printf 'Jan 20 12:00:00 h sshd[1]: '
	head -c 10485760 /dev/zero | tr '\0' 'A'
	printf '\n'
	printf 'Jan 20 12:00:01 h sshd[2]: nul\0byte\n'
	printf 'Jan 20 12:00:02 h sshd[3]: bad \xff\xfe utf8 \xe3\x81\n'
	printf 'Jan 20 12:00:03 h sshd[4]: \x1b]0;owned\x07\x1b[2J\x1b[31mred\r\n'
	printf 'Jan 20 12:00:04 h ev\x1bil\x07[5]: \xc2\x9b6n\n'
	printf '\x1b[1;1H\xff garbage line\n'
} >"$f"

expect_rc "hostile file" 0 "$KANSATSU" logs --events --show-unparsed \
    --tz UTC --year 2003 "$f" >"$tmp/out" 2>"$tmp/err"
for out in "$tmp/out" "$tmp/err"; do
	checks=$((checks + 1))
	if LC_ALL=C grep -qP '[\x00-\x08\x0b-\x1f\x7f]' "$out"; then
		fail "raw control byte in $(basename "$out")"
	fi
	checks=$((checks + 1))
	iconv -f UTF-8 -t UTF-8 "$out" >/dev/null ||
	    fail "invalid UTF-8 in $(basename "$out")"
done
jq -e . "$tmp/out" >/dev/null || fail "output is not valid JSON lines"

got=$(jq -c '[.log.file.line, .log.truncated, .log.original_length,
    (.message | length)]' "$tmp/out" | head -1)
expect_eq "10 MB line cut and measured" "$got" '[1,true,10485787,65509]'
want='nul\u0000byte
bad \xff\xfe utf8 \xe3\x81
\u001b]0;owned\u0007\u001b[2J\u001b[31mred
\u009b6n'
expect_eq "escaped messages" "$(sed -n '2,5p' "$tmp/out" |
    sed 's/.*"message":"\([^"]*\)".*/\1/' | sed 's/\\\\/\\/g')" "$want"
got=$(jq -r '.process.name' "$tmp/out" | sed -n 5p | od -An -c | tr -s ' ')
expect_eq "program name with ESC kept as data" "$got" \
    " e v 033 i l \a \n"
expect_grep "cut counted" "6 lines, 5 events, 1 unparsed, 1 cut" "$tmp/err"
expect_grep "unparsed line escaped" "unparsed $f:6: \\e[1;1H\\xff garbage" \
    "$tmp/err"
expect_eq "output size bounded" "$(($(wc -c <"$tmp/out") < 200000))" 1

# a binary file is skipped with a notice, not read
head -c 4096 /dev/urandom >"$tmp/wtmp"
printf 'Jan 20 12:00:00 h a: x\n' >"$tmp/ok.log"
expect_rc "binary file" 0 "$KANSATSU" logs --count --tz UTC --year 2003 \
    "$tmp/wtmp" "$tmp/ok.log" >"$tmp/out" 2>"$tmp/err"
expect_eq "binary skipped, text read" "$(cat "$tmp/out")" 1
expect_grep "binary notice" "skipped $tmp/wtmp: binary file" "$tmp/err"

# a hostile file name is escaped in every message
evil="$tmp/$(printf 'x\x1b[2Jy\nz.log')"
printf 'Jan 20 12:00:00 h a: x\n' >"$evil"
"$KANSATSU" logs --events --tz UTC --year 2003 "$evil" >"$tmp/out" 2>"$tmp/err"
expect_grep "file name escaped in summary" 'x\e[2Jy\nz.log' "$tmp/err"
expect_eq "file name escaped in JSON" "$(jq -r .log.file.path "$tmp/out" |
    tr -d '\n' | od -An -c | grep -c 033)" 1
checks=$((checks + 1))
if LC_ALL=C grep -qP '[\x00-\x08\x0b-\x1f\x7f]' "$tmp/out" "$tmp/err"; then
	fail "raw control byte after a hostile file name"
fi
done_ok
