#!/usr/bin/env bash
# samples.sh - the seeds' own log lines (tests/data/samples, copied from
# shared/samples) frame with no unparsed line, and every line has exactly
# the time, host, program, pid and message recorded in NAME.expected.tsv
# (checked by hand against the seed documents).
. "$(dirname "$0")/lib.sh"

n=0
for log in "$KS_TESTDATA"/samples/*.log; do
	want="${log%.log}.expected.tsv"
	[ -f "$want" ] || fail "no $want"
	"$KANSATSU" logs --events --tz Asia/Tokyo --year 2003 "$log" \
	    >"$tmp/out.jsonl" 2>"$tmp/err"
	got=$(jq -r '[.log.file.line, ."@timestamp", .host.name,
	    (.process.name // "-"), (.process.pid // "-"), .message] | @tsv' \
	    "$tmp/out.jsonl")
	expect_eq "$(basename "$log")" "$got" "$(cat "$want")"
	lines=$(wc -l <"$log")
	expect_grep "$(basename "$log") summary" \
	    "$lines lines, $lines events, 0 unparsed, 0 cut" "$tmp/err"
	n=$((n + 1))
done
expect_eq "sample logs found" "$n" 6

# all together, in one run: the same events, nothing unparsed
"$KANSATSU" logs --count --tz Asia/Tokyo --year 2003 \
    "$KS_TESTDATA"/samples/*.log >"$tmp/count" 2>"$tmp/err"
expect_eq "count of all samples" "$(cat "$tmp/count")" 148
expect_grep "all samples" "148 lines, 148 events, 0 unparsed" "$tmp/err"
done_ok
