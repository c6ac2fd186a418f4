/*
 * test_frame.c - exact fields for every header format the framer reads,
 * and the lines it must refuse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "frame/frame_int.h"

struct want {
	const char *time;       /* RFC 3339 as ks_time_format writes it */
	const char *host, *program, *message;
	int64_t pid;
	enum ks_fmt fmt;
};

static struct ks_tz tz_tokyo, tz_utc;

static int
setup(void **state)
{
	(void)state;
	assert_int_equal(ks_tz_init(&tz_utc, "UTC", NULL), 0);
	assert_int_equal(ks_tz_init(&tz_tokyo, "+09:00", NULL), 0);
	return 0;
}

static void
str_equal(struct ks_str s, const char *want)
{
	char buf[4096];

	assert_true(s.n < sizeof(buf));
	memcpy(buf, s.p ? s.p : "", s.n);
	buf[s.n] = '\0';
	assert_string_equal(buf, want);
}

static void
check(struct ks_tz *tz, const char *line, const struct want *w)
{
	struct ks_framer fr;
	struct ks_event ev;
	struct ks_buf b;

	ks_framer_init(&fr, tz, 2003, true);
	assert_true(ks_frame_line(&fr, line, strlen(line), &ev));
	ks_buf_init(&b);
	ks_time_format(&b, ev.ts_us, ev.utc_off);
	ks_buf_addc(&b, '\0');
	assert_string_equal(b.p, w->time);
	ks_buf_free(&b);
	str_equal(ev.host, w->host);
	str_equal(ev.program, w->program);
	str_equal(ev.message, w->message);
	assert_int_equal(ev.pid, w->pid);
	assert_int_equal(ev.fmt, w->fmt);
}

static void
refused(const char *line)
{
	struct ks_framer fr;
	struct ks_event ev;

	ks_framer_init(&fr, &tz_utc, 2003, true);
	assert_false(ks_frame_line(&fr, line, strlen(line), &ev));
}

static void
test_rfc3164(void **state)
{
	(void)state;
	check(&tz_tokyo, "Jan 20 12:58:29 school sshd[399]: Server listening on 0.0.0.0 port 22.",
	    &(struct want){ "2003-01-20T12:58:29+09:00", "school", "sshd",
	    "Server listening on 0.0.0.0 port 22.", 399, KS_FMT_RFC3164 });
	check(&tz_tokyo, "Jan  3 02:11:45 mailhost sendmail[4211]: CAA04211: from=<bin>",
	    &(struct want){ "2003-01-03T02:11:45+09:00", "mailhost", "sendmail",
	    "CAA04211: from=<bin>", 4211, KS_FMT_RFC3164 });
	/* no pid */
	check(&tz_utc, "Jun 23 12:34:00 bsite inet: inetd startup succeeded",
	    &(struct want){ "2003-06-23T12:34:00+00:00", "bsite", "inet",
	    "inetd startup succeeded", -1, KS_FMT_RFC3164 });
	/* no tag at all */
	check(&tz_utc, "Jan 20 12:57:35 school exiting on signal 15",
	    &(struct want){ "2003-01-20T12:57:35+00:00", "school", "",
	    "exiting on signal 15", -1, KS_FMT_RFC3164 });
	/* a version after the tag */
	check(&tz_utc, "Jan 20 12:58:29 school syslogd 1.3-3: restart.",
	    &(struct want){ "2003-01-20T12:58:29+00:00", "school", "syslogd",
	    "restart.", -1, KS_FMT_RFC3164 });
	/* empty message */
	check(&tz_utc, "Jan 20 12:58:32 school sshd:",
	    &(struct want){ "2003-01-20T12:58:32+00:00", "school", "sshd", "",
	    -1, KS_FMT_RFC3164 });
	/* fractional seconds (sshguard's old bug) */
	check(&tz_utc, "Feb  1 00:00:01.250 h postfix/smtpd[12]: connect from x",
	    &(struct want){ "2003-02-01T00:00:01.250000+00:00", "h",
	    "postfix/smtpd", "connect from x", 12, KS_FMT_RFC3164 });
	/* kernel line */
	check(&tz_utc, "Nov 21 23:49:45 web kernel: [ 1234.5678] eth0: link up",
	    &(struct want){ "2003-11-21T23:49:45+00:00", "web", "kernel",
	    "[ 1234.5678] eth0: link up", -1, KS_FMT_RFC3164 });
}

