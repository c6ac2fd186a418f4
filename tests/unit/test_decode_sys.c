/*
 * test_decode_sys.c - exact fields from the su, sudo, PAM, RPC, named,
 * system and cron decoders, through the real framer and dispatcher, for
 * every message form they read; every line of the seed 002 and 004 logs;
 * and lines they must leave alone.
 *
 * A case is a log line, the decoder that must claim it, and the complete
 * list of fields it must yield: a field not listed must be absent.  The
 * decoder NOT_MINE means the line may be decoded by another family's
 * decoder (or by none) but by none of these; NULL means no decoder at all.
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
#include "decode/decode_int.h"

#define NOT_MINE "!mine"
#define MAXF 24

struct tcase {
	const char *line;
	const char *dec;
	const char *f[MAXF];    /* name, value, name, value, ..., NULL */
};

static const char *const mine[] = {
	"su", "sudo", "pam", "rpc", "named", "system", "cron", NULL,
};

static struct ks_tz tz_utc;

static int
setup(void **state)
{
	(void)state;
	assert_int_equal(ks_tz_init(&tz_utc, "UTC", NULL), 0);
	return 0;
}

/* Frames a line as kansatsu does; an unframed line is a bare message. */
static void
frame(struct ks_framer *fr, const char *line, size_t n, struct ks_event *ev)
{
	if (!ks_frame_line(fr, line, n, ev)) {
		memset(ev, 0, sizeof(*ev));
		ev->message = ks_str_make(line, n);
		ev->raw = ev->message;
		ev->pid = -1;
		ev->facility = ev->severity = -1;
	}
}

static bool
is_mine(const char *name)
{
	for (const char *const *m = mine; *m != NULL; m++)
		if (strcmp(name, *m) == 0)
			return true;
	return false;
}

static void
str_of(struct ks_str s, char *buf, size_t n)
{
	size_t k = s.n < n - 1 ? s.n : n - 1;

	memcpy(buf, s.p ? s.p : "", k);
	buf[k] = '\0';
}

/* Compares every field of f with the name/value list want. */
static void
check_fields(const char *line, const struct ks_fields *f,
    const char *const *want)
{
	bool listed[KS_F_COUNT] = { false };
	char got[1024];

	for (size_t i = 0; want[i] != NULL; i += 2) {
		int k = ks_field_lookup(want[i], strlen(want[i]));

		if (k < 0)
			fail_msg("%s: unknown field %s", line, want[i]);
		assert_non_null(want[i + 1]);
		listed[k] = true;
		str_of(f->v[k], got, sizeof(got));
		if (f->v[k].n != strlen(want[i + 1]) ||
		    memcmp(f->v[k].p, want[i + 1], f->v[k].n) != 0)
			fail_msg("%s\n  %s: got \"%s\", want \"%s\"", line,
			    want[i], got, want[i + 1]);
	}
	for (int k = 0; k < KS_F_COUNT; k++) {
		if (listed[k] || f->v[k].n == 0)
			continue;
		str_of(f->v[k], got, sizeof(got));
		fail_msg("%s\n  %s: unexpected \"%s\"", line,
		    ks_field_name((enum ks_field)k), got);
	}
}

static void
check_event(const char *line, const struct ks_event *ev, const char *dec,
    const char *const *want)
{
	struct ks_fields f;
	bool ok = ks_decode(ev, &f);
	const char *name = ks_decoder_name(f.decoder);

	if (dec == NULL) {
		if (ok)
			fail_msg("%s\n  decoded by %s, want none", line, name);
		return;
	}
	if (strcmp(dec, NOT_MINE) == 0) {
		if (ok && is_mine(name))
			fail_msg("%s\n  decoded by %s, want none of mine",
			    line, name);
		return;
	}
	if (!ok)
		fail_msg("%s\n  not decoded, want %s", line, dec);
	if (strcmp(name, dec) != 0)
		fail_msg("%s\n  decoded by %s, want %s", line, name, dec);
	check_fields(line, &f, want);
}

static void
run(const struct tcase *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct ks_framer fr;
		struct ks_event ev;

		ks_framer_init(&fr, &tz_utc, 2003, true);
		frame(&fr, c[i].line, strlen(c[i].line), &ev);
		check_event(c[i].line, &ev, c[i].dec, c[i].f);
	}
}

#define RUN(t) run((t), sizeof(t) / sizeof(*(t)))

/* A decoder function called directly with a program and a message. */
static void
direct(ks_decoder_fn fn, const char *prog, const char *msg, bool want_ok,
    const char *const *want)
{
	struct ks_event ev;
	struct ks_fields f;

	memset(&ev, 0, sizeof(ev));
	ev.program = ks_str_make(prog, strlen(prog));
	ev.message = ks_str_make(msg, strlen(msg));
	ev.raw = ev.message;
	ev.pid = -1;
	ks_fields_reset(&f);
	if (fn(&ev, ev.message, &f) != want_ok)
		fail_msg("%s: %s\n  want %s", prog, msg, want_ok ? "true" :
		    "false");
	if (want_ok)
		check_fields(msg, &f, want);
}

/* ---- su --------------------------------------------------------------- */

