# shellcheck shell=bash
# hub_suite.sh - the end-to-end checks of `kansatsu hub`, run by hub.sh
# against SQLite and by hub-pg.sh against a PostgreSQL server it starts.
# The sourcing script defines fresh_db NAME, which prints the --db
# argument of a new, empty database, and sources lib.sh first.

data=$KS_TESTDATA/hub

hub() { "$KANSATSU" hub --db "$db" "$@"; }

# The awk programs below read their input to its end, never exit early:
# under pipefail, the writer of a large draft would die of SIGPIPE.

# text_part EML: the decoded text part of a draft (base64, CRLF lines).
text_part() {
	tr -d '\r' <"$1" | awk '
		/^Content-Type: text\/plain/ { part = 1; next }
		part == 1 && /^$/ { part = 2; next }
		part == 2 && /^--/ { part = 3 }
		part == 2 { print }' | base64 -d
}

# attachment EML NAME: the decoded bytes of an attachment.
attachment() {
	tr -d '\r' <"$1" | awk -v name="$2" '
		index($0, "filename=\"" name "\"") { part = 1; next }
		part == 1 && /^$/ { part = 2; next }
		part == 2 && /^--/ { part = 3 }
		part == 2 { print }' | base64 -d
}

# attachments EML: the file names of a draft's attachments, one a line.
attachments() {
	tr -d '\r' <"$1" | sed -n 's/^ filename="\(.*\)"$/\1/p'
}

# record_items XML: the log lines of an IODEF document the hub wrote.
record_items() {
	sed -n 's|.*<RecordItem dtype="string">\(.*\)</RecordItem>$|\1|p' "$1"
}

# subject EML: the decoded Subject header (each encoded word alone;
# the white space between encoded words does not count).
subject() {
	local raw w
	raw=$(tr -d '\r' <"$1" | awk '
		/^Subject: / && !done { s = substr($0, 10); on = 1; next }
		on && /^ / { s = s $0; next }
		on { on = 0; done = 1 }
		END { print s }')
	case $raw in
	*=\?UTF-8\?B\?*) ;;
	*) printf '%s\n' "$raw"; return ;;
	esac
	for w in $raw; do
		w=${w#=?UTF-8?B?}
		printf '%s' "${w%\?=}" | base64 -d
	done
	echo
}

# finding IP [DOMAIN [TIME]]: one finding of the contract on a line.
finding() {
	local t=${3:-2026-01-10T10:00:00+09:00}
	printf '{"rule":"port-scan","title":"scan","classification":{"taxonomy":"information-gathering","type":"scanner"},"severity":"low","host":{"name":"h"},"source":{"ip":"%s"%s},"first_seen":"%s","last_seen":"%s","count":1,"evidence":[{"path":"x","line":1,"text":"t"}]}\n' \
	    "$1" "${2:+,\"domain\":\"$2\"}" "$t" "$t"
}

# profile SITE: a reporter profile allowing everything.
profile() {
	printf 'site: %s\ncontact:\n  email: sec@%s.example\ntlp: CLEAR\n' \
	    "$1" "$1" >"$tmp/$1.yml"
}