/* A line of host "school" with rest after it: its program and facility. */
static void
facpri_after_host(struct ks_framer *fr, const char *rest, const char *program,
    int facility)
{
	struct ks_event ev;
	char l[128];

	snprintf(l, sizeof(l), "Jan 20 12:58:29 school %s", rest);
	assert_true(ks_frame_line(fr, l, strlen(l), &ev));
	str_equal(ev.host, "school");
	str_equal(ev.program, program);
	assert_int_equal(ev.facility, facility);
}

/*
 * The pid of "[BODY]" as syslog.c has always read it: the digits at the
 * end of BODY after the last byte that is no digit or comes after the
 * twelfth digit; -1 when there are none.
 */
static int64_t
pid_of(const char *p, size_t n)
{
	size_t digits = 0, from = 0;
	int64_t pid = -1;

	for (size_t i = 0; i < n; i++) {
		if (ks_isdigit(p[i]) && digits < 12)
			digits++;
		else
			from = i + 1;
	}
	for (size_t i = from; i < n; i++)
		pid = (pid < 0 ? 0 : pid) * 10 + (p[i] - '0');
	return pid;
}

/*
 * What "a:REST" or "a[REST" frames to: bytes used (0: no tag) and pid.
 * The ']' must come within 24 bytes, and a ':', a space or the end after
 * it.
 */
static size_t
tag_of(const char *p, size_t n, int64_t *pid)
{
	const char *rb;
	size_t k;

	*pid = -1;
	if (p[1] == ':') {
		k = 2;
	} else {
		if ((rb = memchr(p + 2, ']', n - 2 < 24 ? n - 2 : 24)) == NULL)
			return 0;
		*pid = pid_of(p + 2, (size_t)(rb - p - 2));
		k = (size_t)(rb - p) + 1;
		if (k < n && p[k] == ':')
			k++;
		else if (k < n && p[k] != ' ')
			return 0;
	}
	return k < n && p[k] == ' ' ? k + 1 : k;
}

/* Random tags, mostly digits in brackets: program, pid and message. */
static void
test_tag_pid(void **state)
{
	static const char other[] = "[]: ax";
	uint64_t seed = 88172645463325252ULL;
	struct ks_framer fr;
	struct ks_event ev;
	char l[128];
	size_t head, n, used;
	int64_t pid;

	(void)state;
	ks_framer_init(&fr, &tz_utc, 2003, true);
	head = (size_t)snprintf(l, sizeof(l), "Jan 20 12:58:29 h ");
	for (int i = 0; i < 200000; i++) {
		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		n = 2 + seed % 40;
		l[head] = 'a';
		l[head + 1] = i % 4 ? '[' : ':';
		for (size_t k = 2; k < n; k++) {
			uint64_t r = (seed >> (k % 48)) ^ (seed >> 20) * k;

			l[head + k] = r % 8 < 6 ? (char)('0' + r % 10) :
			    other[r / 8 % 6];
		}
		n += head;
		assert_true(ks_frame_line(&fr, l, n, &ev));
		used = tag_of(l + head, n - head, &pid);
		assert_int_equal(ev.program.n, used ? 1 : 0);
		assert_int_equal(ev.pid, used ? pid : -1);
		assert_ptr_equal(ev.message.p, l + head + used);
	}
}