static const struct tcase su_cases[] = {
	{ "Jan 20 13:00:06 school su[493]: (to root) mity on pts/0", "su",
	  { "event.action", "su", "event.outcome", "success",
	    "user.name", "mity", "user.target.name", "root", NULL } },
	{ "Jan 20 13:00:06 school su[493]: FAILED SU (to root) mity on pts/0",
	  "su",
	  { "event.action", "su", "event.outcome", "failure",
	    "user.name", "mity", "user.target.name", "root", NULL } },
	{ "Jan 20 13:00:06 school su[493]: (to postgres)  on none", "su",
	  { "event.action", "su", "event.outcome", "success",
	    "user.target.name", "postgres", NULL } },
	{ "Jan 20 13:00:06 school su[493]: FAILED su for root by mity", "su",
	  { "event.action", "su", "event.outcome", "failure",
	    "user.name", "mity", "user.target.name", "root", NULL } },
	{ "Jan 20 13:00:06 school su[493]: Successful su for root by mity",
	  "su",
	  { "event.action", "su", "event.outcome", "success",
	    "user.name", "mity", "user.target.name", "root", NULL } },
	{ "Jan 20 13:00:06 school su[493]: + pts/0 mity:root", "su",
	  { "event.action", "su", "event.outcome", "success",
	    "user.name", "mity", "user.target.name", "root", NULL } },
	{ "Jan 20 13:00:06 school su[493]: - pts/0 mity:root", "su",
	  { "event.action", "su", "event.outcome", "failure",
	    "user.name", "mity", "user.target.name", "root", NULL } },
	{ "Jan 20 13:00:06 school su[493]: pam_unix(su:session): session "
	  "opened for user root(uid=0) by mity(uid=1000)", "su",
	  { "event.action", "su", "event.outcome", "success",
	    "service.name", "su", "user.name", "mity",
	    "user.target.name", "root", NULL } },
	{ "Jan 20 13:00:06 school su[493]: pam_unix(su-l:session): session "
	  "opened for user root(uid=0) by mity(uid=1000)", "su",
	  { "event.action", "su", "event.outcome", "success",
	    "service.name", "su-l", "user.name", "mity",
	    "user.target.name", "root", NULL } },
	{ "Jan 20 13:00:06 school su[493]: pam_unix(su:session): session "
	  "closed for user root", "su",
	  { "event.action", "session-closed", "event.outcome", "success",
	    "service.name", "su", "user.target.name", "root", NULL } },
	{ "Jan 20 13:00:06 school su[493]: pam_unix(su:auth): authentication "
	  "failure; logname=mity uid=1000 euid=0 tty=/dev/pts/0 ruser=mity "
	  "rhost=  user=root", "su",
	  { "event.action", "su", "event.outcome", "failure",
	    "service.name", "su", "user.name", "mity",
	    "user.target.name", "root", NULL } },
	{ "Jan 20 13:00:06 school su[493]: pam_unix(su:auth): authentication "
	  "failure; logname=mity uid=1000 euid=0 tty=/dev/pts/0 ruser= "
	  "rhost=  user=root", "su",
	  { "event.action", "su", "event.outcome", "failure",
	    "service.name", "su", "user.name", "mity",
	    "user.target.name", "root", NULL } },
	{ "Jan 20 13:00:06 school su: BAD SU mity to root on /dev/ttyp0", "su",
	  { "event.action", "su", "event.outcome", "failure",
	    "user.name", "mity", "user.target.name", "root", NULL } },
	{ "Jan 20 13:00:06 school su: BAD SU mity to root", "su",
	  { "event.action", "su", "event.outcome", "failure",
	    "user.name", "mity", "user.target.name", "root", NULL } },
	{ "Jan 20 13:00:06 school su: mity to root on /dev/ttyp0", "su",
	  { "event.action", "su", "event.outcome", "success",
	    "user.name", "mity", "user.target.name", "root", NULL } },
	{ "Jan 20 13:00:06 school su: 'su root' succeeded for mity on "
	  "/dev/pts/1", "su",
	  { "event.action", "su", "event.outcome", "success",
	    "user.name", "mity", "user.target.name", "root", NULL } },
	{ "Jan 20 13:00:06 school su: 'su root' failed for mity on /dev/pts/1",
	  "su",
	  { "event.action", "su", "event.outcome", "failure",
	    "user.name", "mity", "user.target.name", "root", NULL } },
	/* through the content fallback: runuser is not in the table */
	{ "Jan 20 13:00:06 school runuser: FAILED RUNUSER (to root) mity on "
	  "none", "su",
	  { "event.action", "su", "event.outcome", "failure",
	    "user.name", "mity", "user.target.name", "root", NULL } },
	{ "Jan 20 13:00:06 school ksu[1]: BAD SU mity to root on /dev/pts/2",
	  "su",
	  { "event.action", "su", "event.outcome", "failure",
	    "user.name", "mity", "user.target.name", "root", NULL } },
	/* negatives */
	{ "Jan 20 13:00:06 school su[493]: pam_authenticate: Authentication "
	  "failure", NULL, { NULL } },
	{ "Jan 20 13:00:06 school su[493]: + pts/0 nocolon", NULL, { NULL } },
	{ "Jan 20 13:00:06 school su[493]: mity to root and more", NULL,
	  { NULL } },
	{ "Jan 20 13:00:06 school foo: mity to root on /dev/ttyp0", NOT_MINE,
	  { NULL } },
	{ "Jan 20 13:00:06 school foo: + pts/0 mity:root", NOT_MINE,
	  { NULL } },
};

static void
test_su(void **state)
{
	(void)state;
	RUN(su_cases);
}

/* ---- sudo ------------------------------------------------------------- */

static const struct tcase sudo_cases[] = {
	{ "Jan 20 13:00:06 school sudo:     mity : TTY=pts/0 ; PWD=/home/mity "
	  "; USER=root ; COMMAND=/bin/bash", "sudo",
	  { "event.action", "sudo", "event.outcome", "success",
	    "user.name", "mity", "user.target.name", "root", NULL } },
	{ "Jan 20 13:00:06 school sudo: mity : TTY=unknown ; PWD=/ ; "
	  "USER=postgres ; ENV=A=b ; COMMAND=/usr/bin/psql", "sudo",
	  { "event.action", "sudo", "event.outcome", "success",
	    "user.name", "mity", "user.target.name", "postgres", NULL } },
	{ "Jan 20 13:00:06 school sudo: mity : 3 incorrect password attempts "
	  "; TTY=pts/0 ; PWD=/home/mity ; USER=root ; COMMAND=/bin/bash",
	  "sudo",
	  { "event.action", "sudo", "event.outcome", "failure",
	    "user.name", "mity", "user.target.name", "root", NULL } },
	{ "Jan 20 13:00:06 school sudo: mity : 1 incorrect password attempt ; "
	  "TTY=pts/0 ; PWD=/home/mity ; USER=root ; COMMAND=/bin/bash",
	  "sudo",
	  { "event.action", "sudo", "event.outcome", "failure",
	    "user.name", "mity", "user.target.name", "root", NULL } },
	{ "Jan 20 13:00:06 school sudo: mity : user NOT in sudoers ; "
	  "TTY=pts/0 ; PWD=/home/mity ; USER=root ; COMMAND=/bin/bash",
	  "sudo",
	  { "event.action", "sudo", "event.outcome", "failure",
	    "user.name", "mity", "user.target.name", "root", NULL } },
	{ "Jan 20 13:00:06 school sudo: mity : command not allowed ; "
	  "TTY=pts/0 ; PWD=/home/mity ; USER=root ; COMMAND=/bin/sh",
	  "sudo",
	  { "event.action", "sudo", "event.outcome", "failure",
	    "user.name", "mity", "user.target.name", "root", NULL } },
	{ "Jan 20 13:00:06 school sudo: pam_unix(sudo:auth): authentication "
	  "failure; logname=mity uid=1000 euid=0 tty=/dev/pts/0 ruser=mity "
	  "rhost=  user=mity", "sudo",
	  { "event.action", "sudo", "event.outcome", "failure",
	    "service.name", "sudo", "user.name", "mity", NULL } },
	{ "Jan 20 13:00:06 school sudo: pam_unix(sudo:session): session "
	  "opened for user root(uid=0) by mity(uid=1000)", "sudo",
	  { "event.action", "session-opened", "event.outcome", "success",
	    "service.name", "sudo", "user.name", "mity",
	    "user.target.name", "root", NULL } },
	/* negatives */
	{ "Jan 20 13:00:06 school sudo: unable to resolve host school", NULL,
	  { NULL } },
	{ "Jan 20 13:00:06 school sudo: mity : something else ; TTY=pts/0",
	  NULL, { NULL } },
	{ "Jan 20 13:00:06 school sudo: pam_unix(sudo:auth): conversation "
	  "failed", NULL, { NULL } },
};

static void
test_sudo(void **state)
{
	(void)state;
	RUN(sudo_cases);
}

/* ---- PAM -------------------------------------------------------------- */