check_seed004() {
	db=$(fresh_db seed004)
	hub ingest "$data/seed004/asite.json" "$data/seed004/bsite.json" \
	    >"$tmp/ingest.out"
	expect_eq "seed004: both stored, one incident" \
	    "$(cut -d' ' -f2-3,11- "$tmp/ingest.out")" \
	    "report 1 incident 1 (new)
report 2 incident 1"
	hub --format jsonl related 2 >"$tmp/rel.jsonl"
	expect_eq "seed004: B links to A as a stepping stone" \
	    "$(jq -c '[.report, .site, .why, .value, .network, .weak]' "$tmp/rel.jsonl")" \
	    '[1,"asite","stepping-stone","192.168.100.1","192.168.100.0/24",false]'
	hub related 2 >"$tmp/rel.txt"
	expect_grep "seed004: the reason in words" \
	    "source 192.168.100.1 is inside asite's network 192.168.100.0/24: a host of asite is a stepping stone" \
	    "$tmp/rel.txt"
	hub --format jsonl related 1 >"$tmp/rel1.jsonl"
	expect_eq "seed004: A links to B, from A's side" \
	    "$(jq -c '[.report, .site, .why, .network]' "$tmp/rel1.jsonl")" \
	    '[2,"bsite","stepping-stone","192.168.100.0/24"]'
	hub --format jsonl related 192.168.100.1 >"$tmp/rel-addr.jsonl"
	expect_eq "seed004: the address names both" \
	    "$(jq -c '[.report, .why]' "$tmp/rel-addr.jsonl")" \
	    '[1,"stepping-stone"]
[2,"same-source"]'

	hub ingest "$data/seed004/bsite.json" >"$tmp/again.out"
	expect_grep "seed004: a second ingest stores nothing" \
	    "already there as report 2" "$tmp/again.out"
	expect_eq "seed004: two reports" "$(hub reports | wc -l)" 2

	hub --by analyst1 incident 1 --status open --note "asked asite to check" \
	    >"$tmp/inc.txt"
	expect_grep "incident: status" "   1  open" "$tmp/inc.txt"
	expect_grep "incident: audited with who" "analyst1  note: asked asite to check" \
	    "$tmp/inc.txt"
	expect_grep "incident: why B joined" \
	    "report 2: report 1 (asite) stepping-stone 192.168.100.1 in 192.168.100.0/24" \
	    "$tmp/inc.txt"

	hub notify 1 --outbox "$tmp/outbox" --lang en >"$tmp/notify.out"
	expect_eq "notify: one draft per site" "$(ls "$tmp/outbox")" \
	    "incident-1-asite.eml
incident-1-bsite.eml"
	a=$tmp/outbox/incident-1-asite.eml
	b=$tmp/outbox/incident-1-bsite.eml
	expect_grep "notify: addressed to A's contact" \
	    "<security@asite.example.jp>" "$a"
	expect_grep "notify: from the CSIRT the reports went to" \
	    "<info@jpcert.or.jp>" "$a"
	expect_grep "notify: MIME" "Content-Type: multipart/mixed;" "$a"
	text_part "$a" >"$tmp/a.txt"
	text_part "$b" >"$tmp/b.txt"
	expect_grep "draft to A: B's first log line" \
	    "Jun 23 12:34:00 bsite telnetd[12]: connect from 192.168.100.1" "$tmp/a.txt"
	expect_grep "draft to A: B's second log line" \
	    "Jun 23 12:34:00 bsite popper[13]: @[192.168.100.1]: -ERR POP EOF received" \
	    "$tmp/a.txt"
	expect_grep "draft to A: the stepping stone" \
	    "inside your network 192.168.100.0/24" "$tmp/a.txt"
	expect_grep "draft to A: what of A's own report was withheld" \
	    "Withheld from every other site (your disclosure level AMBER): 1 finding(s), 1 log line(s)" \
	    "$tmp/a.txt"
	expect_eq "draft to A: B's report attached" "$(attachments "$a")" \
	    report-2.xml
	expect_grep "draft to A: says what is attached" \
	    "The part of this report that may be passed on to you is attached (IODEF)." \
	    "$tmp/a.txt"
	attachment "$a" report-2.xml >"$tmp/a-2.xml"
	valid_iodef "draft to A: the attachment" "$tmp/a-2.xml"
	expect_eq "draft to A: the attachment holds B's two log lines" \
	    "$(record_items "$tmp/a-2.xml")" \
	    "Jun 23 12:34:00 bsite telnetd[12]: connect from 192.168.100.1
Jun 23 12:34:00 bsite popper[13]: @[192.168.100.1]: -ERR POP EOF received"
	expect_grep "draft to A: the attachment names B (its contact is CLEAR)" \
	    "<ContactName>Site B Corporation</ContactName>" "$tmp/a-2.xml"
	# B may see nothing of A's report (AMBER, and no source of it is
	# B's): B's draft has no section on it, so no attachment at all
	expect_eq "draft to B: no attachment" "$(attachments "$b")" ""
	expect_grep "draft to B: the source site was contacted" \
	    "The site responsible for the source address 192.168.100.1 has been contacted." \
	    "$tmp/b.txt"
	expect_grep "draft to B: what was passed on" \
	    "Passed on to the site responsible for the source address 192.168.100.1: 1 finding(s), 2 log line(s)" \
	    "$tmp/b.txt"
	subject "$b" >"$tmp/b.subject"
	for secret in asite "Site A" statd Hanako security@asite 192.168.100.0 \
	    "stepping stone" "/var/statmon"; do
		checks=$((checks + 1))
		# the file itself, not through a pipe: grep -q stops at a
		# match, and tr's SIGPIPE would turn the match into a miss
		if grep -qiF -- "$secret" "$tmp/b.txt" "$tmp/b.subject" "$b"; then
			fail "draft to B reveals '$secret' of A's report"
		fi
	done
	expect_eq "draft to B: subject of B's own report" "$(cat "$tmp/b.subject")" \
	    "[Incident #1] scanning"
	hub incident 1 >"$tmp/inc2.txt"
	expect_eq "notify: each draft recorded" \
	    "$(grep -c 'draft written' "$tmp/inc2.txt")" 2

	hub notify 1 --outbox "$tmp/outbox-ja" >/dev/null
	subject "$tmp/outbox-ja/incident-1-asite.eml" >"$tmp/a.subject"
	expect_eq "notify: A's language, RFC 2047 subject" "$(cat "$tmp/a.subject")" \
	    "[インシデント #1] 踏み台"
	text_part "$tmp/outbox-ja/incident-1-asite.eml" >"$tmp/a-ja.txt"
	expect_grep "notify: Japanese text" "貴サイトのネットワーク 192.168.100.0/24 内にあります" \
	    "$tmp/a-ja.txt"
	expect_grep "notify: Japanese, the attachment said" \
	    "この報告のうち貴サイトにお伝えできる部分を IODEF 形式で添付します。" \
	    "$tmp/a-ja.txt"
}