static void
test_rfc3164_variants(void **state)
{
	struct ks_framer fr;
	struct ks_event ev;
	const char *l;

	(void)state;
	ks_framer_init(&fr, &tz_utc, 2003, true);
	/* Solaris message id */
	l = "Jan 20 12:58:29 sol sshd[399]: [ID 800047 auth.info] Failed password for root from 10.0.0.1 port 22 ssh2";
	assert_true(ks_frame_line(&fr, l, strlen(l), &ev));
	str_equal(ev.program, "sshd");
	str_equal(ev.msgid, "ID 800047");
	assert_int_equal(ev.facility, 4);
	assert_int_equal(ev.severity, 6);
	str_equal(ev.message, "Failed password for root from 10.0.0.1 port 22 ssh2");
	/* facility.priority inserted after the host */
	l = "Jan 20 12:58:29 school auth.notice sshd[548]: Accepted password for mity";
	assert_true(ks_frame_line(&fr, l, strlen(l), &ev));
	str_equal(ev.host, "school");
	str_equal(ev.program, "sshd");
	assert_int_equal(ev.pid, 548);
	assert_int_equal(ev.facility, 4);
	assert_int_equal(ev.severity, 5);
	/* numbers, and a severity that ends in neither a letter nor a digit */
	facpri_after_host(&fr, "4.6 sshd[548]: x", "sshd", 4);
	facpri_after_host(&fr, "auth.info: sshd[548]: x", "auth.info", -1);
	/* FreeBSD syslogd -v: <facility.priority> before the host */
	l = "Jan 20 12:58:29 <mail.err> mx sendmail[7]: oops";
	assert_true(ks_frame_line(&fr, l, strlen(l), &ev));
	str_equal(ev.host, "mx");
	str_equal(ev.program, "sendmail");
	assert_int_equal(ev.facility, 2);
	assert_int_equal(ev.severity, 3);
	/* FreeBSD syslogd -v with numbers */
	l = "Jan  1 00:00:00 <10.5> foxtrot sshd[1234]: Invalid user admin from 1.2.3.4";
	assert_true(ks_frame_line(&fr, l, strlen(l), &ev));
	str_equal(ev.host, "foxtrot");
	str_equal(ev.program, "sshd");
	assert_int_equal(ev.facility, 10);
	assert_int_equal(ev.severity, 5);
	/* a raw <PRI> before a BSD stamp */
	l = "<38>Jan 20 12:58:29 school sshd[1]: hello";
	assert_true(ks_frame_line(&fr, l, strlen(l), &ev));
	assert_int_equal(ev.facility, 4);
	assert_int_equal(ev.severity, 6);
	str_equal(ev.message, "hello");
	/* last message repeated */
	l = "Jan 20 12:58:30 school last message repeated 17 times";
	assert_true(ks_frame_line(&fr, l, strlen(l), &ev));
	assert_int_equal(ev.repeat, 17);
	str_equal(ev.program, "");
	l = "Jan 20 12:58:30 school sshd[5]: message repeated 3 times: [ Failed password for root ]";
	assert_true(ks_frame_line(&fr, l, strlen(l), &ev));
	assert_int_equal(ev.repeat, 3);
	/* host left out by the syslogd */
	l = "Jan 20 12:58:30 sshd[12]: Invalid user a from 1.2.3.4";
	assert_true(ks_frame_line(&fr, l, strlen(l), &ev));
	str_equal(ev.host, "");
	str_equal(ev.program, "sshd");
	assert_int_equal(ev.pid, 12);
	/* a non-numeric pid is no pid */
	l = "Jan 20 12:58:30 h prog[abc]: x";
	assert_true(ks_frame_line(&fr, l, strlen(l), &ev));
	str_equal(ev.program, "prog");
	assert_int_equal(ev.pid, -1);
}

static void
test_rfc3339(void **state)
{
	(void)state;
	check(&tz_utc, "2026-11-21T23:49:45.123456+09:00 deb12 sshd[812]: Accepted publickey for admin",
	    &(struct want){ "2026-11-21T23:49:45.123456+09:00", "deb12", "sshd",
	    "Accepted publickey for admin", 812, KS_FMT_RFC3339 });
	check(&tz_utc, "2026-11-21T14:49:45Z h CRON[5]: (root) CMD (true)",
	    &(struct want){ "2026-11-21T14:49:45+00:00", "h", "CRON",
	    "(root) CMD (true)", 5, KS_FMT_RFC3339 });
	/* ISO 8601 with a space, a comma fraction and no zone: the --tz zone */
	check(&tz_tokyo, "2026-11-21 23:49:45,5 h su[9]: pam_unix(su:session): session opened",
	    &(struct want){ "2026-11-21T23:49:45.500000+09:00", "h", "su",
	    "pam_unix(su:session): session opened", 9, KS_FMT_ISO8601 });
}