static const struct tcase pam_cases[] = {
	{ "Jan 20 13:29:07 school PAM_pwdb[548]: authentication failure; "
	  "mity(uid=543) -> root for su service", "pam",
	  { "event.action", "logon-failed", "event.outcome", "failure",
	    "service.name", "su", "user.name", "mity",
	    "user.target.name", "root", NULL } },
	{ "Jan 20 13:29:07 school PAM_unix[548]: 2 more authentication "
	  "failures; (uid=0) -> root for ssh service", "pam",
	  { "event.action", "logon-failed", "event.outcome", "failure",
	    "service.name", "ssh", "network.protocol", "ssh",
	    "user.name", "root", NULL } },
	{ "Jan 20 13:29:07 school PAM_pwdb[548]: check pass; user unknown",
	  "pam",
	  { "event.action", "invalid-user", "event.outcome", "failure",
	    NULL } },
	{ "Jan 20 13:29:07 school PAM_pwdb[1]: (login) session opened for "
	  "user mity by LOGIN(uid=0)", "pam",
	  { "event.action", "session-opened", "event.outcome", "success",
	    "service.name", "login", "user.name", "mity", NULL } },
	/* Red Hat 9 / RHEL 4: the module in the program name */
	{ "Jan 20 13:29:07 school sshd(pam_unix)[548]: authentication "
	  "failure; logname= uid=0 euid=0 tty=NODEVssh ruser= "
	  "rhost=host.example.com  user=root", "pam",
	  { "event.action", "logon-failed", "event.outcome", "failure",
	    "service.name", "sshd", "network.protocol", "ssh",
	    "source.domain", "host.example.com", "user.name", "root", NULL } },
	{ "Jan 20 13:29:07 school sshd(pam_unix)[548]: 5 more authentication "
	  "failures; logname= uid=0 euid=0 tty=NODEVssh ruser= "
	  "rhost=192.0.2.7  user=root", "pam",
	  { "event.action", "logon-failed", "event.outcome", "failure",
	    "service.name", "sshd", "network.protocol", "ssh",
	    "source.ip", "192.0.2.7", "user.name", "root", NULL } },
	{ "Jan 20 13:29:07 school sshd(pam_unix)[548]: check pass; user "
	  "unknown", "pam",
	  { "event.action", "invalid-user", "event.outcome", "failure",
	    "service.name", "sshd", "network.protocol", "ssh", NULL } },
	{ "Jan 20 13:29:07 school su(pam_unix)[1]: session opened for user "
	  "root by mity(uid=500)", "pam",
	  { "event.action", "session-opened", "event.outcome", "success",
	    "service.name", "su", "user.name", "mity",
	    "user.target.name", "root", NULL } },
	{ "Jan 20 13:29:07 school su(pam_unix)[1]: session closed for user "
	  "root", "pam",
	  { "event.action", "session-closed", "event.outcome", "success",
	    "service.name", "su", "user.target.name", "root", NULL } },
	/* Linux-PAM today, from programs outside the table */
	{ "Jan 20 13:29:07 school lightdm: pam_unix(lightdm:auth): "
	  "authentication failure; logname= uid=0 euid=0 tty=:0 ruser= "
	  "rhost=  user=mity", "pam",
	  { "event.action", "logon-failed", "event.outcome", "failure",
	    "service.name", "lightdm", "user.name", "mity", NULL } },
	{ "Jan 20 13:29:07 school systemd[1]: pam_unix(systemd-user:session):"
	  " session opened for user mity(uid=1000) by (uid=0)", "pam",
	  { "event.action", "session-opened", "event.outcome", "success",
	    "service.name", "systemd-user", "user.name", "mity", NULL } },
	{ "Jan 20 13:29:07 school cockpit-session: pam_unix(cockpit:auth): "
	  "authentication failure; logname= uid=0 euid=0 tty= ruser= "
	  "rhost=::ffff:192.0.2.1  user=admin", "pam",
	  { "event.action", "logon-failed", "event.outcome", "failure",
	    "service.name", "cockpit", "network.protocol", "http",
	    "source.ip", "192.0.2.1", "user.name", "admin", NULL } },
	{ "Jan 20 13:29:07 school gdm-password]: pam_sss(gdm-password:auth): "
	  "authentication failure; logname= uid=0 euid=0 tty=/dev/tty1 "
	  "ruser= rhost= user=mity", "pam",
	  { "event.action", "logon-failed", "event.outcome", "failure",
	    "service.name", "gdm-password", "user.name", "mity", NULL } },
	/* sshguard's Cockpit section, bare messages */
	{ "pam_unix(cockpit:auth): authentication failure; logname= uid=0 "
	  "euid=0 tty= ruser= rhost=172.22.10.15 user=jeff", "pam",
	  { "event.action", "logon-failed", "event.outcome", "failure",
	    "service.name", "cockpit", "network.protocol", "http",
	    "source.ip", "172.22.10.15", "user.name", "jeff", NULL } },
	{ "pam_unix(cockpit:auth): authentication failure; logname= uid=0 "
	  "euid=0 tty= ruser= rhost=2001:db8::a11:beef:7ac0 user=root", "pam",
	  { "event.action", "logon-failed", "event.outcome", "failure",
	    "service.name", "cockpit", "network.protocol", "http",
	    "source.ip", "2001:db8::a11:beef:7ac0", "user.name", "root",
	    NULL } },
	{ "pam_unix(cockpit:auth): authentication failure; logname= uid=0 "
	  "euid=0 tty= ruser= rhost=172.22.10.15", "pam",
	  { "event.action", "logon-failed", "event.outcome", "failure",
	    "service.name", "cockpit", "network.protocol", "http",
	    "source.ip", "172.22.10.15", NULL } },
	{ "pam_unix(cockpit:auth): authentication failure; logname= uid=0 "
	  "euid=0 tty= ruser= rhost=2001:db8::a11:beef:7ac1", "pam",
	  { "event.action", "logon-failed", "event.outcome", "failure",
	    "service.name", "cockpit", "network.protocol", "http",
	    "source.ip", "2001:db8::a11:beef:7ac1", NULL } },
	{ "pam_unix(cockpit:auth): authentication failure; logname= uid=0 "
	  "euid=0 tty= ruser= rhost=172.22.10.15  user=jeff", "pam",
	  { "event.action", "logon-failed", "event.outcome", "failure",
	    "service.name", "cockpit", "network.protocol", "http",
	    "source.ip", "172.22.10.15", "user.name", "jeff", NULL } },
	{ "pam_unix(cockpit:auth): authentication failure; logname= uid=0 "
	  "euid=0 tty= ruser= rhost=2001:db8::a11:beef:7ac1  user=jeff", "pam",
	  { "event.action", "logon-failed", "event.outcome", "failure",
	    "service.name", "cockpit", "network.protocol", "http",
	    "source.ip", "2001:db8::a11:beef:7ac1", "user.name", "jeff",
	    NULL } },
	/* sshguard's dovecot line: ruser is not the account */
	{ "pam_unix(dovecot:auth): authentication failure; logname= uid=0 "
	  "euid=0 tty=dovecot ruser=webmaster@raffalli.eu rhost=80.94.95.229",
	  "pam",
	  { "event.action", "logon-failed", "event.outcome", "failure",
	    "service.name", "dovecot", "source.ip", "80.94.95.229", NULL } },
	/* negatives: not PAM's, whatever the words */
	{ "May 04 23:45:19 deb12-pve pvedaemon[2352]: authentication failure; "
	  "rhost=::ffff:192.0.2.74 user=tester@pve msg=Authentication failure",
	  NOT_MINE, { NULL } },
	{ "Jan 20 13:29:07 school foo: session opened for user root by "
	  "(uid=0)", NOT_MINE, { NULL } },
	{ "Jan 20 13:29:07 school foo: check pass; user unknown", NOT_MINE,
	  { NULL } },
	{ "Jan 20 13:29:07 school foo[1]: pam_succeed_if(sshd:auth): "
	  "requirement \"uid >= 1000\" not met by user \"root\"", NOT_MINE,
	  { NULL } },
	{ "Jan 20 13:29:07 school foo[1]: pam_unix(x y:auth): authentication "
	  "failure; logname= uid=0", NOT_MINE, { NULL } },
	{ "Jan 20 13:29:07 school foo[1]: (su) something else entirely",
	  NOT_MINE, { NULL } },
	{ "Jan 20 13:29:07 school PAM_pwdb[1]: authentication failure; "
	  "(uid=0) -> root for sshd", NOT_MINE, { NULL } },
};

