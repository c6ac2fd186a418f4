/*
 * test_dispatch.c - every program name of the dispatch table reaches its
 * decoder (the names are switched on by length: one name under the wrong
 * length would silently send its lines to the content fallback), the
 * field table round-trips, and decoded fields are written as nested JSON.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "decode/decode_int.h"

static const struct {
	const char *program, *message, *decoder;
} cases[] = {
	{ "CRON", "(root) CMD (true)", "cron" },
	{ "CROND", "(root) CMD (true)", "cron" },
	{ "PAM_pwdb", "(su) session closed for user root", "pam" },
	{ "cron", "(root) CMD (true)", "cron" },
	{ "crond", "(root) CMD (true)", "cron" },
	{ "crontab", "(root) CMD (true)", "cron" },
	{ "dropbear", "Bad password attempt for 'root' from 192.0.2.1:22", "sshd" },
	{ "in.telnetd", "connect from 192.0.2.1", "tcp_wrappers" },
	{ "init", "Switching to runlevel: 6", "system" },
	{ "kernel", "Linux version 2.2.25 (root@school)", "system" },
	{ "named", "client 192.0.2.8#53: query: cb02.arl.mil IN A", "named" },
	{ "popper", "@[192.168.100.1]: -ERR POP EOF received", "mailbox" },
	{ "postfix/smtpd", "connect from unknown[192.0.2.9]", "postfix" },
	{ "rpc.statd", "gethostbyname error for ^X^X", "rpc" },
	{ "runuser", "(to root) mity on pts/0", "su" },
	{ "sendmail", "CAA04300: to=<bob@example.org>, delay=00:00:01, mailer=esmtp, stat=Sent", "sendmail" },
	{ "shutdown", "shutting down for system reboot", "system" },
	{ "sm-mta", "CAA04300: to=<bob@example.org>, delay=00:00:01, mailer=esmtp, stat=Sent", "sendmail" },
	{ "sshd", "Failed password for root from 192.0.2.1 port 22 ssh2", "sshd" },
	{ "sshd-session", "Accepted publickey for a from 192.0.2.1 port 22 ssh2", "sshd" },
	{ "statd", "statd: open of /var/statmon/sm/;", "rpc" },
	{ "su", "(to root) mity on pts/0", "su" },
	{ "sudo", "mity : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/sh", "sudo" },
	{ "syslogd", "restart.", "system" },
	{ "xinetd", "START: telnet pid=1 from=192.0.2.1", "xinetd" },
};

static void
test_programs(void **state)
{
	struct ks_event ev;
	struct ks_fields f;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		memset(&ev, 0, sizeof(ev));
		ev.program = ks_str_make(cases[i].program,
		    strlen(cases[i].program));
		ev.message = ks_str_make(cases[i].message,
		    strlen(cases[i].message));
		ev.pid = -1;
		if (!ks_decode(&ev, &f))
			fail_msg("%s: not decoded", cases[i].program);
		if (strcmp(ks_decoder_name(f.decoder), cases[i].decoder) != 0)
			fail_msg("%s: decoded by %s, want %s", cases[i].program,
			    ks_decoder_name(f.decoder), cases[i].decoder);
	}
}

/* Every program name and its decoder, as the dispatch must map them. */
static const struct {
	const char *name, *decoder;
} programs[] = {
	{ "CRON", "cron" }, { "CROND", "cron" }, { "PAM_pwdb", "pam" },
	{ "PAM_unix", "pam" }, { "automountd", "rpc" },
	{ "courier-imapd", "mailbox" }, { "courier-pop3d", "mailbox" },
	{ "courierpop3login", "mailbox" }, { "cron", "cron" },
	{ "crond", "cron" }, { "crontab", "cron" }, { "cucipop", "mailbox" },
	{ "dovecot", "mailbox" }, { "dropbear", "sshd" }, { "ftpd", "ftpd" },
	{ "imap", "mailbox" }, { "imap-login", "mailbox" },
	{ "imapd", "mailbox" }, { "imapd-ssl", "mailbox" },
	{ "imaps", "mailbox" }, { "in.ftpd", "ftpd" },
	{ "in.imapd", "mailbox" }, { "in.pop3d", "mailbox" },
	{ "in.proftpd", "ftpd" }, { "in.qpopper", "mailbox" },
	{ "in.rlogind", "login" }, { "in.rshd", "login" },
	{ "in.telnetd", "login" }, { "init", "system" },
	{ "ipop3d", "mailbox" }, { "kernel", "system" }, { "login", "login" },
	{ "managesieve-login", "mailbox" }, { "mountd", "rpc" },
	{ "named", "named" }, { "pop3", "mailbox" },
	{ "pop3-login", "mailbox" }, { "pop3d", "mailbox" },
	{ "pop3d-ssl", "mailbox" }, { "pop3s", "mailbox" },
	{ "popper", "mailbox" }, { "portmap", "rpc" },
	{ "postgrey", "postfix" }, { "proftpd", "ftpd" },
	{ "pure-ftpd", "ftpd" }, { "qpopper", "mailbox" },
	{ "rlogind", "login" }, { "rpc.mountd", "rpc" }, { "rpc.statd", "rpc" },
	{ "rpcbind", "rpc" }, { "rshd", "login" }, { "rsyslogd", "system" },
	{ "runuser", "su" }, { "sendmail", "sendmail" },
	{ "shutdown", "system" }, { "sm-msp-queue", "sendmail" },
	{ "sm-mta", "sendmail" }, { "smtpd", "postfix" }, { "sshd", "sshd" },
	{ "sshd-auth", "sshd" }, { "sshd-session", "sshd" }, { "statd", "rpc" },
	{ "su", "su" }, { "submission-login", "mailbox" }, { "sudo", "sudo" },
	{ "syslog", "system" }, { "syslogd", "system" },
	{ "systemd", "system" }, { "systemd-logind", "system" },
	{ "telnetd", "login" }, { "vsftpd", "ftpd" }, { "wu-ftpd", "ftpd" },
	{ "xinetd", "xinetd" },
};