check_iodef_and_findings() {
	db=$(fresh_db formats)
	hub ingest "$data/seed004/asite.json" "$data/seed004/bsite.iodef.xml" \
	    >/dev/null
	hub ingest --reporter "$data/seed004/bsite.yml" \
	    "$data/seed004/bsite.findings.jsonl" >"$tmp/f.out"
	expect_grep "findings JSONL with a profile" \
	    "report 3 (findings, 1 findings, 2 elements, 2 indicators), incident 1" \
	    "$tmp/f.out"
	hub --format jsonl related 2 >"$tmp/rel.jsonl"
	expect_eq "IODEF: B links to A as a stepping stone" \
	    "$(jq -c 'select(.report == 1) | [.why, .network]' "$tmp/rel.jsonl")" \
	    '["stepping-stone","192.168.100.0/24"]'
	hub notify 1 --outbox "$tmp/ob" --lang en >/dev/null
	attachment "$tmp/ob/incident-1-asite.eml" report-2.xml >"$tmp/att.xml"
	checks=$((checks + 1))
	cmp -s "$tmp/att.xml" "$data/seed004/bsite.iodef.xml" ||
		fail "the draft to A does not carry B's IODEF as it came"
	checks=$((checks + 1))
	! grep -q 'filename="report-1' "$tmp/ob/incident-1-bsite.eml" ||
		fail "A's report attached to B's draft"
	expect_eq "each of B's reports attached to A's draft" \
	    "$(attachments "$tmp/ob/incident-1-asite.eml")" "report-2.xml
report-3.xml"
	attachment "$tmp/ob/incident-1-asite.eml" report-3.xml >"$tmp/att3.xml"
	valid_iodef "findings JSONL: its attachment written anew" "$tmp/att3.xml"
	expect_eq "findings JSONL: the evidence as log lines" \
	    "$(record_items "$tmp/att3.xml" | wc -l)" 2
	printf '{"rule":"r","title":"flat","classification.taxonomy":"information-gathering","classification.type":"scanner","severity":"low","host.name":"h","source.ip":"192.0.2.200","first_seen":"2026-01-10T10:00:00+09:00","last_seen":"2026-01-10T10:00:00+09:00","count":1,"evidence":[]}\nnot json\n' \
	    >"$tmp/flat.jsonl"
	profile flat
	hub ingest --reporter "$tmp/flat.yml" "$tmp/flat.jsonl" >"$tmp/flat.out" \
	    2>"$tmp/flat.err"
	expect_grep "flat dotted keys" "(findings, 1 findings, 2 elements, 2 indicators)" \
	    "$tmp/flat.out"
	expect_grep "an unparsed line is counted" "1 parts not understood" \
	    "$tmp/flat.err"
}