static void
test_pam(void **state)
{
	static const char *const sshd_fail[] = { "event.action",
	    "logon-failed", "event.outcome", "failure", "service.name", "sshd",
	    "network.protocol", "ssh", "source.ip", "192.0.2.7", "user.name",
	    "root", NULL };
	static const char *const sshd_more[] = { "event.action",
	    "logon-failed", "event.outcome", "failure", "service.name", "sshd",
	    "network.protocol", "ssh", "source.ip", "2001:db8::1", "user.name",
	    "jeff", NULL };
	static const char *const sshd_unknown[] = { "event.action",
	    "invalid-user", "event.outcome", "failure", "service.name", "sshd",
	    "network.protocol", "ssh", NULL };
	static const char *const sshd_open[] = { "event.action",
	    "session-opened", "event.outcome", "success", "service.name",
	    "sshd", "network.protocol", "ssh", "user.name", "mity", NULL };
	static const char *const login_fail[] = { "event.action",
	    "logon-failed", "event.outcome", "failure", "service.name", "login",
	    "source.domain", "evil.example", "user.name", "guest", NULL };

	(void)state;
	RUN(pam_cases);
	/* sshd's and login's own lines: the PAM decoder by itself */
	direct(ks_dec_pam, "sshd", "pam_unix(sshd:auth): authentication "
	    "failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.7  "
	    "user=root", true, sshd_fail);
	direct(ks_dec_pam, "sshd", "PAM 2 more authentication failures; "
	    "logname= uid=0 euid=0 tty=ssh ruser= rhost=2001:db8::1  user=jeff",
	    true, sshd_more);
	direct(ks_dec_pam, "sshd", "PAM 1 more authentication failure; "
	    "logname= uid=0 euid=0 tty=ssh ruser= rhost=2001:db8::1  user=jeff",
	    true, sshd_more);
	direct(ks_dec_pam, "sshd", "pam_unix(sshd:auth): check pass; user "
	    "unknown", true, sshd_unknown);
	direct(ks_dec_pam, "sshd", "pam_unix(sshd:session): session opened "
	    "for user mity(uid=1000) by (uid=0)", true, sshd_open);
	direct(ks_dec_pam, "login", "pam_unix(login:auth): authentication "
	    "failure; logname=LOGIN uid=0 euid=0 tty=pts/3 ruser= "
	    "rhost=evil.example.  user=guest", true, login_fail);
	direct(ks_dec_pam, "sshd", "error: PAM: authentication failure for "
	    "mario from 6.6.6.0", false, NULL);
	direct(ks_dec_pam, "sshd", "Accepted password for mity from 192.0.2.7 "
	    "port 22 ssh2", false, NULL);
	direct(ks_dec_pam, "sshd", "pam_", false, NULL);
	direct(ks_dec_pam, "sshd", "pam_unix(sshd:auth", false, NULL);
	direct(ks_dec_pam, "sshd", "pam_unix(sshd:session): session opened "
	    "for user ", false, NULL);
	direct(ks_dec_pam, "", "1 more authentication failure; (uid=0) -> ",
	    false, NULL);
	direct(ks_dec_pam, "", "(sshd) session opened for user", false, NULL);
}

/* ---- RPC -------------------------------------------------------------- */

