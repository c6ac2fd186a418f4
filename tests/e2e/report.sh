#!/usr/bin/env bash
# report.sh - kansatsu report end to end: the seed 000 report in Japanese
# and English with the parts a CSIRT needs, IODEF valid against RFC 7970's
# schema (seed 000, the sendmail case, seed 004), XARF and JSON with their
# members, disclosure (an AMBER excerpt never in a CLEAR export), --redact,
# the profile template, the locale's language, scan --report, and log
# text that tries to inject markup or terminal escapes.
. "$(dirname "$0")/lib.sh"

: "${KANSATSU_LOCALEDIR:?set KANSATSU_LOCALEDIR to the po directory of the build}"

cd "$KS_TESTDATA"
profile=ash-profile.yml
seed000=report/seed000-findings.jsonl
report() { "$KANSATSU" report -q --profile "$profile" "$@"; }

# ---- seed 000 in Japanese -------------------------------------------------
expect_rc "seed000 ja" 0 report --lang ja "$seed000" >"$tmp/ja.txt"
for want in "インシデント報告書" "踏み台 (RSIT: intrusions / system-compromise)" \
    "不正侵入 (RSIT: intrusions / unprivileged-account-compromise)" \
    "攻撃元: 192.114.85.56、ポート 2349、国 IL、AS12400 Partner Communications Ltd. [TLP:GREEN]" \
    "攻撃先: 140.47.242.36、ポート 23、国 US [TLP:AMBER]" \
    "攻撃先: cb02.arl.mil、ポート 23 [TLP:AMBER]" \
    "攻撃先: cardassian.arl.mil、ポート 23 [TLP:AMBER]" \
    "踏み台 (中継に使われたホスト): srv01.ash.or.jp、当サイトのもの" \
    "最初の観測: 1998-03-22T21:30:00+09:00" "ログのタイムゾーン: Asia/Tokyo" \
    "時計: " "調査と解決への協力をお願いします" "攻撃元サイトへの連絡をお願いします" \
    "宛先: JPCERT/CC <info@jpcert.or.jp>" \
    "連絡先: Taro Yamada <security@ash.or.jp>, +81-76-000-0000 [TLP:GREEN]" \
    "| tcp 0 0 srv01.ash.or.jp:telnet 192.114.85.56:2349 ESTABLISHED root" \
    "| tcp 0 2 srv01.ash.or.jp:1425 140.47.242.36:telnet SYN_SENT root" \
    "SHA-256 $(sha256sum "$seed000" | cut -d' ' -f1)  $seed000" \
    "SHA-256 $(sha256sum samples/seed000-srv01-netstat.txt | cut -d' ' -f1)  samples/seed000-srv01-netstat.txt"; do
	expect_grep "seed000 ja" "$want" "$tmp/ja.txt"
done
expect_eq "seed000 ja: 14 excerpts" \
    "$(grep -c '^   | tcp' "$tmp/ja.txt")" 14

# ---- the same in English, with the discovery said on the command line ------
expect_rc "seed000 en" 0 report --lang en --discovery \
    "The network slowed down; netstat on srv01 showed the sessions" \
    "$seed000" >"$tmp/en.txt"
for want in "Incident report" "Stepping stone (RSIT: intrusions / system-compromise)" \
    "Intrusion (RSIT: intrusions / unprivileged-account-compromise)" \
    "source (attacker): 192.114.85.56, port 2349, country IL, AS12400 Partner Communications Ltd. [TLP:GREEN]" \
    "target: 140.47.242.36, port 23, country US [TLP:AMBER]" \
    "intermediate (used as a stepping stone): srv01.ash.or.jp, this site's own" \
    "First seen: 1998-03-22T21:30:00+09:00" "Timezone of the logs: Asia/Tokyo" \
    "Please investigate and help us resolve it" "Please contact the source site" \
    "The network slowed down; netstat on srv01 showed the sessions" \
    "| tcp 0 0 srv01.ash.or.jp:telnet 192.114.85.56:2349 ESTABLISHED root"; do
	expect_grep "seed000 en" "$want" "$tmp/en.txt"
done
checks=$((checks + 1))
LC_ALL=C.UTF-8 grep -qvP '[\x{3040}-\x{30ff}\x{4e00}-\x{9fff}]' "$tmp/en.txt" ||
    fail "seed000 en: grep failed"
