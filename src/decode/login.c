/*
 * login.c - login(1) as telnetd and rlogind run it, and the r-services:
 * failed, refused and successful logons on a terminal, with the remote
 * host when there is one.
 *
 * Every login writes much the same records in its own words:
 * util-linux "FAILED LOGIN 1 FROM host FOR user, reason", shadow
 * "FAILED LOGIN (1) on '/dev/pts/1' FROM 'host' FOR 'user', reason",
 * the BSDs "2 LOGIN FAILURES FROM host, user", Solaris "Login failure on
 * /dev/pts/1 from host, user", and all of them "ROOT LOGIN ON tty FROM
 * host", "LOGIN ON tty BY user FROM host", "REPEATED LOGIN FAILURES ON tty
 * FROM host, user".  They open with capitals that nothing else writes,
 * so a switch on the first byte and one literal compare decide, and only
 * the start of the message is looked at.
 *
 * The user name is what was typed at the prompt, so it is taken after
 * the host, never searched for: "FOR " is the first one after "FROM host"
 * and the user ends at the first ", ".  A host "(null)" or empty means a
 * console logon, which has no source.
 *
 * telnetd's and rlogind's own tcp_wrappers lines ("connect from ...") are
 * left to the tcp_wrappers decoder that the dispatcher tries next.
 */
#include <string.h>

#include "decode/decode_int.h"

/* s without the quotes shadow puts around values ('root'). */
static struct ks_str
unquote(struct ks_str s)
{
	s = ks_str_rtrim(s, " ,");
	if (s.n >= 2 && s.p[0] == '\'' && s.p[s.n - 1] == '\'') {
		s.p++;
		s.n -= 2;
	}
	return s;
}

/* ---- fields ------------------------------------------------------------ */

/* The program without "in.": "telnetd" for "in.telnetd". */
static struct ks_str
daemon_name(struct ks_str p)
{
	if (p.n > 3 && memcmp(p.p, "in.", 3) == 0)
		return ks_str_make(p.p + 3, p.n - 3);
	return p;
}

/*
 * The protocol: the daemon's when it wrote the line; login run with a
 * remote host was (almost always) started by telnetd.
 */
static const char *
protocol(const struct ks_event *ev, bool remote)
{
	struct ks_str d = daemon_name(ev->program);

	if (ks_str_eq(d, "telnetd"))
		return "telnet";
	if (ks_str_eq(d, "rlogind"))
		return "rlogin";
	if (ks_str_eq(d, "rshd"))
		return "rsh";
	return remote ? "telnet" : NULL;
}

/* The remote host; false (nothing set) for a console or "(null)". */
static bool
host(struct ks_fields *f, struct ks_str h)
{
	h = unquote(h);
	if (h.n == 0 || ks_str_eq(h, "(null)") || ks_str_eq(h, "unknown"))
		return false;
	return ks_fields_addr(f, KS_F_SOURCE_IP, KS_F_SOURCE_DOMAIN, h.p, h.n);
}

static void
set_user(struct ks_fields *f, struct ks_str u)
{
	u = unquote(u);
	if (u.n > 0)
		ks_fields_set(f, KS_F_USER_NAME, u.p, u.n);
}

static bool
done(const struct ks_event *ev, struct ks_fields *f, const char *action,
    const char *outcome)
{
	const char *proto = protocol(ev, f->v[KS_F_SOURCE_IP].n > 0 ||
	    f->v[KS_F_SOURCE_DOMAIN].n > 0);

	return ks_fields_event(f, action, outcome, proto);
}

/* ---- forms ------------------------------------------------------------- */

/*
 * After "FAILED LOGIN " or "TOO MANY LOGIN TRIES ": "1 FROM host FOR
 * user, reason", "1 ON tty1 FOR user, reason", "(1) on '/dev/pts/1'
 * FROM 'host' FOR 'user', reason".
 */
static bool
failed_login(const struct ks_event *ev, struct ks_str s, struct ks_fields *f)
{
	long at = ks_str_find(s, " FOR "), from;
	struct ks_str before, user;

	if (at < 0)
		return false;
	before = ks_str_head(s, (size_t)at);
	user = ks_str_tail(s, (size_t)at + 5);
	if ((at = ks_str_find(user, ", ")) >= 0)
		user = ks_str_head(user, (size_t)at);
	if ((from = ks_str_find(before, " FROM ")) >= 0)
		(void)host(f, ks_str_tail(before, (size_t)from + 6));
	set_user(f, user);
	return done(ev, f, KS_ACT_LOGON_FAILED, KS_OUT_FAILURE);
}

/*
 * After the opening of a failure record: "TTY[ FROM host], user",
 * "FROM host[, user]", BSD's "ON tty[, user]", Solaris' "on tty from
 * host, user".  from is " FROM " or " from ".
 */
static bool
failures(const struct ks_event *ev, struct ks_str s, struct ks_fields *f,
    const char *from)
{
	long at = ks_str_find(s, ", "), h;
	struct ks_str before = s, user = KS_STR_NULL;

	if (at >= 0) {
		before = ks_str_head(s, (size_t)at);
		user = ks_str_tail(s, (size_t)at + 2);
	}
	if (ks_str_eat(&before, from + 1))
		(void)host(f, before);
	else if ((h = ks_str_find(before, from)) >= 0)
		(void)host(f, ks_str_tail(before, (size_t)h + strlen(from)));
	set_user(f, user);
	return done(ev, f, KS_ACT_LOGON_FAILED, KS_OUT_FAILURE);
}