static void
test_rfc5424(void **state)
{
	struct ks_framer fr;
	struct ks_event ev;
	const char *l;

	(void)state;
	check(&tz_utc, "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - 'su root' failed for lonvick on /dev/pts/8",
	    &(struct want){ "2003-10-11T22:14:15.003000+00:00",
	    "mymachine.example.com", "su",
	    "'su root' failed for lonvick on /dev/pts/8", -1, KS_FMT_RFC5424 });
	ks_framer_init(&fr, &tz_utc, 2003, true);
	l = "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - [exampleSDID@32473 iut=\"3\" eventSource=\"App\\]lication\"][x@1 a=\"b\"] \xef\xbb\xbf" "An application event";
	assert_true(ks_frame_line(&fr, l, strlen(l), &ev));
	assert_int_equal(ev.pid, 8710);
	assert_int_equal(ev.facility, 20);
	assert_int_equal(ev.severity, 5);
	str_equal(ev.sdata, "[exampleSDID@32473 iut=\"3\" eventSource=\"App\\]lication\"][x@1 a=\"b\"]");
	str_equal(ev.message, "An application event");
	str_equal(ev.msgid, "");
	/* no message at all */
	l = "<13>1 2026-01-01T00:00:00Z h app 1 ID -";
	assert_true(ks_frame_line(&fr, l, strlen(l), &ev));
	str_equal(ev.message, "");
	str_equal(ev.msgid, "ID");
	/* nil timestamp: cannot be placed in time */
	refused("<13>1 - h app 1 ID - msg");
	/* unterminated structured data */
	refused("<13>1 2026-01-01T00:00:00Z h app 1 ID [a x=\"1\" msg");
}

static void
test_web(void **state)
{
	struct ks_framer fr;
	struct ks_event ev;
	const char *l;

	(void)state;
	check(&tz_utc, "192.0.2.7 - frank [10/Oct/2000:13:55:36 -0700] \"GET /cgi-bin/count.cgi HTTP/1.0\" 200 2326 \"-\" \"Mozilla/4.08\"",
	    &(struct want){ "2000-10-10T13:55:36-07:00", "", "",
	    "192.0.2.7 - frank [10/Oct/2000:13:55:36 -0700] \"GET /cgi-bin/count.cgi HTTP/1.0\" 200 2326 \"-\" \"Mozilla/4.08\"",
	    -1, KS_FMT_ACCESS });
	check(&tz_utc, "2001:db8::1 - - [20/Jan/2003:12:58:29 +0900] \"GET / HTTP/1.1\" 404 0",
	    &(struct want){ "2003-01-20T12:58:29+09:00", "", "",
	    "2001:db8::1 - - [20/Jan/2003:12:58:29 +0900] \"GET / HTTP/1.1\" 404 0",
	    -1, KS_FMT_ACCESS });
	check(&tz_tokyo, "[Wed Oct 11 14:32:52.123456 2000] [core:error] [pid 1234:tid 5678] [client 192.0.2.9:4321] AH00126: Invalid URI",
	    &(struct want){ "2000-10-11T14:32:52.123456+09:00", "", "",
	    "[core:error] [pid 1234:tid 5678] [client 192.0.2.9:4321] AH00126: Invalid URI",
	    1234, KS_FMT_APACHE_ERROR });
	check(&tz_utc, "[Sat Jan  4 02:00:00 2003] [error] [client 192.0.2.9] File does not exist: /var/www/scripts",
	    &(struct want){ "2003-01-04T02:00:00+00:00", "", "",
	    "[error] [client 192.0.2.9] File does not exist: /var/www/scripts",
	    -1, KS_FMT_APACHE_ERROR });
	check(&tz_utc, "2026/11/21 23:49:45 [error] 1234#1234: *1 open() \"/x\" failed, client: 192.0.2.1",
	    &(struct want){ "2026-11-21T23:49:45+00:00", "", "",
	    "*1 open() \"/x\" failed, client: 192.0.2.1", 1234,
	    KS_FMT_NGINX_ERROR });
	check(&tz_tokyo, "Mon Jan 20 12:58:29 2003 1 dialup.example.net 1234 /pub/x.tar.gz b _ o a guest@ ftp 0 * c",
	    &(struct want){ "2003-01-20T12:58:29+09:00", "", "",
	    "1 dialup.example.net 1234 /pub/x.tar.gz b _ o a guest@ ftp 0 * c",
	    -1, KS_FMT_XFERLOG });
	ks_framer_init(&fr, &tz_utc, 2003, true);
	l = "2026/11/21 23:49:45 [warn] 7#7: conflicting server name";
	assert_true(ks_frame_line(&fr, l, strlen(l), &ev));
	assert_int_equal(ev.severity, 4);
}

static void
test_refused(void **state)
{
	(void)state;
	refused("");
	refused("hello world");
	refused("Jan 20");
	refused("Jan 32 12:00:00 h p: x");
	refused("Foo 20 12:00:00 h p: x");
	refused("Jan 20 25:00:00 h p: x");
	refused("Jan 20 12:00:00x h p: x");
	refused("2026-13-01T00:00:00Z h p: x");
	refused("2026-11-21");
	refused("<999>Jan 20 12:00:00 h p: x");
	refused("<13");
	refused("[Wed Oct 11 14:32:52 2000 no bracket");
	refused("1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] no quote");
	refused("\x1b[31mJan 20 12:00:00 h p: x");
}

