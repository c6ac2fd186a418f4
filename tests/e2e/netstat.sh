#!/usr/bin/env bash
# netstat.sh - `kansatsu netstat` on saved listings: the seed 000 reading
# (intruder, stepping-stone scan with its targets, the .isr POP3 session,
# the admin's own session), the seed 002 listings read whole with their
# listeners and programs, and one listing of each other layout (ss,
# lsof, Solaris, BSD, Japanese headers), each with its exact findings.
. "$KS_E2E/lib.sh"

k=$KANSATSU
d=$KS_TESTDATA/netstat
proj='[.rule, .severity, (.source.ip // .source.domain), .source.port,
  .source.geo.country_iso_code, .source.as.number,
  (.destination.ip // .destination.domain), .destination.port,
  .destination.geo.country_iso_code, .process.pid, .process.name, .count]'

# findings FILE: one compact line per finding, most severe first.
findings() {
	local rc=0
	"$k" netstat -q --format jsonl "$@" >"$tmp/f.jsonl" || rc=$?
	[ "$rc" -le 1 ] || fail "netstat $*: exit $rc"
	jq -c "$proj" "$tmp/f.jsonl"
}

# ---- seed 000 -------------------------------------------------------------
expect_eq "seed 000 findings" "$(findings "$d/seed000-srv01-netstat.txt")" \
'["net-intruder-session","high","192.114.85.56",2349,"IL",12400,"srv01.ash.or.jp",23,null,null,null,1]
["net-outbound-scan","high","192.114.85.56",null,"IL",12400,null,23,null,null,null,13]
["net-mail-outside","medium","d195.pop135-2.isr",1523,null,null,"srv01.ash.or.jp",110,null,null,null,1]
["net-remote-official","medium","navy.mil",null,null,null,null,null,null,null,null,1]
["net-scan-targets","medium",null,null,null,null,"arl.mil",null,null,null,null,13]
["net-scan-targets","medium",null,null,null,null,"140.47.242.36",null,"US",null,null,1]
["net-login-local","info","pc27.ash.or.jp",2024,null,null,"srv01.ash.or.jp",23,null,null,null,1]'
f=$tmp/f.jsonl
expect_eq "seed 000 host" "$(jq -r '.host.name' "$f" | sort -u)" "srv01"
expect_eq "intruder attributed" \
	"$(jq -c 'select(.rule == "net-intruder-session") | [.source.as.organization.name, .source.network.cidr, .source.geo.country_name, .classification.type]' "$f")" \
	'["Partner Communications Ltd.","192.114.84.0/23","Israel","system-compromise"]'
expect_eq "stepping stone" \
	"$(jq -r 'select(.rule == "net-outbound-scan") | .message, .kansatsu.targets, .kansatsu.target_count, .classification.type' "$f")" \
"srv01 connects to 9 hosts on telnet while 192.114.85.56 is logged in from outside over telnet
140.47.242.36, cardassian.arl., casino.arl.mil, casino16.arl.mi, casino9.arl.mil, casper.arl.mil, cassy.arl.mil, cauchy.arl.mil, cb02.arl.mil
9
system-compromise"
expect_eq "scan evidence in listing order" \
	"$(jq -r 'select(.rule == "net-outbound-scan") | [.evidence[].line] | map(tostring) | join(" ")' "$f")" \
	"2 3 4 5 6 7 8 9 13 14 15 16 17"
expect_eq "arl.mil targets, cut names included" \
	"$(jq -r 'select(.rule == "net-scan-targets" and .destination.domain == "arl.mil") | .message, .kansatsu.targets' "$f")" \
"9 hosts in arl.mil (US military), 8 of them scanned from here on telnet
bubba.arl.mil, cardassian.arl., casino.arl.mil, casino16.arl.mi, casino9.arl.mil, casper.arl.mil, cassy.arl.mil, cauchy.arl.mil, cb02.arl.mil"
expect_eq "140.47.242.36 attributed" \
	"$(jq -c 'select(.destination.ip == "140.47.242.36") | [.destination.as.number, .destination.network.cidr, .message]' "$f")" \
	'[5831,"140.47.0.0/16","1 host in 140.47.0.0/16 (US United States of America, AS5831, network 140.47.0.0/16), scanned from here on telnet"]'
expect_eq "the .isr dial-up POP3 session" \
	"$(jq -r 'select(.rule == "net-mail-outside") | .message' "$f")" \
	"pop3 session from d195.pop135-2.isr (a name the listing cut short), from outside the local networks; the name is a dial-up pool's; its domain is not known"
expect_eq "the admin's own session" \
	"$(jq -r 'select(.rule == "net-login-local") | .message' "$f")" \
	"telnet session from pc27.ash.or.jp, inside this host's own domain ash.or.jp: likely the administrator's own"
expect_rc "seed 000 fails at high" 1 "$k" netstat -q "$d/seed000-srv01-netstat.txt" >/dev/null
expect_rc "seed 000 passes --fail-on critical" 0 "$k" netstat -q --fail-on critical "$d/seed000-srv01-netstat.txt" >/dev/null