/* The decoder name of a program by a linear search of programs[]. */
static const char *
program_slow(const char *p, size_t n)
{
	if (n >= 8 && (memcmp(p, "postfix/", 8) == 0 ||
	    memcmp(p, "postfix-", 8) == 0))
		return "postfix";
	if (n >= 6 && memcmp(p, "cyrus/", 6) == 0)
		return "mailbox";
	for (size_t i = 0; i < sizeof(programs) / sizeof(*programs); i++)
		if (strlen(programs[i].name) == n &&
		    memcmp(programs[i].name, p, n) == 0)
			return programs[i].decoder;
	return "none";
}

static void
program_equal(const char *p, size_t n)
{
	const char *got = ks_decoder_name(ks_program_decoder(ks_str_make(p,
	    n))), *want = program_slow(p, n);

	if (strcmp(got, want) != 0)
		fail_msg("\"%.*s\": %s, want %s", (int)n, p, got, want);
}

/*
 * The switch against the list: every name, its prefixes, the name with
 * a byte more, and the name with each byte changed to its neighbours,
 * to a case flip and to NUL.
 */
static void
test_program_table(void **state)
{
	char buf[32];

	(void)state;
	program_equal("", 0);
	program_equal("postfix/qmgr", 12);
	program_equal("postfix-", 8);
	program_equal("cyrus/imapd", 11);
	program_equal("cyrus", 5);
	for (size_t i = 0; i < sizeof(programs) / sizeof(*programs); i++) {
		size_t n = strlen(programs[i].name);

		memcpy(buf, programs[i].name, n);
		for (size_t k = 0; k <= n; k++)
			program_equal(buf, k);
		buf[n] = 'd';
		program_equal(buf, n + 1);
		for (size_t k = 0; k < n; k++) {
			static const int delta[] = { 1, -1, 0x20, -0x20 };

			for (size_t d = 0; d < 5; d++) {
				buf[k] = d < 4 ? (char)(programs[i].name[k] +
				    delta[d]) : '\0';
				program_equal(buf, n);
			}
			buf[k] = programs[i].name[k];
		}
	}
}

/* Whether v is an entry of list, by a plain compare with each. */
static bool
str_in_slow(struct ks_str v, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strlen(*list) == v.n && memcmp(*list, v.p, v.n) == 0)
			return true;
	return false;
}

/*
 * ks_str_in, which looks at the first byte before the length, against a
 * plain compare with every entry: the empty string, prefixes, extensions
 * and first-byte twins of the entries, in lists with and without an
 * empty entry.
 */
static void
test_str_in(void **state)
{
	static const char *const list[] = { "syslogd", "syslog", "s", "",
	    "init", "systemd-logind", NULL };
	static const char *const probes[] = { "", "s", "sy", "syslog",
	    "syslogd", "syslogdx", "Syslog", "t", "init", "inix", "xnit",
	    "systemd-logind", "systemd-login", "i" };

	(void)state;
	for (size_t i = 0; i < sizeof(probes) / sizeof(*probes); i++) {
		struct ks_str v = ks_str_make(probes[i], strlen(probes[i]));

		for (size_t from = 0; from < 6; from++)
			assert_int_equal(ks_str_in(v, list + from),
			    str_in_slow(v, list + from));
	}
}

static void
test_field_names(void **state)
{
	(void)state;
	for (int k = 0; k < KS_F_COUNT; k++) {
		const char *n = ks_field_name((enum ks_field)k);

		assert_int_equal(ks_field_lookup(n, strlen(n)), k);
	}
	assert_int_equal(ks_field_lookup("source.addr", 11), -1);
	assert_null(ks_field_name(KS_F_COUNT));
}

