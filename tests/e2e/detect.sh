#!/usr/bin/env bash
# detect.sh - the bundled rules on the seeds' logs give exactly the
# findings a careful analyst expects: failed remote root logons (seed 002),
# a planned reboot noted for information only (seed 002), one likely-success
# sendmail exploit for CAA04211 and one attempt for CAA04230 and nothing
# for the ordinary mail (seed 003), a statd exploit attempt (seed 004 site
# A), and a scan from 192.168.100.1 touching telnet and pop3 (seed 004
# site B).  Each as JSON Lines by the findings contract.
. "$(dirname "$0")/lib.sh"

findings() {
	"$KANSATSU" logs -q --format jsonl --tz Asia/Tokyo --year 2003 \
	    "$KS_TESTDATA/samples/$1" | jq -c '[.rule, .severity, .outcome,
	    .host.name, .source.ip, .count, .first_seen, .last_seen,
	    [.evidence[].line]]'
}

expect_eq "failed root" "$(findings seed002-school-messages-failed-root.log)" \
'["remote-root-logon-failed","high","attempt","school","192.168.0.27",3,"2003-01-20T13:29:04+09:00","2003-01-20T13:29:09+09:00",[2,4,5]]'

expect_eq "reboot" "$(findings seed002-school-messages-reboot.log)" \
'["planned-reboot","info",null,"school",null,2,"2003-01-20T12:57:29+09:00","2003-01-20T12:58:29+09:00",[1,26]]'

expect_eq "sendmail" "$(findings constructed-sendmail-exploit.log)" \
'["sendmail-file-exploit","critical","likely-success","mailhost","203.0.113.9",2,"2003-01-03T02:11:45+09:00","2003-01-03T02:11:46+09:00",[1,2]]
["sendmail-file-exploit-attempt","high","attempt","mailhost",null,1,"2003-01-03T02:15:02+09:00","2003-01-03T02:15:02+09:00",[4]]'

expect_eq "statd" "$(findings seed004-siteA-statd.log)" \
'["statd-exploit","high","attempt","asite",null,1,"2003-06-23T10:00:00+09:00","2003-06-23T10:00:00+09:00",[1]]'

expect_eq "scan" "$(findings seed004-siteB-scan.log)" \
'["port-scan","medium","attempt","bsite","192.168.100.1",2,"2003-06-23T12:34:00+09:00","2003-06-23T12:34:00+09:00",[1,2]]'

# the sendmail finding as the contract's example shows it
# (exit status 1: there are findings at or above --fail-on)
expect_rc "sendmail exit status" 1 "$KANSATSU" logs -q --format jsonl \
    --tz Asia/Tokyo --year 2003 \
    "$KS_TESTDATA/samples/constructed-sendmail-exploit.log" >"$tmp/all"
sed -n 1p "$tmp/all" >"$tmp/f"
expect_eq "contract fields" "$(jq -c '[.classification, .source,
    .email.local_id, (.evidence | length), (.advice | length > 0)]' "$tmp/f")" \
'[{"taxonomy":"intrusions","type":"system-compromise"},{"ip":"203.0.113.9","domain":"evil.example","network":{"scope":"documentation"}},"CAA04211",2,true]'

# password guessing: five failures from one address within ten minutes
for i in 1 2 3 4 5 6; do
	printf 'Mar 22 03:14:0%d srv01 sshd[99%d]: Failed password for invalid user joe from 192.114.85.56 port 40%d ssh2\n' "$i" "$i" "$i"
done >"$tmp/guess.log"
"$KANSATSU" logs -q --format jsonl --tz Asia/Tokyo --year 1998 \
    "$tmp/guess.log" >"$tmp/out" || true
got=$(jq -c '[.rule, .source.ip, .count]' "$tmp/out")
expect_eq "password guessing" "$got" '["password-guessing","192.114.85.56",6]'

# one mistyped password, then success: no finding
printf '%s\n' \
    'Mar 22 09:00:01 srv01 sshd[100]: Failed password for alice from 192.0.2.10 port 5000 ssh2' \
    'Mar 22 09:00:05 srv01 sshd[100]: Accepted password for alice from 192.0.2.10 port 5000 ssh2' \
    >"$tmp/typo.log"
expect_rc "typo then success" 0 "$KANSATSU" logs -q --format jsonl \
    --fail-on low --tz UTC --year 1998 "$tmp/typo.log" >"$tmp/out"
expect_eq "typo: no finding" "$(cat "$tmp/out")" ""
# the same boot without the shutdown before it is an unplanned reboot
grep -v 'Switching to runlevel' "$KS_TESTDATA/samples/seed002-school-messages-reboot.log" \
    >"$tmp/crash.log"