if LC_ALL=C.UTF-8 grep -qP '[\x{3040}-\x{30ff}\x{4e00}-\x{9fff}]' "$tmp/en.txt"; then
	fail "seed000 en: Japanese in the English report"
fi

# the locale chooses the language when neither flag nor profile does
grep -v '^language:' "$profile" >"$tmp/nolang.yml"
LANG=ja_JP.UTF-8 LC_ALL= LANGUAGE= "$KANSATSU" report -q --profile \
    "$tmp/nolang.yml" "$seed000" >"$tmp/lang.txt"
expect_grep "LANG=ja_JP.UTF-8" "インシデント報告書" "$tmp/lang.txt"
LANG=C.UTF-8 LC_ALL= LANGUAGE= "$KANSATSU" report -q --profile \
    "$tmp/nolang.yml" "$seed000" >"$tmp/lang.txt"
expect_grep "LANG=C.UTF-8" "Incident report" "$tmp/lang.txt"
LANG=ja_JP.UTF-8 LC_ALL= LANGUAGE= "$KANSATSU" logs --help >"$tmp/help.txt"
expect_grep "logs --help in Japanese" "使い方: kansatsu logs" "$tmp/help.txt"

# stdin, and the flat dotted form, give the same report body
jq -c '. as $o | ($o | del(.evidence)) as $d | [$d | paths(scalars) as $p |
    {key: ($p | map(tostring) | join(".")), value: ($d | getpath($p))}] |
    from_entries + {evidence: $o.evidence}' "$seed000" >"$tmp/flat.jsonl"
expect_grep "flat form" '"source.geo.country_iso_code":"IL"' "$tmp/flat.jsonl"
report --format json <"$tmp/flat.jsonl" | jq -S 'del(.generated, .inputs)' \
    >"$tmp/flat.json"
report --format json "$seed000" | jq -S 'del(.generated, .inputs)' \
    >"$tmp/nested.json"
expect_eq "flat and nested findings" "$(cat "$tmp/flat.json")" \
    "$(cat "$tmp/nested.json")"

# ---- IODEF ------------------------------------------------------------------
report --format iodef "$seed000" >"$tmp/seed000.xml"
valid_iodef "seed000" "$tmp/seed000.xml"
expect_grep "seed000 iodef: source" '<System category="source" restriction="partner">' "$tmp/seed000.xml"
expect_grep "seed000 iodef: hop" '<System category="intermediate" ownership="organization" restriction="need-to-know">' "$tmp/seed000.xml"
expect_grep "seed000 iodef: jpcert" '<IncidentCategory xml:lang="ja">踏み台</IncidentCategory>' "$tmp/seed000.xml"
"$KANSATSU" logs -q --format jsonl --tz Asia/Tokyo --year 1997 \
    samples/constructed-sendmail-exploit.log >"$tmp/sendmail.jsonl" || true
expect_eq "sendmail findings" "$(jq -r .rule "$tmp/sendmail.jsonl" | sort -u | tr '\n' ' ')" \
    "sendmail-file-exploit sendmail-file-exploit-attempt "
report --format iodef "$tmp/sendmail.jsonl" >"$tmp/sendmail.xml"
valid_iodef "sendmail" "$tmp/sendmail.xml"
expect_grep "sendmail iodef: excerpt" 'CAA04211: from=&lt;|/bin/mail' "$tmp/sendmail.xml"
for site in siteA-statd siteB-scan; do
	"$KANSATSU" logs -q --format jsonl --tz Asia/Tokyo --year 1999 \
	    "samples/seed004-$site.log" >"$tmp/$site.jsonl" || true
	report --format iodef "$tmp/$site.jsonl" >"$tmp/$site.xml"
	valid_iodef "seed004 $site" "$tmp/$site.xml"
done
expect_grep "seed004 B: source" '<Address category="ipv4-addr">192.168.100.1</Address>' "$tmp/siteB-scan.xml"
expect_grep "seed004 B: scan" '<IncidentCategory xml:lang="ja">スキャン</IncidentCategory>' "$tmp/siteB-scan.xml"
expect_grep "seed004 A: intrusion" '<IncidentCategory xml:lang="ja">不正侵入</IncidentCategory>' "$tmp/siteA-statd.xml"