# attached_to_a NAME FILE: FILE as site B's report beside A's, in a new
# database NAME; the IODEF attached to the draft to A, validated, is
# left in $tmp/NAME.xml.
attached_to_a() {
	db=$(fresh_db "$1")
	hub ingest "$data/seed004/asite.json" "$2" >/dev/null
	hub notify 1 --outbox "$tmp/ob-$1" --lang en >/dev/null
	attachment "$tmp/ob-$1/incident-1-asite.eml" report-2.xml >"$tmp/$1.xml"
	valid_iodef "$1: the attachment" "$tmp/$1.xml"
}

# Something of a report withheld from the recipient: the attachment is
# written anew from only what it may see, and names nobody it may not.
check_iodef_withheld() {
	jq '.reporter.contact.tlp = "RED" | .findings[0].tlp = "RED" |
	    .excerpts[1].tlp = "AMBER+STRICT" | .systems[1].tlp = "AMBER" |
	    .findings += [{"rule": "bare", "title": "a bare finding"}]' \
	    "$data/seed004/bsite.json" >"$tmp/bsite-part.json"
	attached_to_a withheld "$tmp/bsite-part.json"
	text_part "$tmp/ob-withheld/incident-1-asite.eml" >"$tmp/withheld.txt"
	expect_grep "withheld: what the attachment could not hold is said" \
	    "1 of its elements could not be put in the attachment; this message holds them." \
	    "$tmp/withheld.txt"
	expect_grep "withheld: ... and the text holds it" "  - a bare finding" \
	    "$tmp/withheld.txt"
	expect_eq "withheld: only the CLEAR log line" \
	    "$(record_items "$tmp/withheld.xml")" \
	    "Jun 23 12:34:00 bsite telnetd[12]: connect from 192.168.100.1"
	expect_grep "withheld: the AMBER target, for the source's owner" \
	    '<System category="target" restriction="need-to-know">' \
	    "$tmp/withheld.xml"
	expect_grep "withheld: the reporter not named" \
	    "<ContactName>another site</ContactName>" "$tmp/withheld.xml"
	for secret in "Site B" Jiro abuse@ +81 "<Method" "a scan" popper bare; do
		checks=$((checks + 1))
		! grep -qF -- "$secret" "$tmp/withheld.xml" ||
			fail "withheld: the attachment holds '$secret'"
	done

	# an IODEF report with a private record: written anew, its systems
	# as the hub stored them
	sed 's|<RecordData>|<RecordData restriction="private">|' \
	    "$data/seed004/bsite.iodef.xml" >"$tmp/bsite-part.xml"
	attached_to_a withheld_iodef "$tmp/bsite-part.xml"
	expect_eq "withheld IODEF: no log line" \
	    "$(record_items "$tmp/withheld_iodef.xml")" ""
	expect_eq "withheld IODEF: the systems" \
	    "$(grep -o '<Address category="ipv4-addr">[^<]*</Address>\|<Port>[0-9]*</Port>' \
	    "$tmp/withheld_iodef.xml")" \
	    '<Address category="ipv4-addr">192.168.100.1</Address>
<Address category="ipv4-addr">172.16.5.10</Address>
<Port>23</Port>'
}

# A report longer than a draft reads (500 elements) is never attached as
# it came: what was not read may be private, as this one's end is.
check_iodef_clipped() {
	{
		printf '<?xml version="1.0" encoding="UTF-8"?>\n'
		printf '<IODEF-Document version="2.00" xmlns="urn:ietf:params:xml:ns:iodef-2.0">'
		printf '<Incident purpose="reporting" restriction="public">'
		printf '<IncidentID name="csite">c-1</IncidentID>'
		printf '<ReportTime>1999-06-23T13:00:00+09:00</ReportTime>'
		printf '<GenerationTime>1999-06-23T13:00:00+09:00</GenerationTime>'
		printf '<Contact role="creator" type="organization"><ContactName>Site C</ContactName>'
		printf '<Email><EmailTo>sec@csite.example</EmailTo></Email></Contact>'
		printf '<EventData><Flow><System category="source"><Node>'
		printf '<Address category="ipv4-addr">192.168.100.1</Address></Node></System>'
		printf '<System category="target"><Node>'
		printf '<Address category="ipv4-addr">172.16.9.10</Address></Node></System></Flow>'
		printf '<Record><RecordData><RecordItem dtype="string">'
		seq -f 'connect %g from 192.168.100.1' 520
		printf '</RecordItem></RecordData></Record><EventData restriction="private">'
		printf '<Description>the secret plan of site C</Description></EventData>'
		printf '</EventData></Incident></IODEF-Document>\n'
	} >"$tmp/c-long.xml"
	valid_iodef "clipped: the report as C sent it" "$tmp/c-long.xml"
	attached_to_a clipped "$tmp/c-long.xml"
	expect_eq "clipped: the elements read written anew (2 systems, 498 lines)" \
	    "$(record_items "$tmp/clipped.xml" | wc -l)" 498
	checks=$((checks + 1))
	! grep -qF "secret plan" "$tmp/clipped.xml" ||
		fail "clipped: the private end of C's report attached"
}

