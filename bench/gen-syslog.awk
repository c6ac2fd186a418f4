# gen-syslog.awk - writes a realistic, reproducible syslog file for the
# benchmark: a mail and web server's day-to-day traffic with a steady
# background of SSH password guessing.
#
#   mawk -v lines=2000000 [-v seed=1] -f bench/gen-syslog.awk > FILE
#
# Every line carries a header kansatsu frames, in the mix a real
# /var/log collects over the years:
#   ~60% RFC 3164    "Jan 20 12:58:29 host prog[pid]: msg"
#   ~30% RFC 3339    "2026-11-21T23:49:45.123456+09:00 host prog[pid]: msg"
#    ~7% RFC 5424    "<34>1 2026-11-21T23:49:45.003+09:00 host prog 123 - - msg"
#    ~3% Apache      combined access log lines
# Messages come from sshd, sendmail, postfix, CRON, the kernel, su, sudo,
# named and systemd, with IPv4 and IPv6 peers, ports, users and queue ids.
# Only awk built-ins are used, so mawk (in Debian's minbase) runs it.

BEGIN {
	if (lines == "") lines = 2000000
	if (seed == "") seed = 1
	srand(seed)

	split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", MON, " ")
	split("31 28 31 30 31 30 31 31 30 31 30 31", MDAYS, " ")
	split("mailhost web01 srv01 gw ns1", HOSTS, " ");                    NHOSTS = 5
	split("root admin test oracle guest user postgres ubuntu pi git ftp www-data joe amishito mysql support", USERS, " "); NUSERS = 16
	split("alice bob carol dave", STAFF, " ");                           NSTAFF = 4
	split("example.org example.com example.net mail.example.jp relay.example.co.uk", DOMAINS, " "); NDOMAINS = 5
	split("www.example.com mail.example.org ns1.example.net example.jp updates.example.com time.example.org", QNAMES, " "); NQNAMES = 6
	split("A AAAA MX TXT PTR", QTYPES, " ");                            NQTYPES = 5
	split("/ /index.html /login.php /wp-login.php /cgi-bin/count.cgi /images/logo.png /robots.txt /api/v1/status /favicon.ico", PATHS, " "); NPATHS = 9
	split("200 200 200 200 304 404 404 301 403 500", STATUS, " ");       NSTATUS = 10
	split("GET GET GET GET POST HEAD", METHODS, " ");                    NMETHODS = 6
	UA[1] = "Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/118.0"
	UA[2] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0 Safari/537.36"
	UA[3] = "curl/7.88.1"
	UA[4] = "Googlebot/2.1 (+http://www.google.com/bot.html)"
	NUA = 4
	split("cron.hourly cron.daily cron.weekly", CRONS, " ")
	HEX = "0123456789abcdef"
	B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

	# The clock starts 2026-10-01 00:00:00 and moves ~1.1 s a line, so
	# 2M lines cover about a month.  It is the hosts' local time, +09:00
	# (Japan): RFC 3164 lines show it without a zone (read them with
	# --tz +09:00), the others with their offset, one clock throughout.
	year = 2026; mon = 10; day = 1; sod = 0

	for (i = 0; i < lines; i++) {
		sod += int(rand() * 3)
		if (sod >= 86400) {
			sod -= 86400
			if (++day > MDAYS[mon]) {
				day = 1
				if (++mon > 12) { mon = 1; year++ }
			}
		}
		hh = int(sod / 3600); mm = int(sod / 60) % 60; ss = sod % 60
		host = HOSTS[1 + int(rand() * NHOSTS)]
		msg_make()

		r = rand()
		if (r < 0.03) {
			# Apache combined access log
			printf "%s - - [%02d/%s/%d:%02d:%02d:%02d +0900] \"%s %s HTTP/1.1\" %s %d \"-\" \"%s\"\n",
			    ip4(), day, MON[mon], year, hh, mm, ss,
			    METHODS[1 + int(rand() * NMETHODS)], PATHS[1 + int(rand() * NPATHS)],
			    STATUS[1 + int(rand() * NSTATUS)], 200 + int(rand() * 40000),
			    UA[1 + int(rand() * NUA)]
		} else if (r < 0.10) {
			# RFC 5424
			printf "<%d>1 %d-%02d-%02dT%02d:%02d:%02d.%03d+09:00 %s %s %s - - %s\n",
			    PRI, year, mon, day, hh, mm, ss, int(rand() * 1000),
			    host, PROG, (PID == "" ? "-" : PID), MSG
		} else if (r < 0.40) {
			# RFC 3339 as rsyslog writes it
			printf "%d-%02d-%02dT%02d:%02d:%02d.%06d+09:00 %s %s%s: %s\n",
			    year, mon, day, hh, mm, ss, int(rand() * 1000000),
			    host, PROG, (PID == "" ? "" : "[" PID "]"), MSG
		} else {
			# RFC 3164
			printf "%s %2d %02d:%02d:%02d %s %s%s: %s\n",
			    MON[mon], day, hh, mm, ss,
			    host, PROG, (PID == "" ? "" : "[" PID "]"), MSG
		}
	}
	exit
}