# ---- XARF and JSON ----------------------------------------------------------------
report --format xarf "$seed000" >"$tmp/xarf.jsonl"
expect_eq "xarf: one report per source" "$(jq -c '[.Version, .ReporterInfo.ReporterOrg,
    .ReporterInfo.ReporterOrgEmail, .Report.ReportClass, .Report.ReportType,
    .Report.Date, .Report.SourceIp, .Report.SourcePort, .Report.DestinationPort,
    .Report.AttackCount, (.Samples // .Report.Samples | length)]' "$tmp/xarf.jsonl")" \
    '["3","Ash Information Systems","security@ash.or.jp","Activity","Login-Attack","1998-03-22T21:30:00+09:00","192.114.85.56",2349,23,1,1]'
expect_eq "xarf: sample" "$(jq -r '.Report.Samples[0].Payload' "$tmp/xarf.jsonl" | base64 -d)" \
    "tcp 0 0 srv01.ash.or.jp:telnet 192.114.85.56:2349 ESTABLISHED root"
report --format json "$seed000" >"$tmp/report.json"
expect_eq "json: members in order" "$(jq -c 'keys_unsorted' "$tmp/report.json")" \
    '["kansatsu_report","id","generated","generator","reporter","recipient","language","tlp","classification","first_seen","last_seen","clock","discovery","request","systems","findings","excerpts","advice","inputs","redacted"]'
expect_eq "json: classification" "$(jq -c '[.classification[].jpcert]' "$tmp/report.json")" \
    '["踏み台","不正侵入"]'
expect_eq "json: roles" "$(jq -c '[.systems[] | .role] | group_by(.) | map([.[0], length])' "$tmp/report.json")" \
    '[["intermediate",1],["source",1],["target",10]]'
expect_eq "json: source" "$(jq -c '.systems[] | select(.role == "source")' "$tmp/report.json")" \
    '{"role":"source","ip":"192.114.85.56","port":2349,"geo":{"country_iso_code":"IL"},"as":{"number":12400,"organization":{"name":"Partner Communications Ltd."}},"tlp":"GREEN","own":false}'
expect_eq "json: counts" "$(jq -c '[(.findings | length), (.excerpts | length), (.inputs | length), .language, .tlp, .first_seen, .clock.timezone, .request]' "$tmp/report.json")" \
    '[10,14,2,"ja","AMBER","1998-03-22T21:30:00+09:00","Asia/Tokyo",["investigate","contact-source"]]'
checks=$((checks + 1))
jq -r .id "$tmp/report.json" | grep -qE '^sha256:[0-9a-f]{64}$' || fail "json: id"

# ---- disclosure: an AMBER excerpt never in a CLEAR export -------------------------
for fmt in text md html iodef xarf json; do
	report --format "$fmt" --tlp-source CLEAR --tlp-contact CLEAR \
	    --share CLEAR "$seed000" >"$tmp/clear.$fmt"
	checks=$((checks + 1))
	if grep -q "ESTABLISHED\|SYN_SENT\|arl\.mil\|140\.47\.242\.36\|192\.0\.2\.0/24" "$tmp/clear.$fmt"; then
		fail "share CLEAR ($fmt): an AMBER element was written"
	fi
	expect_grep "share CLEAR ($fmt): the CLEAR source" "192.114.85.56" "$tmp/clear.$fmt"
done
valid_iodef "share CLEAR" "$tmp/clear.iodef"
expect_grep "share CLEAR: withheld said" "elements withheld: their level is stricter than TLP:CLEAR." \
    <(report --lang en --share CLEAR "$seed000")
report --format json --tlp-excerpt RED --share AMBER+STRICT "$seed000" >"$tmp/strict.json"
expect_eq "RED excerpts at AMBER+STRICT" "$(jq -c '[(.excerpts | length), (.findings | length), .tlp]' "$tmp/strict.json")" \
    '[0,0,"AMBER"]'
report --format iodef --tlp-excerpt AMBER+STRICT "$seed000" >"$tmp/strict.xml"
valid_iodef "amber-strict" "$tmp/strict.xml"
expect_grep "AMBER+STRICT in IODEF" 'restriction="ext-value" ext-restriction="amber-strict"' "$tmp/strict.xml"

# ---- --redact -------------------------------------------------------------------
report --redact --format json "$seed000" >"$tmp/redact.json"
jq -c '[.excerpts[].text], .systems, [.findings[] | del(.evidence[].path)]' "$tmp/redact.json" >"$tmp/redacted"
checks=$((checks + 1))
if grep -q "srv01\|ash\.or\.jp" "$tmp/redacted"; then
	fail "--redact: own host name left"
fi
expect_grep "--redact: masked" "tcp 0 0 [own-host]:telnet 192.114.85.56:2349 ESTABLISHED root" "$tmp/redact.json"
expect_eq "--redact: flagged, networks left out" "$(jq -c '[.redacted, .reporter.networks]' "$tmp/redact.json")" '[true,[]]'

# ---- the profile -------------------------------------------------------------
expect_rc "init-profile" 0 "$KANSATSU" report --init-profile --out "$tmp/p.yml"
expect_rc "init-profile refuses to overwrite" 2 "$KANSATSU" report --init-profile --out "$tmp/p.yml" 2>/dev/null
expect_rc "template is a valid profile" 0 "$KANSATSU" report -q --profile "$tmp/p.yml" "$seed000" >/dev/null
"$KANSATSU" report --init-profile --lang ja >"$tmp/p-ja.yml"
expect_grep "init-profile ja" "# kansatsu 報告者プロファイル" "$tmp/p-ja.yml"
expect_rc "ja template is a valid profile" 0 "$KANSATSU" report -q --profile "$tmp/p-ja.yml" "$seed000" >/dev/null
printf 'site: x\ncontact: {email: e}\ntlp: orange\n' >"$tmp/bad.yml"
expect_rc "bad profile" 2 "$KANSATSU" report --profile "$tmp/bad.yml" "$seed000" 2>"$tmp/err" >/dev/null
expect_grep "bad profile: says where" "line 3: tlp: not a TLP level" "$tmp/err"

# ---- bad findings are counted, never guessed ------------------------------------
{ head -n 1 "$seed000"; echo 'not json'; echo '{"rule":"x"}'; } >"$tmp/mixed.jsonl"
expect_rc "bad lines" 0 "$KANSATSU" report --lang en --profile "$profile" --format json "$tmp/mixed.jsonl" \
    >"$tmp/mixed.json" 2>"$tmp/err"
expect_grep "bad lines: said" "mixed.jsonl: 2 lines are not findings (first: line 2: not JSON" "$tmp/err"
expect_eq "bad lines: the good one kept" "$(jq '.findings | length' "$tmp/mixed.json")" 1

# ---- hostile log text --------------------------------------------------------------
printf 'Jun 23 10:00:00 asite statd[123]: statd: open of /var/statmon/sm/;<script>alert(1)</script><img src=x onerror=alert(2)>\033[2J\033]0;owned\007\n' \
    >"$tmp/hostile.log"
"$KANSATSU" logs -q --format jsonl --tz UTC --year 1999 "$tmp/hostile.log" >"$tmp/hostile.jsonl" || true
expect_eq "hostile: a finding" "$(jq -r .rule "$tmp/hostile.jsonl")" "statd-exploit"
for fmt in text md html iodef json; do
	report --format "$fmt" "$tmp/hostile.jsonl" >"$tmp/hostile.$fmt"
	checks=$((checks + 1))
	if LC_ALL=C grep -qP '[\x00-\x08\x0b-\x1f\x7f]' "$tmp/hostile.$fmt"; then
		fail "hostile ($fmt): raw control byte"
	fi
done
checks=$((checks + 1))
if grep -qi "<script\|<img" "$tmp/hostile.html"; then
	fail "hostile: markup in HTML"
fi
expect_grep "hostile: shown, escaped" "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;\\e[2J\\e]0;owned\\x07" "$tmp/hostile.html"
valid_iodef "hostile" "$tmp/hostile.iodef"
expect_grep "hostile: text escaped" '<script>alert(1)</script><img src=x onerror=alert(2)>\e[2J' "$tmp/hostile.text"

# ---- scan --report: the whole path at once ----------------------------------------
# scan looks at a mounted system (--root) whose only log is a journal made
# by systemd-journal-remote from export format, so that nothing of this
# machine's own logs or files comes in
remote=
for c in /lib/systemd/systemd-journal-remote /usr/lib/systemd/systemd-journal-remote; do
	[ -x "$c" ] && remote=$c && break
done
[ -n "$remote" ] || fail "systemd-journal-remote not found"
mkdir -p "$tmp/root/var/log/journal"
printf '%s\n' __REALTIME_TIMESTAMP=930099600000000 __MONOTONIC_TIMESTAMP=1000000 \
    _BOOT_ID=4b6f1b2a9c3d4e5f8a7b6c5d4e3f2a1b _HOSTNAME=asite _COMM=statd \
    SYSLOG_IDENTIFIER=statd _PID=123 'MESSAGE=statd: open of /var/statmon/sm/;' '' |
    "$remote" --split-mode=none --output="$tmp/root/var/log/journal/remote.journal" - 2>"$tmp/err" ||
    fail "systemd-journal-remote: $(cat "$tmp/err")"
expect_rc "scan --report" 1 "$KANSATSU" scan -q --no-progress --tz Asia/Tokyo --root "$tmp/root" \
    --report -q --profile "$profile" --format json >"$tmp/scan.json"
expect_eq "scan --report: a report of scan's findings" \
    "$(jq -c '[.kansatsu_report, .inputs[0].path, [.findings[].rule], [.classification[].jpcert], .first_seen]' "$tmp/scan.json")" \
    '[1,"scan",["statd-exploit"],["不正侵入"],"1999-06-23T10:00:00+09:00"]'

# ---- seed 000 end to end: kansatsu netstat's findings into the report ------
# the listing was taken on 1998-03-22 at 03:30 in Japan (--time, --tz)
rc=0
"$KANSATSU" netstat -q --format jsonl --tz Asia/Tokyo --time "1998-03-22 03:30" \
    "$KS_TESTDATA/netstat/seed000-srv01-netstat.txt" >"$tmp/ns.jsonl" || rc=$?
expect_eq "netstat exit status" "$rc" 1
"$KANSATSU" report -q --lang ja --format text --profile "$profile" "$tmp/ns.jsonl" \
    >"$tmp/ns.ja" || [ $? -le 1 ] || fail "report (ja) of netstat's findings"
expect_grep "netstat ja: 踏み台" "   - 踏み台 (RSIT: intrusions / system-compromise)" "$tmp/ns.ja"
expect_grep "netstat ja: 不正侵入" "   - 不正侵入 (RSIT: intrusions / system-compromise)" "$tmp/ns.ja"
expect_grep "netstat ja: intruder" "攻撃元: 192.114.85.56、国 IL、AS12400 Partner Communications Ltd." "$tmp/ns.ja"
expect_grep "netstat ja: a target" "攻撃先: 140.47.242.36、国 US、AS5831" "$tmp/ns.ja"
expect_grep "netstat ja: targets by domain" "攻撃先: arl.mil" "$tmp/ns.ja"
expect_grep "netstat ja: hop point" "踏み台 (中継に使われたホスト): srv01、当サイトのもの" "$tmp/ns.ja"
expect_grep "netstat ja: time" "最初の観測: 1998-03-22T03:30:00+09:00" "$tmp/ns.ja"
expect_grep "netstat ja: request" "攻撃元サイトへの連絡をお願いします" "$tmp/ns.ja"
expect_grep "netstat ja: excerpt" "| tcp 0 0 srv01.ash.or.jp:telnet 192.114.85.56:2349 ESTABLISHED root" "$tmp/ns.ja"
expect_eq "netstat ja: the admin's own session is no attacker" \
    "$(grep -c '攻撃元: pc27' "$tmp/ns.ja" || true)" 0
"$KANSATSU" report -q --lang en --format text --profile "$profile" "$tmp/ns.jsonl" \
    >"$tmp/ns.en" || [ $? -le 1 ] || fail "report (en) of netstat's findings"
expect_grep "netstat en: stepping stone" "   - Stepping stone (RSIT: intrusions / system-compromise)" "$tmp/ns.en"
expect_grep "netstat en: intruder" "source (attacker): 192.114.85.56, country IL, AS12400" "$tmp/ns.en"
expect_grep "netstat en: time" "First seen: 1998-03-22T03:30:00+09:00" "$tmp/ns.en"
"$KANSATSU" report -q --format iodef --profile "$profile" "$tmp/ns.jsonl" >"$tmp/ns.xml" ||
    [ $? -le 1 ] || fail "report (iodef) of netstat's findings"
valid_iodef "netstat seed 000" "$tmp/ns.xml"

done_ok