static const struct tcase rpc_cases[] = {
	{ "Jun 23 10:00:00 asite rpc.statd[410]: gethostbyname error for "
	  "^X\xf7\xff\xbf^X\xf7\xff\xbf%8x%8x%8x%236x%n%137x%n\x90\x90\x90",
	  "rpc",
	  { "event.action", "rpc-request", "network.protocol", "rpc",
	    "url.original", "^X\xf7\xff\xbf^X\xf7\xff\xbf%8x%8x%8x%236x%n"
	    "%137x%n\x90\x90\x90", NULL } },
	{ "Jun 23 10:00:00 asite rpc.statd[410]: SM_MON request for hostname "
	  "containing '/': ../../../../etc/hosts.equiv", "rpc",
	  { "event.action", "rpc-request", "event.outcome", "failure",
	    "network.protocol", "rpc",
	    "url.original", "../../../../etc/hosts.equiv", NULL } },
	{ "Jun 23 10:00:00 asite rpc.statd[410]: SM_MON request for hostname "
	  "containing '/' or starting '.': .rhosts", "rpc",
	  { "event.action", "rpc-request", "event.outcome", "failure",
	    "network.protocol", "rpc", "url.original", ".rhosts", NULL } },
	{ "Jun 23 10:00:00 asite statd[123]: attempt to create "
	  "\"/var/statmon/sm/../../../../tmp/.x\"", "rpc",
	  { "event.action", "rpc-request", "network.protocol", "rpc",
	    "url.original", "\"/var/statmon/sm/../../../../tmp/.x\"", NULL } },
	{ "Jun 23 10:00:00 asite rpc.statd[9864]: Call to statd from "
	  "non-local host 192.168.0.5", "rpc",
	  { "event.action", "rpc-request", "event.outcome", "failure",
	    "network.protocol", "rpc", "source.ip", "192.168.0.5", NULL } },
	{ "Jun 23 10:00:00 asite rpc.statd[9864]: STAT_FAIL to rechner5 for "
	  "SM_MON of 192.168.0.4", "rpc",
	  { "event.action", "rpc-request", "event.outcome", "failure",
	    "network.protocol", "rpc", "url.original", "192.168.0.4", NULL } },
	{ "Aug 27 18:10:59 jaguar rpc.mountd[1147]: authenticated mount "
	  "request from 200.228.1.116:909 for /home/share (/home/share)", "rpc",
	  { "event.action", "rpc-request", "event.outcome", "success",
	    "network.protocol", "rpc", "source.ip", "200.228.1.116",
	    "source.port", "909", "url.original", "/home/share", NULL } },
	{ "Feb 10 19:51:09 NetCenter mountd[26698]: authenticated mount "
	  "request from st-0001:894 for /mountpoint (/mountpoint)", "rpc",
	  { "event.action", "rpc-request", "event.outcome", "success",
	    "network.protocol", "rpc", "source.domain", "st-0001",
	    "source.port", "894", "url.original", "/mountpoint", NULL } },
	{ "Apr 30 21:06:28 ryan rpc.mountd: authenticated unmount request "
	  "from ryan-lap.domain.local:683 for /home/ryan/Ongoing "
	  "(/home/ryan/Ongoing)", "rpc",
	  { "event.action", "rpc-request", "event.outcome", "success",
	    "network.protocol", "rpc", "source.domain", "ryan-lap.domain.local",
	    "source.port", "683", "url.original", "/home/ryan/Ongoing",
	    NULL } },
	{ "May  9 22:30:01 Unraid mountd[30694]: refused mount request from "
	  "192.168.1.25 for /mnt/user/rA (/): not exported", "rpc",
	  { "event.action", "rpc-request", "event.outcome", "failure",
	    "network.protocol", "rpc", "source.ip", "192.168.1.25",
	    "url.original", "/mnt/user/rA", NULL } },
	{ "May 13 17:27:00 protein mountd[3874]: refused mount request from "
	  "quinn for /home (/): not exported", "rpc",
	  { "event.action", "rpc-request", "event.outcome", "failure",
	    "network.protocol", "rpc", "source.domain", "quinn",
	    "url.original", "/home", NULL } },
	{ "Feb  4 03:42:47 NetCenter rpc.mountd: mount request from unknown "
	  "host 127.0.0.1 for /mountpoint (/mountpoint)", "rpc",
	  { "event.action", "rpc-request", "event.outcome", "failure",
	    "network.protocol", "rpc", "source.ip", "127.0.0.1",
	    "url.original", "/mountpoint", NULL } },
	{ "Jul 29 17:03:39 roulade rpc.mountd: bad path in mount request from "
	  "139.153.168.129: \"139.153.168.134:/clients/root/sauerkraut\"",
	  "rpc",
	  { "event.action", "rpc-request", "event.outcome", "failure",
	    "network.protocol", "rpc", "source.ip", "139.153.168.129",
	    "url.original", "139.153.168.134:/clients/root/sauerkraut",
	    NULL } },
	{ "Jun 23 10:00:00 bsd mountd[99]: mount request denied from "
	  "192.0.2.9 for /export", "rpc",
	  { "event.action", "rpc-request", "event.outcome", "failure",
	    "network.protocol", "rpc", "source.ip", "192.0.2.9",
	    "url.original", "/export", NULL } },
	{ "Jun 23 10:00:00 bsd mountd[99]: mount request succeeded from "
	  "192.0.2.9 for /export", "rpc",
	  { "event.action", "rpc-request", "event.outcome", "success",
	    "network.protocol", "rpc", "source.ip", "192.0.2.9",
	    "url.original", "/export", NULL } },
	{ "Jun 23 10:00:00 asite mountd[99]: Unauthorized RPC request from "
	  "192.0.2.9", "rpc",
	  { "event.action", "rpc-request", "event.outcome", "failure",
	    "network.protocol", "rpc", "source.ip", "192.0.2.9", NULL } },
	{ "Jun 23 10:00:00 asite rpc.mountd[99]: Unauthorized access by NFS "
	  "client 192.0.2.9.", "rpc",
	  { "event.action", "rpc-request", "event.outcome", "failure",
	    "network.protocol", "rpc", "source.ip", "192.0.2.9", NULL } },
	{ "Jul 28 20:02:42 tony portmap[22459]: connect from 127.0.0.1 to "
	  "unset(status): request from unprivileged port", "rpc",
	  { "event.action", "rpc-request", "event.outcome", "failure",
	    "network.protocol", "rpc", "source.ip", "127.0.0.1",
	    "url.original", "unset(status)", "service.name", "status", NULL } },
	{ "Jun 23 10:00:00 asite portmap[1]: connect from 192.0.2.9 to "
	  "getport(mountd): request from unprivileged port", "rpc",
	  { "event.action", "rpc-request", "event.outcome", "failure",
	    "network.protocol", "rpc", "source.ip", "192.0.2.9",
	    "url.original", "getport(mountd)", "service.name", "mountd",
	    NULL } },
	{ "Jun 23 10:00:00 asite rpcbind[1]: connect from 192.0.2.9 to dump()"
	  ": request from unauthorized host", "rpc",
	  { "event.action", "rpc-request", "event.outcome", "failure",
	    "network.protocol", "rpc", "source.ip", "192.0.2.9",
	    "url.original", "dump()", NULL } },
	{ "Jun 23 10:00:00 asite portmap[1]: connect from 192.0.2.9 to "
	  "getport(status)", "rpc",
	  { "event.action", "rpc-request", "event.outcome", "success",
	    "network.protocol", "rpc", "source.ip", "192.0.2.9",
	    "url.original", "getport(status)", "service.name", "status",
	    NULL } },
	/* the daemon's name repeated in the message, from a stranger */
	{ "Jun 23 10:00:00 asite nfs: rpc.mountd: refused mount request from "
	  "192.0.2.9 for /x (/): not exported", "rpc",
	  { "event.action", "rpc-request", "event.outcome", "failure",
	    "network.protocol", "rpc", "source.ip", "192.0.2.9",
	    "url.original", "/x", NULL } },
	/* negatives */
	{ "Jul 28 20:02:42 tony rpc.statd[4693]: Caught signal 15, "
	  "un-registering and exiting.", NULL, { NULL } },
	{ "Aug 26 08:19:14 lfcs rpc.mountd[5647]: Version 1.3.3 starting", NULL,
	  { NULL } },
	{ "Jun 23 10:00:00 asite rpc.mountd[1]: getfh failed: Operation not "
	  "permitted", NULL, { NULL } },
	{ "Jun 23 10:00:00 asite foo: open of /etc/passwd", NOT_MINE,
	  { NULL } },
	{ "Jun 23 10:00:00 asite foo: gethostbyname error for x", NOT_MINE,
	  { NULL } },
	{ "Jun 23 10:00:00 asite attempt to create x", NOT_MINE, { NULL } },
	/* a bare message that names the daemon is read */
	{ "statd: open of /var/statmon/sm/`id`", "rpc",
	  { "event.action", "rpc-request", "network.protocol", "rpc",
	    "url.original", "/var/statmon/sm/`id`", NULL } },
	{ "refused mount request from 192.0.2.9 for /x (/): not exported",
	  "rpc",
	  { "event.action", "rpc-request", "event.outcome", "failure",
	    "network.protocol", "rpc", "source.ip", "192.0.2.9",
	    "url.original", "/x", NULL } },
	{ "Jul 28 20:02:42 tony nfslock: rpc.statd shutdown succeeded",
	  NOT_MINE, { NULL } },
	{ "Jun 23 10:00:00 asite portmap[1]: connect from 192.0.2.9 to nothing",
	  NOT_MINE, { NULL } },
};

static void
test_rpc(void **state)
{
	(void)state;
	RUN(rpc_cases);
}

/* ---- named ------------------------------------------------------------ */

#define Q(ip, port, name) \
	"event.action", "dns-query", "network.protocol", "dns", \
	"source.ip", ip, "source.port", port, "dns.question.name", name