"$KANSATSU" logs -q --format jsonl --tz Asia/Tokyo --year 2003 \
    "$tmp/crash.log" >"$tmp/out" || true
expect_eq "unplanned reboot" "$(jq -c '[.rule, .severity, .count]' "$tmp/out")" \
    '["unplanned-reboot","medium",1]'

# an open relay: twelve messages from outside clients relayed to twelve
# outside recipients (sendmail and postfix) give one finding; the LAN
# user's mail and the forward of a local user's mail in between do not
# count, and ten relayed recipients are needed before it fires
"$KANSATSU" logs -q --format jsonl --tz UTC --year 2026 \
    "$KS_TESTDATA/relay/maillog" >"$tmp/out" || true
expect_eq "open relay" "$(jq -c '[.rule, .severity, .outcome, .host.name,
    .count, .first_seen, .last_seen]' "$tmp/out")" \
    '["mail-open-relay","high","success","mx",12,"2026-11-21T02:03:02+00:00","2026-11-21T02:36:02+00:00"]'
head -n 24 "$KS_TESTDATA/relay/maillog" >"$tmp/nine.log"
expect_rc "nine relayed recipients" 0 "$KANSATSU" logs -q --format jsonl \
    --fail-on info --tz UTC --year 2026 "$tmp/nine.log" >"$tmp/out"
expect_eq "nine relayed: no finding" "$(cat "$tmp/out")" ""

# an overflow attempt as raw control bytes (YAML samples cannot hold them)
printf 'Jun 23 10:00:00 mail imapd[300]: Login failed user=\x90\x90\x01\x02\x03\x04\xeb\x1f host=x [192.0.2.1]\n' \
    >"$tmp/raw.log"
"$KANSATSU" logs -q --format jsonl --tz UTC --year 2003 "$tmp/raw.log" \
    >"$tmp/out" || true
expect_eq "raw overflow bytes" "$(jq -c '[.rule, .evidence[0].text]' "$tmp/out")" \
    '["daemon-overflow-attempt","Jun 23 10:00:00 mail imapd[300]: Login failed user=\\x90\\x90\u0001\u0002\u0003\u0004\\xeb\u001f host=x [192.0.2.1]"]'

# signs of an altered log: time backwards, NUL runs, a busy file gone silent
{
	printf 'Mar 22 03:00:00 srv01 sshd[1]: Accepted publickey for a from 192.0.2.1 port 1 ssh2\n'
	printf 'Mar 22 04:00:00 srv01 CRON[2]: (root) CMD (true)\n'
	printf 'Mar 22 03:10:00 srv01 CRON[3]: (root) CMD (true)\n'
	printf 'Mar 22 04:01:00 srv01 CRON[4]: (root) CMD (true)'
	head -c 40 /dev/zero
	printf '\n'
	for i in $(seq 10 59); do
		printf 'Mar 22 04:%02d:00 srv01 CRON[%d]: (root) CMD (true)\n' "$i" "$i"
		printf 'Mar 22 04:%02d:30 srv01 CRON[%d]: (root) CMD (true)\n' "$i" "$i"
	done
	printf 'Mar 22 12:00:00 srv01 CRON[99]: (root) CMD (true)\n'
} >"$tmp/edited.log"
"$KANSATSU" logs -q --format jsonl --tz UTC --year 1998 "$tmp/edited.log" \
    >"$tmp/out" || true
expect_eq "tampering signs" "$(jq -c '[.rule, .count, [.evidence[].line]]' "$tmp/out" | LC_ALL=C sort)" \
'["log-nul-run",1,[4]]
["log-silent-gap",1,[105]]
["log-time-backwards",1,[3]]'

# a multi-host set of ordinary traffic: a mistyped password then success,
# su from the admin's LAN, cron, sudo, ordinary mail, ordinary DNS, long
# but harmless URLs: every line decodes, and nothing is reported
benign="$KS_TESTDATA/benign"
got=$("$KANSATSU" logs --events -q --tz Asia/Tokyo --year 2026 "$benign" |
    jq -r '.event.action // "-"' | LC_ALL=C sort | uniq -c | awk '{print $2 "=" $1}' |
    tr '\n' ' ')
expect_eq "benign set decoded" "$got" \
    "connection=3 cron-command=1 disconnect=3 dns-query=5 http-request=5 logon=1 logon-failed=1 mail-from=2 mail-to=2 session-closed=2 session-opened=2 su=2 sudo=1 "
expect_rc "benign set" 0 "$KANSATSU" logs -q --format jsonl --fail-on info \
    --tz Asia/Tokyo --year 2026 "$benign" >"$tmp/out"
expect_eq "benign: no finding" "$(cat "$tmp/out")" ""
done_ok
