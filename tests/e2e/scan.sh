#!/usr/bin/env bash
# scan.sh - `kansatsu scan --root`: the log rules and host triage in one
# list under a verdict; the planted tree is an evident intrusion decided
# by its worst findings, the clean tree nothing found; jsonl output stays
# JSON Lines with the verdict on stderr.
. "$(dirname "$0")/lib.sh"
. "$KS_E2E/hosttree.sh"

make_tree "$tmp/clean" clean
make_tree "$tmp/planted" planted
cp "$KS_TESTDATA/samples/seed002-school-messages-su.log" \
    "$tmp/planted/var/log/auth.log"

expect_rc "planted scan" 1 "$KANSATSU" scan --root "$tmp/planted" --tz UTC \
    >"$tmp/out" 2>"$tmp/err"
expect_eq "verdict" "$(sed -n '1,2p' "$tmp/out" | sed 's/, [0-9T:.+-]*$//')" \
"kansatsu scan of school
VERDICT: INTRUSION EVIDENT"
expect_grep "next steps" "Next: do not reboot or clean up yet" "$tmp/out"
expect_eq "decided by" "$(grep -E '^  [0-9]\. ' "$tmp/out" | awk '{print $3}')" \
"account-uid0:
file-suid-tmp:
remote-root-logon-failed:"
expect_grep "tally" "  8 findings: 2 critical 5 high 1 medium; all follow" "$tmp/out"
expect_grep "log summary on stderr" "auth.log" "$tmp/err"
expect_grep "host notes on stderr" "kansatsu: host: processes: skipped" "$tmp/err"

# jsonl: only JSON on stdout, both halves, the verdict on stderr
expect_rc "jsonl scan" 1 "$KANSATSU" scan --root "$tmp/planted" --tz UTC \
    --format jsonl >"$tmp/out" 2>"$tmp/err"
expect_eq "every line is JSON" "$(jq -c . "$tmp/out" | wc -l)" \
    "$(wc -l <"$tmp/out")"
expect_eq "findings: the host's and the logs'" "$(findings_of <"$tmp/out")" \
    "$(printf '%s\nremote-root-logon-failed ROOT' "$planted_findings" |
    LC_ALL=C sort)"
expect_grep "verdict on stderr" "VERDICT: INTRUSION EVIDENT" "$tmp/err"

expect_rc "clean scan" 0 "$KANSATSU" scan --root "$tmp/clean" --tz UTC \
    >"$tmp/out" 2>"$tmp/err"
expect_eq "clean verdict" "$(sed -n 2p "$tmp/out")" "VERDICT: NOTHING FOUND"
expect_grep "clean caveat" "A clean scan is not proof" "$tmp/out"
expect_rc "scan -q" 0 "$KANSATSU" scan --root "$tmp/clean" -q --format jsonl \
    >"$tmp/out" 2>"$tmp/err"
expect_eq "quiet stderr" "$(cat "$tmp/err")" ""
expect_rc "scan takes no paths" 2 "$KANSATSU" scan /var/log 2>"$tmp/err"
expect_rc "scan bad --tz" 2 "$KANSATSU" scan --root "$tmp/clean" \
    --tz Mars/Olympus 2>"$tmp/err"

done_ok