# ---- seed 002: every line read, listeners and their programs ----------------
for s in seed002-school-netstat-an seed002-school-netstat-lp seed002-school-lsof-i seed002-yh-netstat-an; do
	"$k" netstat --show --format jsonl "$d/$s.txt" >"$tmp/s.jsonl" 2>"$tmp/err"
	expect_grep "$s: zero unknown" ", 0 unknown" "$tmp/err"
done
"$k" netstat --show --format jsonl -q "$d/seed002-school-netstat-lp.txt" >"$tmp/lp.jsonl"
expect_eq "netstat -lp listeners" \
	"$(jq -r 'select(.state == "LISTEN") | "\(.proto) \(.local.port) \(.pid) \(.program)"' "$tmp/lp.jsonl")" \
"tcp 139 455 smbd
tcp 5432 447 postmaster
tcp 80 438 httpd
tcp 22 399 sshd
tcp 21 390 inetd
unix null 447 postmaster"
expect_eq "netstat -lp: raw rows with an en dash for no program" \
	"$(jq -c 'select(.proto == "raw") | [.protocol, .pid]' "$tmp/lp.jsonl")" '[1,null]
[6,null]'
"$k" netstat --show --format jsonl -q "$d/seed002-school-lsof-i.txt" >"$tmp/lsof.jsonl"
expect_eq "lsof -i listeners" \
	"$(jq -r 'select(.state == "LISTEN") | "\(.local.port) \(.pid) \(.program) \(.user)"' "$tmp/lsof.jsonl" | sort -n | uniq)" \
"21 390 inetd root
22 399 sshd root
80 438 httpd root
80 441 httpd nobody
80 442 httpd nobody
80 443 httpd nobody
80 444 httpd nobody
80 445 httpd nobody
139 455 smbd root
5432 447 postmaste postgres"
"$k" netstat --show --format jsonl -q "$d/seed002-yh-netstat-an.txt" >"$tmp/yh.jsonl"
expect_eq "Japanese headers: listeners" \
	"$(jq -r 'select(.state == "LISTEN") | .local.port' "$tmp/yh.jsonl" | tr '\n' ' ')" \
	"8007 139 8080 80 21 22 5432 25 "
expect_eq "seed 002 findings (school -an)" "$(findings "$d/seed002-school-netstat-an.txt")" \
'["net-raw-unowned","low",null,null,null,null,null,null,null,null,null,1]
["net-raw-unowned","low",null,null,null,null,null,null,null,null,null,1]
["net-login-local","info","192.168.0.27",62571,null,null,"192.168.0.42",22,null,null,null,1]'
expect_eq "seed 002 findings (yh -an)" "$(findings "$d/seed002-yh-netstat-an.txt")" \
'["net-listener-unusual","low",null,null,null,null,null,8007,null,null,null,1]
["net-login-local","info","192.168.0.27",62409,null,null,"192.168.0.43",22,null,null,null,1]'

# ---- other layouts -----------------------------------------------------------
expect_eq "ss -tanp" "$(findings "$d/ss-tanp.txt")" \
'["net-login-outside","medium","192.114.85.56",40112,"IL",12400,"192.168.1.10",22,null,5120,"sshd",1]
["net-listener-unusual","low",null,null,null,null,null,31337,null,4242,"bind shell",1]
["net-login-local","info","192.168.1.77",53122,null,null,"192.168.1.10",22,null,5001,"sshd",1]'
expect_eq "ss -tulpn" "$(findings "$d/ss-tulpn.txt")" \
'["net-listener-unusual","low",null,null,null,null,null,5555,null,7007,"udpdoor",1]'
expect_eq "ss packet sockets: NetworkManager and dhclient are no sniffers" "$(findings "$d/ss-packet.txt")" \
'["net-packet-sniffer","high",null,null,null,null,null,null,null,31337,"ksniff",1]
["net-raw-socket","medium",null,null,null,null,null,null,null,8200,"rawdoor",1]'
expect_eq "lsof -i" "$(findings "$d/lsof-i.txt")" \
'["net-login-outside","medium","192.114.85.56",40112,"IL",12400,"web1.example.net",22,null,5120,"sshd",1]
["net-listener-unusual","low",null,null,null,null,null,4444,null,9001,"nc",1]'
expect_eq "Solaris" "$(findings "$d/solaris-netstat-an.txt")" \
'["net-login-outside","medium","192.114.85.56",1047,"IL",12400,"192.168.5.20",23,null,null,null,1]
["net-listener-unusual","low",null,null,null,null,null,1524,null,null,null,1]'
expect_eq "BSD: a spam run from here" "$(findings "$d/bsd-netstat-an.txt")" \
'["net-intruder-session","high","192.114.85.56",51234,"IL",12400,"192.0.2.15",22,null,null,null,1]
["net-outbound-scan","high","192.114.85.56",null,"IL",12400,null,25,null,null,null,5]'
expect_eq "BSD host from the local address" "$(jq -r .host.name "$tmp/f.jsonl" | sort -u)" "192.0.2.15"
expect_eq "Japanese netstat -anp" "$(findings "$d/ja-netstat-anp.txt")" \
'["net-login-outside","medium","192.114.85.56",3312,"IL",12400,"10.0.0.5",22,null,3001,"sshd: root@pts",1]
["net-listener-unusual","low",null,null,null,null,null,12345,null,2400,".x",1]'
expect_eq "Japanese host from the prompt" "$(jq -r .host.name "$tmp/f.jsonl" | sort -u)" "web2"
expect_eq "netstat -ae" "$(findings "$d/netstat-ae.txt")" \
'["net-listener-unusual","low",null,null,null,null,null,31337,null,4242,"bindshell",1]
["net-login-local","info","192.168.1.77",53122,null,null,"192.168.1.10",22,null,5001,"sshd: alice [p",1]
["net-login-local","info","192.168.1.78",53999,null,null,"192.168.1.10",22,null,5009,"sshd",1]'
for f in ss-tanp ss-tulpn ss-packet lsof-i solaris-netstat-an bsd-netstat-an ja-netstat-anp netstat-ae; do
	"$k" netstat --show "$d/$f.txt" >/dev/null 2>"$tmp/err"
	expect_grep "$f: zero unknown" ", 0 unknown" "$tmp/err"
