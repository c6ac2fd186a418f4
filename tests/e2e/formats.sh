#!/usr/bin/env bash
# formats.sh - one file with every header format kansatsu frames, checked
# as whole JSON events against formats/mixed.expected.jsonl; the --tz
# option moves zoneless stamps only; the unparsed line is counted and
# shown by --show-unparsed.
. "$(dirname "$0")/lib.sh"

cd "$KS_TESTDATA/formats"
"$KANSATSU" logs --events --tz Asia/Tokyo --year 2003 --hostname web01 \
    mixed.log >"$tmp/out" 2>"$tmp/err"
expect_eq "events of every format" "$(cat "$tmp/out")" \
    "$(cat mixed.expected.jsonl)"
expect_grep "summary" "15 lines, 14 events, 1 unparsed" "$tmp/err"
expect_grep "summary in the --tz zone" \
    "2003-01-20T12:58:29+09:00 .. 2003-01-20T12:58:42+09:00" "$tmp/err"

# --tz: zoneless stamps move, stamps with a zone keep theirs
"$KANSATSU" logs --events --tz America/New_York --year 2003 mixed.log \
    >"$tmp/ny" 2>/dev/null
got=$(jq -r '.log.file.line as $l | "\($l) \(."@timestamp")"' "$tmp/ny")
want="1 2003-01-20T12:58:29-05:00
2 2003-01-20T12:58:30-05:00
3 2003-01-20T12:58:31-05:00
4 2003-01-20T12:58:32-05:00
5 2003-01-20T12:58:33-05:00
6 2003-01-20T12:58:34.123456+09:00
7 2003-01-20T12:58:35.250000-05:00
8 2003-01-20T03:58:36.000003+00:00
9 2003-01-20T12:58:37+09:00
10 2003-01-20T12:58:38-05:00
11 2003-01-20T12:58:39.500000-05:00
12 2003-01-20T12:58:40-05:00
13 2003-01-20T12:58:41-05:00
15 2003-01-20T12:58:42-05:00"
expect_eq "--tz America/New_York" "$got" "$want"

# a summer date in the same zone takes daylight saving time
printf 'Jul  4 12:00:00 h cron[1]: x\n' >"$tmp/summer.log"
got=$("$KANSATSU" logs --events -q --tz America/New_York --year 2003 \
    "$tmp/summer.log" | jq -r '."@timestamp"')
expect_eq "DST" "$got" "2003-07-04T12:00:00-04:00"

# TZ in the environment is the default zone
got=$(TZ=Asia/Tokyo "$KANSATSU" logs --events -q --year 2003 \
    "$tmp/summer.log" | jq -r '."@timestamp"')
expect_eq "TZ default" "$got" "2003-07-04T12:00:00+09:00"

"$KANSATSU" logs --count --show-unparsed --tz UTC --year 2003 mixed.log \
    >"$tmp/count" 2>"$tmp/err"
expect_eq "count" "$(cat "$tmp/count")" 14
expect_grep "unparsed line shown" \
    "unparsed mixed.log:14: this line has no header at all" "$tmp/err"

# --since/--until on event time
got=$("$KANSATSU" logs --count --tz Asia/Tokyo --year 2003 \
    --since 2003-01-20T12:58:33+09:00 --until 2003-01-20T12:58:37+09:00 \
    mixed.log 2>"$tmp/err")
expect_eq "--since/--until" "$got" 5
expect_grep "filtered count" "9 outside the time range" "$tmp/err"
done_ok