static const struct tcase named_cases[] = {
	{ "Jul 28 08:45:16 router1 named[135105]: client @0x7f13c4158c00 "
	  "1.2.3.4#3074 (example.com): query: example.com IN A +E(0)K "
	  "(192.0.2.1)", "named",
	  { Q("1.2.3.4", "3074", "example.com"), NULL } },
	{ "Mar 22 03:14:07 srv01 named[88]: client 192.0.2.8#53: query: "
	  "cb02.arl.mil IN A", "named",
	  { Q("192.0.2.8", "53", "cb02.arl.mil"), NULL } },
	{ "Mar 22 03:14:07 srv01 named[88]: client 192.0.2.8#1234 "
	  "(cb02.arl.mil): query: cb02.arl.mil IN A +", "named",
	  { Q("192.0.2.8", "1234", "cb02.arl.mil"), NULL } },
	{ "Mar 22 03:14:07 srv01 named[88]: client 192.0.2.8#1234: view "
	  "external: query: www.navy.mil IN AAAA -E(0)", "named",
	  { Q("192.0.2.8", "1234", "www.navy.mil"), NULL } },
	{ "Mar 22 03:14:07 srv01 named[88]: client @0x55d0 2001:db8::53#5353 "
	  "(a.example): view internal: query: a.example IN A +", "named",
	  { Q("2001:db8::53", "5353", "a.example"), NULL } },
	{ "Mar 22 03:14:07 srv01 named[88]: queries: info: client @0x55d0 "
	  "192.0.2.8#1234 (x.example): query: x.example IN MX +", "named",
	  { Q("192.0.2.8", "1234", "x.example"), NULL } },
	/* sshguard's BIND section: the opening quote is missing */
	{ "Jul 28 08:45:16 router1 named[135105]: client @0x7f13c4158c00 "
	  "1.2.3.4#3074 (example.com): query (cache) example.com/RRSIG/IN' "
	  "denied", "named",
	  { Q("1.2.3.4", "3074", "example.com"), "event.outcome", "failure",
	    NULL } },
	{ "Jul 28 08:45:16 router1 named[135105]: client @0x7f13c4158c00 "
	  "1.2.3.4#3074 (example.com): query (cache) 'example.com/RRSIG/IN' "
	  "denied (allow-query-cache did not match)", "named",
	  { Q("1.2.3.4", "3074", "example.com"), "event.outcome", "failure",
	    NULL } },
	{ "Jul 28 08:45:16 router1 named[1]: client 1.2.3.4#3074: query "
	  "'www.example.com/A/IN' denied", "named",
	  { Q("1.2.3.4", "3074", "www.example.com"), "event.outcome",
	    "failure", NULL } },
	{ "Jul 28 08:45:16 router1 named[1]: client @0x1 198.51.100.7#41000 "
	  "(example.com): zone transfer 'example.com/AXFR/IN' denied",
	  "named",
	  { Q("198.51.100.7", "41000", "example.com"), "event.outcome",
	    "failure", NULL } },
	{ "Jul 28 08:45:16 router1 named[1]: client 198.51.100.7#41000: bad "
	  "zone transfer request: 'example.com/IN': non-authoritative zone "
	  "(NOTAUTH)", "named",
	  { Q("198.51.100.7", "41000", "example.com"), "event.outcome",
	    "failure", NULL } },
	{ "Jul 28 08:45:16 router1 named[1]: client 198.51.100.7#41000: "
	  "update 'example.com/IN' denied", "named",
	  { Q("198.51.100.7", "41000", "example.com"), "event.outcome",
	    "failure", NULL } },
	{ "Jul 28 08:45:16 router1 named[1]: client @0x1 192.0.2.53#40000 "
	  "(example.com): transfer of 'example.com/IN': AXFR started (serial "
	  "2023010101)", "named",
	  { Q("192.0.2.53", "40000", "example.com"), "event.outcome",
	    "success", NULL } },
	/* BIND 4 and 8 */
	{ "Mar 22 03:14:07 srv01 named[88]: XX+/192.0.2.8/cb02.arl.mil/A/IN",
	  "named",
	  { "event.action", "dns-query", "network.protocol", "dns",
	    "source.ip", "192.0.2.8", "dns.question.name", "cb02.arl.mil",
	    NULL } },
	{ "Mar 22 03:14:07 srv01 named[88]: XX /192.0.2.8/cb02.arl.mil/A",
	  "named",
	  { "event.action", "dns-query", "network.protocol", "dns",
	    "source.ip", "192.0.2.8", "dns.question.name", "cb02.arl.mil",
	    NULL } },
	{ "Mar 22 03:14:07 srv01 named[88]: XX+/192.0.2.8/"
	  "0/25.2.0.192.in-addr.arpa/PTR/IN", "named",
	  { "event.action", "dns-query", "network.protocol", "dns",
	    "source.ip", "192.0.2.8",
	    "dns.question.name", "0/25.2.0.192.in-addr.arpa", NULL } },
	{ "Mar 22 03:14:07 srv01 named[88]: unapproved query from "
	  "[192.0.2.8].1234 for \"example.com\"", "named",
	  { Q("192.0.2.8", "1234", "example.com"), "event.outcome", "failure",
	    NULL } },
	{ "Mar 22 03:14:07 srv01 named[88]: unapproved AXFR from "
	  "[192.0.2.8].1234 for \"example.com\" (acl)", "named",
	  { Q("192.0.2.8", "1234", "example.com"), "event.outcome", "failure",
	    NULL } },
	{ "Mar 22 03:14:07 srv01 named[88]: approved AXFR from "
	  "[192.0.2.8].1234 for \"example.com\"", "named",
	  { Q("192.0.2.8", "1234", "example.com"), "event.outcome", "success",
	    NULL } },
	/* through the content fallback (no program) */
	{ "client 192.0.2.8#53: query: cb02.arl.mil IN A", "named",
	  { Q("192.0.2.8", "53", "cb02.arl.mil"), NULL } },
	/* negatives */
	{ "Jul 28 08:45:16 router1 named[1]: unexpected RCODE (SERVFAIL) "
	  "resolving 'x.example/A/IN': 192.0.2.1#53", NULL, { NULL } },
	{ "Jul 28 08:45:16 router1 named[1]: lame server resolving 'x' (in "
	  "'x'?): 192.0.2.1#53", NULL, { NULL } },
	{ "Jul 28 08:45:16 router1 named[1]: zone example.com/IN: loaded "
	  "serial 1", NULL, { NULL } },
	{ "Jul 28 08:45:16 router1 named[1]: client 1.2.3.4#53: received "
	  "notify for zone 'example.com'", NULL, { NULL } },
	{ "Jul 28 08:45:16 router1 named[1]: client 1.2.3.4: query: x IN A",
	  NULL, { NULL } },
	{ "Jul 28 08:45:16 router1 named[1]: XX+/not an address/x/A/IN", NULL,
	  { NULL } },
	{ "Jul 28 08:45:16 router1 foo: XX+/192.0.2.8/cb02.arl.mil/A/IN",
	  NOT_MINE, { NULL } },
};

static void
test_named(void **state)
{
	(void)state;
	RUN(named_cases);
}

/* ---- system ----------------------------------------------------------- */

#define RSYSLOG "[origin software=\"rsyslogd\" swVersion=\"8.2302.0\" " \
	"x-pid=\"1\" x-info=\"https://www.rsyslog.com\"]"

