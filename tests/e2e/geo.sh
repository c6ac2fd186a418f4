#!/usr/bin/env bash
# geo.sh - offline attribution: `kansatsu whois` on the seed 000 addresses
# as the packaged database (0~20221029) has them, special-purpose labels,
# bad input, a missing database (a notice, never an error), and the
# attributes `kansatsu logs` puts on its findings.
. "$KS_E2E/lib.sh"

k=$KANSATSU

expect_eq "whois text" "$("$k" whois 192.114.85.56 140.47.242.36 192.168.0.27 2001:db8::5)" \
"192.114.85.56  IL Israel, AS12400 Partner Communications Ltd., network 192.114.84.0/23
140.47.242.36  US United States of America, AS5831, network 140.47.0.0/16
192.168.0.27  private address
2001:db8::5  documentation address"

expect_eq "whois jsonl" "$("$k" whois --format jsonl 192.114.85.56 127.0.0.1 | jq -c .)" \
'{"ip":"192.114.85.56","geo":{"country_iso_code":"IL","country_name":"Israel"},"as":{"number":12400,"organization":{"name":"Partner Communications Ltd."}},"network":{"cidr":"192.114.84.0/23"}}
{"ip":"127.0.0.1","network":{"scope":"loopback"}}'

expect_eq "whois stdin" "$(printf '8.8.8.8\n\n140.47.242.36\n' | "$k" whois --format jsonl - | jq -r '[.ip, .geo.country_iso_code, .network.flags // ""] | @tsv')" \
"8.8.8.8	US	anycast
140.47.242.36	US	"

expect_rc "whois bad address" 2 "$k" whois 192.114.85.56 'no$such' 2>"$tmp/err"
expect_grep "bad address named" "'no\$such' is not an IP address" "$tmp/err"
expect_rc "whois bad line on stdin" 2 sh -c "printf '1.2.3.4\nx\033y\n' | '$k' whois - >'$tmp/out' 2>'$tmp/err'"
expect_grep "escaped and numbered" "stdin:2: 'x\\ey' is not an IP address" "$tmp/err"

expect_rc "whois without a database" 0 "$k" whois --location-db "$tmp/none.db" 192.114.85.56 10.1.1.1 >"$tmp/out" 2>"$tmp/err"
expect_eq "one-line notice" "$(wc -l <"$tmp/err")" 1
expect_eq "labels without a database" "$(cat "$tmp/out")" "192.114.85.56  not attributed (no location database)
10.1.1.1  private address"
expect_grep "notice says why" "addresses are not attributed" "$tmp/err"

log=$KS_TESTDATA/geo/failed-root-from-il.log
expect_rc "logs" 1 "$k" logs -q --format jsonl "$log" >"$tmp/f.jsonl"
expect_eq "logs findings attributed" "$(jq -c '[.rule, .source.ip, .source.geo.country_iso_code, .source.as.number, .source.as.organization.name, .source.network.cidr]' "$tmp/f.jsonl" | sort -u)" \
'["remote-root-logon-failed","192.114.85.56","IL",12400,"Partner Communications Ltd.","192.114.84.0/23"]'

expect_rc "logs without a database" 1 "$k" logs --format jsonl --location-db "$tmp/none.db" "$log" >"$tmp/f.jsonl" 2>"$tmp/err"
expect_grep "logs notice" "no location database at $tmp/none.db" "$tmp/err"
expect_eq "no attribution" "$(jq -c '.source' "$tmp/f.jsonl" | sort -u)" '{"ip":"192.114.85.56","port":62531}'

done_ok