static void
test_months(void **state)
{
	const char *names[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
	    "Aug", "Sep", "Oct", "Nov", "Dec" };

	(void)state;
	for (int i = 0; i < 12; i++)
		assert_int_equal(ks_month_from_name(names[i]), i + 1);
	assert_int_equal(ks_month_from_name("jan"), 1);
	assert_int_equal(ks_month_from_name("Jum"), 0);
	assert_int_equal(ks_month_from_name("Xyz"), 0);
}

/*
 * A facility.priority after the host, by name or number, bare or in <>,
 * and tokens that are none: the check of its last byte before the parse
 * must let every form through.
 */
static void
test_facpri_after_host(void **state)
{
	static const struct {
		const char *tok;
		int fac, sev;
	} cases[] = {
		{ "auth.info", 4, 6 }, { "<auth.info>", 4, 6 },
		{ "10.5", 10, 5 }, { "<10.5>", 10, 5 }, { "mail.err", 2, 3 },
		{ "local7.debug", 23, 7 }, { "<kern.emerg>", 0, 0 },
		{ "user.warn", 1, 4 }, { "auth.info:", -1, -1 },
		{ "auth.bogus", -1, -1 }, { "<auth.info", -1, -1 },
		{ "24.1", -1, -1 }, { "auth.", -1, -1 }, { "<>", -1, -1 },
	};
	struct ks_framer fr;
	struct ks_event ev;
	char l[128];
	int n;

	(void)state;
	ks_framer_init(&fr, &tz_utc, 2003, true);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = snprintf(l, sizeof(l), "Jan 20 12:58:29 h %s sshd[7]: m",
		    cases[i].tok);
		assert_true(ks_frame_line(&fr, l, (size_t)n, &ev));
		assert_int_equal(ev.facility, cases[i].fac);
		assert_int_equal(ev.severity, cases[i].sev);
		if (cases[i].fac >= 0)
			assert_true(ks_str_eq(ev.program, "sshd"));
	}
}

/*
 * Fractions of a second of every length from one digit to fourteen, with
 * a zone, junk or nothing after them: microseconds and bytes used against
 * a digit-by-digit reading.
 */
static void
test_iso_frac(void **state)
{
	static const char *const tails[] = { "", "Z", "+09:00", " x", "a" };
	uint32_t r = 5;
	char l[64];

	(void)state;
	for (int t = 0; t < 20000; t++) {
		struct ks_iso iso;
		uint32_t want = 0, scale = 100000;
		size_t k, digits, n, used;

		r = r * 1103515245u + 12345u;
		digits = 1 + (r >> 16) % 14;
		n = (size_t)snprintf(l, sizeof(l), "2026-10-01T00:00:06%c",
		    r & 1 ? '.' : ',');
		for (k = 0; k < digits; k++) {
			r = r * 1103515245u + 12345u;
			l[n + k] = (char)('0' + (r >> 16) % 10);
			want += (uint32_t)(l[n + k] - '0') * scale;
			scale /= 10;
		}
		n += k;
		used = n;
		n += (size_t)snprintf(l + n, sizeof(l) - n, "%s",
		    tails[(r >> 8) % 5]);
		if (l[used] == 'Z')
			used += 1;
		else if (l[used] == '+')
			used += 6;
		assert_int_equal(ks_iso_parse(l, n, true, &iso), used);
		assert_int_equal(iso.usec, want);
	}
}

/* The two-digit reader against the general one, on every pair of bytes. */
static void
test_digits2(void **state)
{
	char p[2];

	(void)state;
	for (int a = 0; a < 256; a++)
		for (int b = 0; b < 256; b++) {
			p[0] = (char)a;
			p[1] = (char)b;
			assert_int_equal(ks_digits2(p), ks_digits(p, 2));
		}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc3164),
		cmocka_unit_test(test_rfc3164_variants),
		cmocka_unit_test(test_tag_pid),
		cmocka_unit_test(test_rfc3339),
		cmocka_unit_test(test_rfc5424),
		cmocka_unit_test(test_web),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_months),
		cmocka_unit_test(test_digits2),
		cmocka_unit_test(test_facpri_after_host),
		cmocka_unit_test(test_iso_frac),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