static void
test_addr(void **state)
{
	struct ks_fields f;
	const char *in[] = { "192.0.2.1", "::ffff:192.0.2.1", "fe80::1%eth0",
	    "[2001:0DB8::1]", "mx.example.org.", "bad host!", "",
	    "255.255.255.255", "0.0.0.0", "[198.51.100.7]", "256.1.1.1",
	    "01.2.3.4", "1.2.3", "1.2.3.4.5", "1.2.3.4x", "1..2.3", "1.2.3.",
	    "1234.1.1.1" };
	const char *ip[] = { "192.0.2.1", "192.0.2.1", "fe80::1", "2001:db8::1",
	    NULL, NULL, NULL, "255.255.255.255", "0.0.0.0", "198.51.100.7",
	    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL };

	(void)state;
	for (size_t i = 0; i < sizeof(in) / sizeof(*in); i++) {
		ks_fields_reset(&f);
		ks_fields_addr(&f, KS_F_SOURCE_IP, KS_F_SOURCE_DOMAIN, in[i],
		    strlen(in[i]));
		if (ip[i] != NULL)
			assert_true(ks_str_eq(f.v[KS_F_SOURCE_IP], ip[i]));
		else
			assert_int_equal(f.v[KS_F_SOURCE_IP].n, 0);
	}
	ks_fields_reset(&f);
	assert_true(ks_fields_addr(&f, KS_F_SOURCE_IP, KS_F_SOURCE_DOMAIN,
	    "mx.example.org.", 15));
	assert_true(ks_str_eq(f.v[KS_F_SOURCE_DOMAIN], "mx.example.org"));
}

static bool
mapped(const unsigned char a[16])
{
	static const unsigned char prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0xff, 0xff };

	return memcmp(a, prefix, sizeof(prefix)) == 0;
}

/*
 * IPv6 addresses come out as inet_ntop writes them, whatever zero runs
 * they hold: every address whose eight words are each 0, 1, 0xffff or
 * 0xabc, and text with upper-case digits and leading zeros going in.
 * IPv4-mapped ones become the IPv4 address.
 */
static void
test_addr6(void **state)
{
	static const unsigned vals[] = { 0, 1, 0xffff, 0x0abc };
	struct ks_fields f;
	unsigned char a[16];
	char want[INET6_ADDRSTRLEN], in[64];

	(void)state;
	for (unsigned x = 0; x < 65536; x++) {
		int n = 0;

		for (int i = 0; i < 8; i++) {
			unsigned v = vals[(x >> (2 * i)) & 3];

			a[2 * i] = (unsigned char)(v >> 8);
			a[2 * i + 1] = (unsigned char)v;
			n += snprintf(in + n, sizeof(in) - (size_t)n, "%s%04X",
			    i ? ":" : "", v);
		}
		assert_non_null(mapped(a) ?
		    inet_ntop(AF_INET, a + 12, want, sizeof(want)) :
		    inet_ntop(AF_INET6, a, want, sizeof(want)));
		ks_fields_reset(&f);
		assert_true(ks_fields_addr(&f, KS_F_SOURCE_IP,
		    KS_F_SOURCE_DOMAIN, in, strlen(in)));
		if (!ks_str_eq(f.v[KS_F_SOURCE_IP], want))
			fail_msg("%s: \"%.*s\", want \"%s\"", in,
			    (int)f.v[KS_F_SOURCE_IP].n, f.v[KS_F_SOURCE_IP].p,
			    want);
	}
}

static void
test_json(void **state)
{
	struct ks_fields f;
	struct ks_buf b;

	(void)state;
	ks_fields_reset(&f);
	ks_fields_sets(&f, KS_F_SOURCE_IP, "192.0.2.1");
	ks_fields_sets(&f, KS_F_SOURCE_PORT, "62531");
	ks_fields_sets(&f, KS_F_USER_NAME, "mity");
	ks_fields_sets(&f, KS_F_USER_TARGET_NAME, "root");
	ks_fields_sets(&f, KS_F_EVENT_ACTION, "su");
	ks_fields_sets(&f, KS_F_HTTP_REQUEST_METHOD, "GET");
	ks_fields_sets(&f, KS_F_HTTP_RESPONSE_STATUS_CODE, "404");
	ks_fields_sets(&f, KS_F_EMAIL_FROM_ADDRESS, "a\"b");
	ks_buf_init(&b);
	ks_buf_addc(&b, '{');
	ks_buf_adds(&b, "\"x\":1");
	ks_fields_to_json(&b, &f);
	ks_buf_adds(&b, "}");
	ks_buf_addc(&b, '\0');
	assert_string_equal(b.p, "{\"x\":1,\"source\":{\"ip\":\"192.0.2.1\","
	    "\"port\":62531},\"user\":{\"name\":\"mity\",\"target\":{\"name\":"
	    "\"root\"}},\"http\":{\"request\":{\"method\":\"GET\"},"
	    "\"response\":{\"status_code\":404}},\"email\":{\"from\":"
	    "{\"address\":\"a\\\"b\"}}}");
	ks_buf_reset(&b);
	ks_fields_event_members(&b, &f);
	ks_buf_addc(&b, '\0');
	assert_string_equal(b.p, ",\"action\":\"su\"");
	ks_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_programs),
		cmocka_unit_test(test_program_table),
		cmocka_unit_test(test_str_in),
		cmocka_unit_test(test_field_names),
		cmocka_unit_test(test_addr),
		cmocka_unit_test(test_addr6),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
