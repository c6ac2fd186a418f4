#!/usr/bin/env bash
# cli.sh - the command line as a user meets it: help and version, exit
# codes (0 nothing at or above --fail-on, 2 usage or input error), stdin,
# --count, --quiet, and clear messages for bad input.
. "$(dirname "$0")/lib.sh"

log="$KS_TESTDATA/samples/seed002-school-messages-su.log"

"$KANSATSU" --version >"$tmp/out"
expect_eq "--version" "$(sed 's/[0-9][0-9.]*$/N/' "$tmp/out")" "kansatsu N"
expect_rc "--help" 0 "$KANSATSU" --help >"$tmp/out"
expect_grep "--help lists logs" "logs" "$tmp/out"
expect_grep "--help lists scan" "scan" "$tmp/out"
for cmd in logs scan; do
	expect_rc "$cmd --help" 0 "$KANSATSU" $cmd --help >"$tmp/out"
	expect_grep "$cmd --help" "usage: kansatsu $cmd" "$tmp/out"
done
expect_rc "no command" 2 "$KANSATSU" 2>"$tmp/err"
expect_rc "unknown command" 2 "$KANSATSU" frobnicate 2>"$tmp/err"
expect_grep "unknown command message" "unknown command 'frobnicate'" "$tmp/err"
expect_rc "unknown option" 2 "$KANSATSU" logs --frobnicate "$log" 2>"$tmp/err"
expect_rc "bad --tz" 2 "$KANSATSU" logs --tz Mars/Olympus "$log" 2>"$tmp/err"
expect_grep "bad --tz message" "unknown time zone 'Mars/Olympus'" "$tmp/err"
expect_rc "bad --since" 2 "$KANSATSU" logs --since yesterday "$log" 2>"$tmp/err"
expect_grep "bad --since message" "cannot read time 'yesterday'" "$tmp/err"
expect_rc "bad --year" 2 "$KANSATSU" logs --year 19x8 "$log" 2>"$tmp/err"
expect_rc "bad --fail-on" 2 "$KANSATSU" logs --fail-on severe "$log" 2>"$tmp/err"
expect_rc "bad --format" 2 "$KANSATSU" logs --format xml "$log" 2>"$tmp/err"
expect_rc "missing file" 2 "$KANSATSU" logs /nonexistent/messages 2>"$tmp/err"
expect_grep "missing file message" "/nonexistent/messages: No such file or directory" "$tmp/err"
expect_rc "scan takes no paths" 2 "$KANSATSU" scan "$log" 2>"$tmp/err"

# findings format: no findings, nothing on stdout, exit 0
printf 'Jan 20 13:00:01 school CROND[601]: (root) CMD (run-parts /etc/cron.hourly)\n' \
    >"$tmp/benign.log"
expect_rc "jsonl, nothing found" 0 "$KANSATSU" logs --format jsonl \
    --fail-on info --tz UTC "$tmp/benign.log" >"$tmp/out" 2>"$tmp/err"
expect_eq "jsonl stdout" "$(cat "$tmp/out")" ""

# exit 1 only for findings at or above --fail-on (the su log has a high one)
expect_rc "finding at --fail-on high" 1 "$KANSATSU" logs -q --tz UTC \
    "$log" >"$tmp/out"
expect_grep "text finding" "remote-root-logon-failed" "$tmp/out"
expect_rc "finding below --fail-on critical" 0 "$KANSATSU" logs -q \
    --fail-on critical --tz UTC "$log" >/dev/null
expect_rc "rules that do not load" 2 "$KANSATSU" logs --rules /nonexistent \
    --tz UTC "$log" 2>"$tmp/err"
expect_grep "rules error" "rules: /nonexistent: No such file" "$tmp/err"

# stdin, --count, --quiet
got=$("$KANSATSU" logs --count -q --tz UTC - <"$log" 2>"$tmp/err")
expect_eq "stdin count" "$got" 10
expect_eq "--quiet" "$(cat "$tmp/err")" ""
got=$(gzip -c "$log" | "$KANSATSU" logs --events -q --tz UTC --year 2003 - |
    jq -r '.log.file.path + ":" + (.log.file.line|tostring)' | tail -1)
expect_eq "gzip on stdin" "$got" "-:10"

# no progress line when stderr is not a terminal
"$KANSATSU" logs --count --tz UTC "$log" >/dev/null 2>"$tmp/err"
checks=$((checks + 1))
if grep -q $'\r' "$tmp/err"; then fail "progress line written to a file"; fi
done_ok