done
"$k" netstat --show --format jsonl -q "$d/ja-netstat-anp.txt" >"$tmp/ja.jsonl"
expect_eq "Japanese unix section" "$(jq -c 'select(.proto == "unix") | [.state, .inode, .pid, .program, .path]' "$tmp/ja.jsonl")" \
'["LISTEN",15000,1,"systemd","/run/systemd/private"]
["OTHER",16000,1021,"sshd",null]
["",17000,800,"dhclient","/run/my socket"]'

# ---- forced layouts, unknown lines, bad input --------------------------------
expect_eq "--input-format ss on a netstat listing" \
	"$("$k" netstat --show --input-format ss "$d/seed002-school-netstat-an.txt" 2>&1 >/dev/null)" \
	"kansatsu: $d/seed002-school-netstat-an.txt: 21 lines, 0 sockets, 16 unknown
  (--show-unparsed prints the unknown lines)"
"$k" netstat --show-unparsed --format jsonl "$d/unknown.txt" >"$tmp/u.jsonl" 2>"$tmp/err"
expect_eq "unknown lines counted and shown escaped" "$(cat "$tmp/err")" \
"unknown $d/unknown.txt:4: this line is not a socket
unknown $d/unknown.txt:5: tcp 0 0 0.0.0.0:22
unknown $d/unknown.txt:6: tcp x y 1.2.3.4:5 6.7.8.9:10 ESTABLISHED
unknown $d/unknown.txt:7: tcp 0 0 1.2.3.4:5 6.7.8.9:10 ESTABLISHED bogus/extra/tok ens
unknown $d/unknown.txt:8: --More--
unknown $d/unknown.txt:9: \\e[31mred\\e[0m
kansatsu: $d/unknown.txt: 11 lines, 2 sockets, 6 unknown, 1 too long (over 4096 bytes)"
expect_eq "the line after the long one is read" "$(jq -r '.evidence[0].line' "$tmp/u.jsonl")" 11
expect_eq "stdin" "$("$k" netstat -q --show --format jsonl - <"$d/ss-tulpn.txt" | jq -s length)" 7
expect_rc "missing file" 2 "$k" netstat "$tmp/nope" 2>"$tmp/err"
expect_grep "missing file named" "$tmp/nope: No such file or directory" "$tmp/err"
expect_rc "directory" 2 "$k" netstat "$d" 2>/dev/null
expect_rc "two files" 2 "$k" netstat "$d/ss-tanp.txt" "$d/lsof-i.txt" 2>/dev/null
expect_rc "bad --local" 2 "$k" netstat --local 10.0.0.0/99 "$d/ss-tanp.txt" 2>/dev/null
expect_rc "bad --input-format" 2 "$k" netstat --input-format x "$d/ss-tanp.txt" 2>/dev/null

# ---- options: local networks, domain, host ------------------------------------
expect_eq "--local makes the session the admin's own" \
	"$("$k" netstat -q --format jsonl --local 192.114.84.0/23 "$d/ss-tanp.txt" | jq -r 'select(.source.ip == "192.114.85.56") | .rule')" \
	"net-login-local"
expect_eq "--hostname" "$("$k" netstat -q --format jsonl --hostname mailhub "$d/ss-tulpn.txt" | jq -r .host.name)" "mailhub"
expect_eq "no database: a notice, findings unattributed" \
	"$("$k" netstat --format jsonl --location-db "$tmp/none.db" "$d/seed000-srv01-netstat.txt" 2>"$tmp/err" | jq -r 'select(.rule == "net-intruder-session") | .source.geo // "none"')" "none"
expect_grep "notice" "no location database at $tmp/none.db" "$tmp/err"

done_ok