static const struct tcase system_cases[] = {
	{ "Nov 21 23:49:45 host kernel: [    0.000000] Linux version "
	  "6.1.0-13-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian "
	  "12.2.0-14) 12.2.0) #1 SMP PREEMPT_DYNAMIC Debian 6.1.55-1 "
	  "(2023-09-29)", "system", { "event.action", "boot", NULL } },
	{ "Nov 21 23:49:45 host kernel: Linux version 6.1.0-13-amd64 "
	  "(debian-kernel@lists.debian.org)", "system",
	  { "event.action", "boot", NULL } },
	{ "Apr  3 10:53:38 bsd kernel: FreeBSD 4.8-RELEASE #0: Thu Apr  3 "
	  "10:53:38 GMT 2003", "system", { "event.action", "boot", NULL } },
	{ "Nov 21 23:49:45 host kernel: imklog 8.2302.0, log source = "
	  "/proc/kmsg started.", "system",
	  { "event.action", "syslog-start", NULL } },
	{ "Nov 21 23:49:45 host kernel: reboot: Restarting system", "system",
	  { "event.action", "shutdown", NULL } },
	{ "Nov 21 23:49:45 host kernel: [ 1234.5678] reboot: Power down",
	  "system", { "event.action", "shutdown", NULL } },
	{ "Jan 20 12:57:35 school kernel: Restarting system.", "system",
	  { "event.action", "shutdown", NULL } },
	{ "Nov 21 23:49:45 host rsyslogd: " RSYSLOG " start", "system",
	  { "event.action", "syslog-start", NULL } },
	{ "2023-11-21T23:49:45.123456+00:00 host rsyslogd[12]: " RSYSLOG
	  " exiting on signal 15.", "system",
	  { "event.action", "syslog-stop", NULL } },
	{ "Nov 21 23:49:45 host syslogd: exiting on signal 15", "system",
	  { "event.action", "syslog-stop", NULL } },
	{ "Nov 21 23:49:45 host syslogd: restart", "system",
	  { "event.action", "syslog-start", NULL } },
	{ "Nov 21 23:49:45 host syslogd 1.4.1#17: restart (remote reception).",
	  "system", { "event.action", "syslog-start", NULL } },
	{ "Nov 21 23:49:45 host rsyslog: rsyslogd startup succeeded", "system",
	  { "event.action", "syslog-start", "event.outcome", "success",
	    NULL } },
	{ "Nov 21 23:49:45 host syslog: syslogd shutdown failed", "system",
	  { "event.action", "syslog-stop", "event.outcome", "failure", NULL } },
	{ "Nov 21 23:49:45 host init: Entering runlevel: 3", "system",
	  { "event.action", "runlevel", NULL } },
	{ "Nov 21 23:49:45 host init: Switching to runlevel: 1", "system",
	  { "event.action", "runlevel", NULL } },
	{ "Nov 21 23:49:45 host init: Switching to runlevel: 0", "system",
	  { "event.action", "shutdown", NULL } },
	{ "Nov 21 23:49:45 host shutdown[4242]: shutting down for system "
	  "reboot", "system", { "event.action", "shutdown", NULL } },
	{ "Nov 21 23:49:45 host shutdown[4242]: shutting down for system halt",
	  "system", { "event.action", "shutdown", NULL } },
	{ "Nov 21 23:49:45 bsd shutdown: reboot by root: new kernel", "system",
	  { "event.action", "shutdown", "user.name", "root", NULL } },
	{ "Nov 21 23:49:45 bsd shutdown: halt by mity:", "system",
	  { "event.action", "shutdown", "user.name", "mity", NULL } },
	/* through the content fallback */
	{ "Dec  7 01:02:03 deb systemd-logind[512]: System is rebooting.",
	  "system", { "event.action", "shutdown", NULL } },
	{ "Dec  7 01:02:03 deb systemd-logind[512]: System is powering down.",
	  "system", { "event.action", "shutdown", NULL } },
	{ "Dec  7 01:02:03 deb systemd-logind[512]: New session 4 of user "
	  "alice.", NULL, { NULL } },
	{ "Dec  7 01:02:03 deb systemd[1]: Started session-4.scope - Session "
	  "4 of User alice.", NULL, { NULL } },
	{ "Dec  7 01:02:03 deb systemd[1]: logrotate.service: Deactivated "
	  "successfully.", NULL, { NULL } },
	{ "Nov 21 23:49:45 bsd reboot: rebooted by root", "system",
	  { "event.action", "shutdown", "user.name", "root", NULL } },
	{ "Nov 21 23:49:45 host exiting on signal 2", "system",
	  { "event.action", "syslog-stop", NULL } },
	/* negatives */
	{ "Nov 21 23:49:45 host kernel: Command line: "
	  "BOOT_IMAGE=/boot/vmlinuz-6.1.0-13-amd64 root=UUID=x ro quiet", NULL,
	  { NULL } },
	{ "Nov 21 23:49:45 host kernel: Kernel command line: "
	  "BOOT_IMAGE=/vmlinuz ro", NULL, { NULL } },
	{ "Nov 21 23:49:45 host kernel: Linux version", NULL, { NULL } },
	{ "Nov 21 23:49:45 host kernel: [", NULL, { NULL } },
	{ "Nov 21 23:49:45 host rsyslogd: rsyslogd's groupid changed to 110",
	  NULL, { NULL } },
	{ "Nov 21 23:49:45 host rsyslogd: rsyslogd's userid changed to 104",
	  NULL, { NULL } },
	{ "Nov 21 23:49:45 host rsyslogd: " RSYSLOG " rsyslogd was HUPed", NULL,
	  { NULL } },
	{ "Nov 21 23:49:45 host init: Re-reading inittab", NULL, { NULL } },
	{ "Nov 21 23:49:45 host init: Switching to runlevel: ", NULL,
	  { NULL } },
	{ "Jul 28 20:02:42 tony ntpd[4941]: ntpd exiting on signal 15",
	  NOT_MINE, { NULL } },
	{ "Jul 28 20:02:42 tony dhcpd: exiting on signal 15", NOT_MINE,
	  { NULL } },
	{ "Jul 28 20:02:42 tony foo: restart.", NOT_MINE, { NULL } },
	{ "Jul 28 20:02:42 tony foo: Linux version 2.2.25 (root@x)", NOT_MINE,
	  { NULL } },
	{ "Jul 28 20:02:42 tony foo: shutting down for system reboot",
	  NOT_MINE, { NULL } },
	{ "Jul 28 20:02:42 tony irqbalance: irqbalance shutdown succeeded",
	  NOT_MINE, { NULL } },
};

static void
test_system(void **state)
{
	(void)state;
	RUN(system_cases);
}

/* ---- cron ------------------------------------------------------------- */

static const struct tcase cron_cases[] = {
	{ "Aug 27 15:17:01 jaguar CRON[9092]: (root) CMD (   cd / && "
	  "run-parts --report /etc/cron.hourly)", "cron",
	  { "event.action", "cron-command", "user.name", "root", NULL } },
	{ "Jan 20 13:01:00 school crond[600]: (root) CMD (run-parts "
	  "/etc/cron.hourly)", "cron",
	  { "event.action", "cron-command", "user.name", "root", NULL } },
	{ "Jan 20 13:01:00 school cron[600]: (root) RELOAD (/etc/crontab)",
	  "cron", { "user.name", "root", NULL } },
	{ "Jan 20 13:01:00 school crontab[700]: (mity) REPLACE (mity)", "cron",
	  { "user.name", "mity", NULL } },
	{ "Jan 20 13:01:00 school crontab[700]: (mity) BEGIN EDIT (mity)",
	  "cron", { "user.name", "mity", NULL } },
	{ "Jan 20 13:01:00 school crontab[700]: (mity) END EDIT (mity)", "cron",
	  { "user.name", "mity", NULL } },
	{ "Jan 20 13:01:00 school crontab[700]: (root) LIST (root)", "cron",
	  { "user.name", "root", NULL } },
	{ "Jan 20 13:01:00 bsd /usr/sbin/cron[123]: (operator) CMD "
	  "(/usr/libexec/save-entropy)", "cron",
	  { "event.action", "cron-command", "user.name", "operator", NULL } },
	{ "Jan 20 13:01:00 school CRON[9092]: pam_unix(cron:session): session "
	  "opened for user root(uid=0) by (uid=0)", "cron",
	  { "event.action", "session-opened", "event.outcome", "success",
	    "service.name", "cron", "user.name", "root", NULL } },
	{ "Jan 20 13:01:00 school CRON[9092]: pam_unix(cron:session): session "
	  "closed for user root", "cron",
	  { "event.action", "session-closed", "event.outcome", "success",
	    "service.name", "cron", "user.name", "root", NULL } },
	{ "Jan 20 13:01:00 school crond[9092]: pam_unix(crond:session): "
	  "session opened for user root by (uid=0)", "cron",
	  { "event.action", "session-opened", "event.outcome", "success",
	    "service.name", "crond", "user.name", "root", NULL } },
	/* negatives */
	{ "Jan 20 13:01:00 school cron[600]: (CRON) INFO (pidfile fd = 3)",
	  NULL, { NULL } },
	{ "Jan 20 13:01:00 school cron[600]: (*system*) RELOAD (/etc/crontab)",
	  NULL, { NULL } },
	{ "Jan 20 13:01:00 school cron[600]: (root) whatever (x)", NULL,
	  { NULL } },
	{ "Jan 20 13:01:00 school crond: crond shutdown succeeded", NULL,
	  { NULL } },
	{ "Jan 20 13:01:00 school crond: (", NULL, { NULL } },
	{ "Jan 20 13:01:00 school foo: (bar) something", NOT_MINE, { NULL } },
};

static void
test_cron(void **state)
{
	(void)state;
	RUN(cron_cases);
}

/* ---- the seed logs ---------------------------------------------------- */