check_noise() {
	db=$(fresh_db noise)
	for s in n1 n2 n3; do
		profile $s
		{ finding 8.8.8.8; finding 192.0.2.9; finding 203.0.113.50 scanner.shodan.io
		  finding 100.64.1.1; finding 198.18.0.7; } >"$tmp/$s.jsonl"
		hub ingest --reporter "$tmp/$s.yml" "$tmp/$s.jsonl" >/dev/null
	done
	printf '198.18.0.0/15  benchmarking range # local\n' >"$tmp/wl"
	hub --warninglist "$tmp/wl" related 1 >"$tmp/noise.txt"
	expect_eq "noise: nothing links" "$(grep -c '^  report' "$tmp/noise.txt")" 0
	expect_grep "noise: resolver" "not linked: 8.8.8.8: public resolver" "$tmp/noise.txt"
	expect_grep "noise: documentation range" \
	    "not linked: 192.0.2.9: documentation range: links only within one site" \
	    "$tmp/noise.txt"
	expect_grep "noise: scanner domain" \
	    "not linked: scanner.shodan.io: research scanner" "$tmp/noise.txt"
	expect_grep "noise: user warninglist" \
	    "not linked: 198.18.0.7: benchmarking range" "$tmp/noise.txt"
	hub related 1 >"$tmp/nowl.txt"
	expect_grep "noise: without the file it links" \
	    "same-source  same source address 198.18.0.7" "$tmp/nowl.txt"
	hub --max-links 1 related 1 >"$tmp/cap.txt"
	expect_grep "noise: the cap" \
	    "not linked: 198.18.0.7: would link 2 reports, more than the cap of 1" \
	    "$tmp/cap.txt"

	# the weaker link: the same /24, only within the window
	db=$(fresh_db weak)
	profile w1
	profile w2
	profile w3
	finding 11.1.1.1 >"$tmp/w1.jsonl"
	finding 11.1.1.2 "" 2026-01-12T10:00:00+09:00 >"$tmp/w2.jsonl"
	finding 11.1.1.3 "" 2026-03-01T10:00:00+09:00 >"$tmp/w3.jsonl"
	for s in w1 w2 w3; do
		hub ingest --reporter "$tmp/$s.yml" "$tmp/$s.jsonl" >/dev/null
	done
	hub related 1 >"$tmp/weak.txt"
	expect_eq "weak: same network within the window, marked weaker" \
	    "$(cat "$tmp/weak.txt")" "weaker:
  report 2  w2  same-network  same network 11.1.1.0/24 (weaker)"
	hub --window 1d related 1 >"$tmp/weak1d.txt"
	expect_eq "weak: outside a narrower window" "$(cat "$tmp/weak1d.txt")" \
	    "no related report"
	expect_eq "weak: no incident from a weak link" \
	    "$(hub incidents | wc -l)" 3

	# free text never links: an address only inside a log line
	profile t1
	profile t2
	printf '{"rule":"r","title":"t","classification":{"taxonomy":"other","type":"other"},"severity":"low","host":{"name":"h"},"first_seen":"2026-01-10T10:00:00+09:00","last_seen":"2026-01-10T10:00:00+09:00","count":1,"evidence":[{"path":"x","line":1,"text":"connect from 198.18.0.7"}]}\n' \
	    >"$tmp/t1.jsonl"
	hub ingest --reporter "$tmp/t1.yml" "$tmp/t1.jsonl" >"$tmp/t1.out"
	id=$(sed -n 's/.*: report \([0-9]*\) .*/\1/p' "$tmp/t1.out")
	hub related "$id" >"$tmp/free.txt"
	expect_eq "free text: no link" "$(cat "$tmp/free.txt")" "no related report"
}