/*
 * After "ROOT LOGIN ": "ON tty[ FROM host]", shadow's " on '/dev/tty1'
 * from 'host'", Solaris' "/dev/pts/1 FROM host", and "REFUSED ON tty[
 * FROM host]".  sshd's "ROOT LOGIN REFUSED FROM ADDR" is not login's.
 */
static bool
root_login(const struct ks_event *ev, struct ks_str s, struct ks_fields *f)
{
	bool refused;
	long at;

	ks_str_skip_spaces(&s);
	refused = ks_str_eat(&s, "REFUSED ");
	if (ks_str_starts(s, "FROM "))
		return false;
	if ((at = ks_str_find(s, " FROM ")) >= 0 ||
	    (at = ks_str_find(s, " from ")) >= 0) {
		struct ks_str h = ks_str_tail(s, (size_t)at + 6);

		(void)host(f, ks_str_word(&h));
	}
	ks_fields_sets(f, KS_F_USER_NAME, "root");
	return refused ? done(ev, f, KS_ACT_LOGON_REFUSED, KS_OUT_FAILURE) :
	    done(ev, f, KS_ACT_LOGON, KS_OUT_SUCCESS);
}

/* After "LOGIN ON ": "tty BY user[ FROM host]" */
static bool
login_on(const struct ks_event *ev, struct ks_str s, struct ks_fields *f)
{
	struct ks_str user;

	(void)ks_str_word(&s);
	if (!ks_str_eat(&s, "BY "))
		return false;
	user = ks_str_word(&s);
	if (ks_str_eat(&s, "FROM "))
		(void)host(f, ks_str_word(&s));
	set_user(f, user);
	return done(ev, f, KS_ACT_LOGON, KS_OUT_SUCCESS);
}

/*
 * BSD: "2 LOGIN FAILURES FROM host, user", "1 LOGIN FAILURE ON ttyp0";
 * s is past the count.
 */
static bool
bsd_failures(const struct ks_event *ev, struct ks_str s, struct ks_fields *f)
{
	ks_str_skip_spaces(&s);
	if (!ks_str_eat(&s, "LOGIN FAILURE"))
		return false;
	(void)ks_str_eat(&s, "S");
	if (s.n > 0 && !ks_str_eat(&s, " "))
		return false;
	return failures(ev, s, f, " FROM ");
}

/* rlogind, rshd: "Connection from HOST on illegal port" */
static bool
illegal_port(const struct ks_event *ev, struct ks_str s, struct ks_fields *f)
{
	struct ks_str h = ks_str_word(&s);

	if (!ks_str_eat(&s, "on illegal port"))
		return false;
	(void)host(f, h);
	return done(ev, f, KS_ACT_CONN_REFUSED, KS_OUT_FAILURE);
}

/*
 * rshd: "REMUSER@HOST as LOCUSER: cmd='...'" and "REMUSER@HOST as
 * LOCUSER: permission denied (...). cmd='...'", older "rsh denied to
 * REMUSER@HOST as LOCUSER: ...".  The user is the local account.
 */
static bool
rsh_record(const struct ks_event *ev, struct ks_str s, struct ks_fields *f)
{
	bool denied = ks_str_eat(&s, "rsh denied to ");
	long as = ks_str_find(s, " as "), colon;
	const char *at;
	struct ks_str who, rest;

	if (as < 0)
		return false;
	who = ks_str_head(s, (size_t)as);
	rest = ks_str_tail(s, (size_t)as + 4);
	if ((at = memchr(who.p, '@', who.n)) == NULL ||
	    (colon = ks_str_find(rest, ": ")) < 0)
		return false;
	set_user(f, ks_str_head(rest, (size_t)colon));
	(void)host(f, ks_str_tail(who, (size_t)(at - who.p) + 1));
	rest = ks_str_tail(rest, (size_t)colon + 2);
	if (denied || ks_str_find(rest, "denied") >= 0)
		return done(ev, f, KS_ACT_LOGON_FAILED, KS_OUT_FAILURE);
	return done(ev, f, KS_ACT_LOGON, KS_OUT_SUCCESS);
}

static bool
r_daemon(const struct ks_event *ev)
{
	struct ks_str d = daemon_name(ev->program);

	return ks_str_eq(d, "rshd") || ks_str_eq(d, "rlogind");
}

bool
ks_dec_login(const struct ks_event *ev, struct ks_str msg, struct ks_fields *f)
{
	struct ks_str s = msg;

	ks_str_skip_spaces(&s);
	if (s.n < 8)
		return false;
	switch (s.p[0]) {
	case 'F':
		if (ks_str_eat(&s, "FAILED LOGIN "))
			return failed_login(ev, s, f);
		break;
	case 'T':
		if (ks_str_eat(&s, "TOO MANY LOGIN TRIES "))
			return failed_login(ev, s, f);
		break;
	case 'R':
		if (ks_str_eat(&s, "ROOT LOGIN "))
			return root_login(ev, s, f);
		if (ks_str_eat(&s, "REPEATED LOGIN FAILURES ON "))
			return failures(ev, s, f, " FROM ");
		break;
	case 'L':
		if (ks_str_eat(&s, "LOGIN ON "))
			return login_on(ev, s, f);
		if (ks_str_starts(s, "LOGIN FAILURE"))
			return bsd_failures(ev, s, f);
		if (ks_str_eat(&s, "Login failure on "))
			return failures(ev, s, f, " from ");
		break;
	case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		while (s.n > 0 && s.p[0] >= '0' && s.p[0] <= '9') {
			s.p++;
			s.n--;
		}
		return bsd_failures(ev, s, f);
	case 'C':
		if (r_daemon(ev) && ks_str_eat(&s, "Connection from "))
			return illegal_port(ev, s, f);
		break;
	}
	return r_daemon(ev) && rsh_record(ev, s, f);
}