struct seed_line {
	unsigned line;
	const char *dec;
	const char *f[MAXF];
};

#define PWDB_ROOT_SSHD { "event.action", "logon-failed", \
	"event.outcome", "failure", "service.name", "sshd", \
	"network.protocol", "ssh", "user.name", "root", NULL }
#define SSHD_OPEN { "event.action", "session-opened", \
	"event.outcome", "success", "service.name", "sshd", \
	"network.protocol", "ssh", "user.name", "mity", NULL }
#define SSHD_CLOSED { "event.action", "session-closed", \
	"event.outcome", "success", "service.name", "sshd", \
	"network.protocol", "ssh", "user.name", "mity", NULL }
#define SU_OPEN(by, to) { "event.action", "session-opened", \
	"event.outcome", "success", "service.name", "su", \
	"user.name", by, "user.target.name", to, NULL }
#define SU_OPEN_ANON(to) { "event.action", "session-opened", \
	"event.outcome", "success", "service.name", "su", \
	"user.target.name", to, NULL }
#define SU_CLOSED(to) { "event.action", "session-closed", \
	"event.outcome", "success", "service.name", "su", \
	"user.target.name", to, NULL }

static const struct seed_line failed_root[] = {
	{ 3, "pam", PWDB_ROOT_SSHD },
	{ 7, "pam", PWDB_ROOT_SSHD },
	{ 0, NULL, { NULL } },
};

static const struct seed_line reboot[] = {
	{ 1, "system", { "event.action", "shutdown", NULL } },
	{ 14, "system", { "event.action", "syslog-stop", NULL } },
	{ 15, "system", { "event.action", "syslog-stop", NULL } },
	{ 16, "system", { "event.action", "syslog-stop", "event.outcome",
	    "success", NULL } },
	{ 17, "system", { "event.action", "syslog-stop", NULL } },
	{ 18, "system", { "event.action", "syslog-start", NULL } },
	{ 19, "system", { "event.action", "syslog-start", "event.outcome",
	    "success", NULL } },
	{ 20, "system", { "event.action", "syslog-start", NULL } },
	{ 22, "system", { "event.action", "syslog-start", "event.outcome",
	    "success", NULL } },
	{ 26, "system", { "event.action", "boot", NULL } },
	{ 111, "pam", SU_OPEN_ANON("postgres") },
	{ 112, "pam", SU_CLOSED("postgres") },
	{ 121, "pam", SSHD_OPEN },
	{ 122, "pam", SU_OPEN("mity", "root") },
	{ 0, NULL, { NULL } },
};

static const struct seed_line su_log[] = {
	{ 3, "pam", PWDB_ROOT_SSHD },
	{ 4, "pam", SU_CLOSED("root") },
	{ 5, "pam", SSHD_CLOSED },
	{ 9, "pam", SSHD_OPEN },
	{ 10, "pam", SU_OPEN("mity", "root") },
	{ 0, NULL, { NULL } },
};

static const struct seed_line statd[] = {
	{ 1, "rpc", { "event.action", "rpc-request", "network.protocol",
	    "rpc", "url.original", "/var/statmon/sm/;", NULL } },
	{ 0, NULL, { NULL } },
};

/*
 * Every line of a seed log: the listed lines decode exactly so; the rest
 * (sshd's lines, the kernel's hardware, other daemons) by none of these
 * decoders.  Returns the number of lines read.
 */
static unsigned
run_seed(const char *name, const struct seed_line *want)
{
	const char *dir = getenv("KS_TESTDATA");
	char path[4096], line[8192], label[8300];
	struct ks_framer fr;
	unsigned n = 0, listed = 0;
	FILE *fp;

	if (dir == NULL)
		dir = "tests/data";
	snprintf(path, sizeof(path), "%s/samples/%s", dir, name);
	fp = fopen(path, "r");
	if (fp == NULL)
		fail_msg("cannot open %s", path);
	ks_framer_init(&fr, &tz_utc, 2003, true);
	while (fgets(line, sizeof(line), fp) != NULL) {
		const struct seed_line *w;
		struct ks_event ev;
		size_t len = strcspn(line, "\n");

		n++;
		frame(&fr, line, len, &ev);
		line[len] = '\0';
		snprintf(label, sizeof(label), "%s:%u: %s", name, n, line);
		for (w = want; w->line != 0 && w->line != n; w++)
			;
		if (w->line == n) {
			listed++;
			check_event(label, &ev, w->dec, w->f);
		} else {
			check_event(label, &ev, NOT_MINE, w->f);
		}
	}
	fclose(fp);
	for (const struct seed_line *w = want; w->line != 0; w++)
		if (w->line > n)
			fail_msg("%s has no line %u", name, w->line);
	assert_true(listed > 0);
	return n;
}

static void
test_seeds(void **state)
{
	(void)state;
	assert_int_equal(run_seed("seed002-school-messages-failed-root.log",
	    failed_root), 7);
	assert_int_equal(run_seed("seed002-school-messages-reboot.log",
	    reboot), 122);
	assert_int_equal(run_seed("seed002-school-messages-su.log", su_log),
	    10);
	assert_int_equal(run_seed("seed004-siteA-statd.log", statd), 1);
}

/* ---- hostile input ---------------------------------------------------- */

/*
 * Every prefix of every case, without a terminating NUL after it: a
 * decoder that reads past the end of its message trips the sanitizers.
 */
static void
prefixes(const struct tcase *c, size_t n)
{
	static const ks_decoder_fn fns[] = { ks_dec_su, ks_dec_sudo,
	    ks_dec_pam, ks_dec_rpc, ks_dec_named, ks_dec_system, ks_dec_cron };
	static const char *const progs[] = { "", "su", "sudo", "PAM_pwdb",
	    "sshd(pam_unix)", "statd", "named", "kernel", "syslogd", "init",
	    "shutdown", "CRON", "foo" };
	const size_t nfns = sizeof(fns) / sizeof(*fns);
	const size_t nprogs = sizeof(progs) / sizeof(*progs);

	for (size_t i = 0; i < n; i++) {
		struct ks_framer fr;
		struct ks_event ev;
		struct ks_str m;

		ks_framer_init(&fr, &tz_utc, 2003, true);
		frame(&fr, c[i].line, strlen(c[i].line), &ev);
		m = ev.message;
		for (size_t len = 0; len <= m.n; len++) {
			char *copy = malloc(len ? len : 1);

			assert_non_null(copy);
			memcpy(copy, m.p, len);
			for (size_t d = 0; d < nfns * nprogs; d++) {
				struct ks_fields f;
				const char *prog = progs[d % nprogs];

				ev.program = ks_str_make(prog, strlen(prog));
				ks_fields_reset(&f);
				(void)fns[d / nprogs](&ev,
				    ks_str_make(copy, len), &f);
			}
			free(copy);
		}
	}
}

#define PREFIXES(t) prefixes((t), sizeof(t) / sizeof(*(t)))

static void
test_truncated(void **state)
{
	(void)state;
	PREFIXES(su_cases);
	PREFIXES(sudo_cases);
	PREFIXES(pam_cases);
	PREFIXES(rpc_cases);
	PREFIXES(named_cases);
	PREFIXES(system_cases);
	PREFIXES(cron_cases);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_su),
		cmocka_unit_test(test_sudo),
		cmocka_unit_test(test_pam),
		cmocka_unit_test(test_rpc),
		cmocka_unit_test(test_named),
		cmocka_unit_test(test_system),
		cmocka_unit_test(test_cron),
		cmocka_unit_test(test_seeds),
		cmocka_unit_test(test_truncated),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