function pick(n) { return 1 + int(rand() * n) }
function pid() { return 300 + int(rand() * 60000) }
function port() { return 1024 + int(rand() * 64000) }

function ip4() {
	return (1 + int(rand() * 222)) "." int(rand() * 256) "." int(rand() * 256) "." (1 + int(rand() * 254))
}

function ip6() {
	return sprintf("2001:db8:%x:%x::%x", int(rand() * 65536), int(rand() * 65536), 1 + int(rand() * 65535))
}

function peer() { return (rand() < 0.15) ? ip6() : ip4() }

function rnd(alphabet, n,    s, k, m) {
	s = ""; m = length(alphabet)
	for (k = 0; k < n; k++) s = s substr(alphabet, 1 + int(rand() * m), 1)
	return s
}

# A sendmail queue id of the 8.12+ form: "4ALEnj0Q012345".
function qid() { return rnd(B62, 8) sprintf("%06d", int(rand() * 1000000)) }

# Sets PROG, PID, PRI and MSG for one line.
function msg_make(    r, u, a) {
	r = rand()
	PID = pid()
	if (r < 0.40) {
		PROG = "sshd"; PRI = 38
		a = peer()
		r = rand()
		if (r < 0.35)
			MSG = "Failed password for " USERS[pick(NUSERS)] " from " a " port " port() " ssh2"
		else if (r < 0.55)
			MSG = "Failed password for invalid user " USERS[pick(NUSERS)] " from " a " port " port() " ssh2"
		else if (r < 0.70)
			MSG = "Invalid user " USERS[pick(NUSERS)] " from " a " port " port()
		else if (r < 0.82)
			MSG = "Disconnected from authenticating user root " a " port " port() " [preauth]"
		else if (r < 0.88)
			MSG = "Received disconnect from " a " port " port() ":11: Bye Bye [preauth]"
		else if (r < 0.94)
			MSG = "Accepted publickey for " STAFF[pick(NSTAFF)] " from " a " port " port() " ssh2: ED25519 SHA256:" rnd(B62, 43)
		else if (r < 0.97)
			MSG = "Accepted password for " STAFF[pick(NSTAFF)] " from " a " port " port() " ssh2"
		else
			MSG = "pam_unix(sshd:session): session opened for user " STAFF[pick(NSTAFF)] "(uid=1000) by (uid=0)"
	} else if (r < 0.52) {
		PROG = "sendmail"; PRI = 22
		if (rand() < 0.5)
			MSG = qid() ": from=<" USERS[pick(NUSERS)] "@" DOMAINS[pick(NDOMAINS)] ">, size=" (300 + int(rand() * 90000)) ", class=0, nrcpts=1, msgid=<" rnd(B62, 12) "@" DOMAINS[pick(NDOMAINS)] ">, proto=ESMTP, daemon=MTA, relay=" DOMAINS[pick(NDOMAINS)] " [" ip4() "]"
		else
			MSG = qid() ": to=<" STAFF[pick(NSTAFF)] "@mailhost.example.jp>, ctladdr=<" STAFF[pick(NSTAFF)] "@mailhost.example.jp> (1000/1000), delay=00:00:0" int(rand() * 10) ", xdelay=00:00:00, mailer=local, pri=" (30000 + int(rand() * 90000)) ", dsn=2.0.0, stat=Sent"
	} else if (r < 0.62) {
		PROG = "postfix/smtpd"; PRI = 22
		a = ip4(); r = rand()
		if (r < 0.35)
			MSG = "connect from unknown[" a "]"
		else if (r < 0.65)
			MSG = "disconnect from unknown[" a "] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4"
		else
			MSG = "NOQUEUE: reject: RCPT from unknown[" a "]: 554 5.7.1 <" USERS[pick(NUSERS)] "@" DOMAINS[pick(NDOMAINS)] ">: Relay access denied; from=<spam@" DOMAINS[pick(NDOMAINS)] "> to=<" USERS[pick(NUSERS)] "@" DOMAINS[pick(NDOMAINS)] "> proto=ESMTP helo=<" rnd(B62, 6) ">"
	} else if (r < 0.70) {
		PROG = "CRON"; PRI = 78
		if (rand() < 0.5)
			MSG = "(root) CMD (   cd / && run-parts --report /etc/" CRONS[pick(3)] ")"
		else
			MSG = "pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)"
	} else if (r < 0.78) {
		PROG = "kernel"; PID = ""; PRI = 4
		if (rand() < 0.7)
			MSG = sprintf("[%d.%06d] IN=eth0 OUT= MAC=52:54:00:%02x:%02x:%02x SRC=%s DST=192.0.2.10 LEN=60 TOS=0x00 PREC=0x00 TTL=%d ID=%d DF PROTO=TCP SPT=%d DPT=%d WINDOW=64240 RES=0x00 SYN URGP=0",
			    int(rand() * 3000000), int(rand() * 1000000), int(rand() * 256), int(rand() * 256), int(rand() * 256),
			    ip4(), 32 + int(rand() * 96), int(rand() * 65536), port(), (rand() < 0.5 ? 23 : 22))
		else
			MSG = sprintf("[%d.%06d] usb 1-1: new high-speed USB device number %d using xhci_hcd", int(rand() * 3000000), int(rand() * 1000000), pick(20))
	} else if (r < 0.80) {
		PROG = "su"; PRI = 85
		if (rand() < 0.5) {
			PID = ""
			MSG = "(to root) " STAFF[pick(NSTAFF)] " on pts/" int(rand() * 8)
		} else
			MSG = "pam_unix(su:session): session opened for user root(uid=0) by " STAFF[pick(NSTAFF)] "(uid=1000)"
	} else if (r < 0.84) {
		PROG = "sudo"; PID = ""; PRI = 85
		u = STAFF[pick(NSTAFF)]
		MSG = "   " u " : TTY=pts/" int(rand() * 8) " ; PWD=/home/" u " ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx"
	} else if (r < 0.93) {
		PROG = "named"; PRI = 30
		a = QNAMES[pick(NQNAMES)]
		MSG = "client @0x7f" rnd(HEX, 10) " " peer() "#" port() " (" a "): query: " a " IN " QTYPES[pick(NQTYPES)] " +E(0)K (192.0.2.53)"
	} else {
		PROG = "systemd"; PID = 1; PRI = 30
		r = rand()
		if (r < 0.4)
			MSG = "Started session-" int(rand() * 90000) ".scope - Session " int(rand() * 90000) " of User " STAFF[pick(NSTAFF)] "."
		else if (r < 0.7)
			MSG = "Starting apt-daily-upgrade.service - Daily apt upgrade and clean activities..."
		else
			MSG = "logrotate.service: Deactivated successfully."
	}
}