check_stats() {
	db=$(fresh_db seed001)
	local d=$data/seed001
	hub ingest "$d"/0[1235-9]-* >/dev/null
	hub ingest --reporter "$d/04-monthly.yml" "$d/04-scan-monthly.findings.jsonl" \
	    >/dev/null
	hub stats --month 1999-05 --tz Asia/Tokyo --lang en >"$tmp/stats.txt"
	expect_grep "stats: received" "Reports received: 9, incidents: 9, coordinations: 0" \
	    "$tmp/stats.txt"
	expect_eq "stats: seed 001's breakdown" \
	    "$(grep '^([0-9])' "$tmp/stats.txt")" \
	    "(1) Scanning: 5
(2) Spam relay: 1
(3) Intrusion / stepping stone: 2
(4) Web defacement: 1"
	expect_grep "stats: JPCERT and RSIT labels" \
	    "  スキャン  Scanning  information-gathering/scanner  5" "$tmp/stats.txt"
	expect_grep "stats: a case summary" \
	    "Case 1: Connections to the pop3 and telnet ports (a scan) (12 events, 1999-05-03 .. 1999-05-03). No actual damage." \
	    "$tmp/stats.txt"
	expect_grep "stats: need-to-know words stay out" \
	    "Case 1: Intrusion (1 events, 1999-05-20 .. 1999-05-21). There was damage." \
	    "$tmp/stats.txt"
	expect_grep "stats: the month in the trend" \
	    "  1999-05    9 Scanning 5 Intrusion 1 Stepping stone 1 Spam relay 1 Web defacement 1" \
	    "$tmp/stats.txt"
	hub stats --month 1999-05 --tz Asia/Tokyo >"$tmp/stats-ja.txt"
	expect_grep "stats: Japanese" "(3) 不正侵入・踏み台: 2 件" "$tmp/stats-ja.txt"
	hub stats --month 1999-05 --tz Asia/Tokyo --format markdown >"$tmp/stats.md"
	expect_grep "stats: Markdown table" "| スキャン | Scanning | information-gathering/scanner | 5 |" \
	    "$tmp/stats.md"
	hub stats --month 1999-05 --tz Asia/Tokyo --format html >"$tmp/stats.html"
	expect_grep "stats: inline SVG" '<svg xmlns="http://www.w3.org/2000/svg"' \
	    "$tmp/stats.html"
	expect_grep "stats: the bar of May" "<title>1999-05 スキャン: 5</title>" \
	    "$tmp/stats.html"
	hub stats --from 1999-05-01 --to 1999-05-10 --tz Asia/Tokyo --lang en \
	    >"$tmp/range.txt"
	expect_grep "stats: --from/--to" "Reports received: 2," "$tmp/range.txt"
}

check_bad_input() {
	db=$(fresh_db bad)
	printf '<IODEF-Document xmlns="urn:ietf:params:xml:ns:iodef-2.0"/>' >"$tmp/empty.xml"
	printf '{"Version":"3","Report":{}}' >"$tmp/x.json"
	printf '<!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]><IODEF-Document xmlns="urn:ietf:params:xml:ns:iodef-2.0"><Incident purpose="reporting"><IncidentID name="x">&e;</IncidentID></Incident></IODEF-Document>' \
	    >"$tmp/xxe.xml"
	for f in empty.xml x.json xxe.xml; do
		expect_rc "bad input $f" 2 hub ingest "$tmp/$f" 2>"$tmp/err"
	done
	expect_grep "an XML entity is not read" "names no contact address" "$tmp/err"
	checks=$((checks + 1))
	! grep -q 'root:' "$tmp/err" || fail "an external entity was read"
	expect_rc "no such report" 2 hub related 99 2>/dev/null
	expect_rc "not an address or report" 2 hub related nonsense 2>/dev/null
	expect_rc "unknown subcommand" 2 hub frobnicate 2>/dev/null
}

run_hub_suite() {
	check_seed004
	check_iodef_and_findings
	check_iodef_withheld
	check_iodef_clipped
	check_noise
	check_stats
	check_bad_input
}
