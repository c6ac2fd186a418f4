/*
 * ssh.c - OpenSSH's sshd (sshd-session and sshd-auth since 9.8) and
 * Dropbear: failed and accepted logons, invalid and refused users, probes
 * that never got as far as authentication, and disconnects.
 *
 * A message is recognised by its opening words, from a table checked
 * first byte first, so that an sshd line costs a few compares.  For the
 * lines of sshd and dropbear only the start of the message counts (after
 * "error: " or "fatal: "): nothing further in is looked at, because sshd
 * quotes what clients send (banners, user names), and a client must not
 * be able to write a "Failed password for root from <someone else>" that
 * we would believe.  Lines of an unknown program, which reach every
 * decoder by content, are scanned for a known opening at each word up to
 * the first quote; that finds the message behind a header the framer did
 * not take apart ("auth.info: May 27 04:31:28 sshd[30993]: Invalid user
 * ...", "dropbear 6052 - - Bad password attempt ...").  The first opening
 * found decides, whether or not the rest of it parses.
 *
 * User names are chosen by the client and may hold spaces and even
 * " from ", so addresses are read from the right: the last " from "
 * followed by a valid address wins.  sshd writes the address itself, so
 * it is always valid; what precedes it is the user.
 *
 * pam_unix's lines ("pam_unix(sshd:auth): authentication failure; ...")
 * are the PAM decoder's, which the dispatcher tries when this one says no.
 */
#include <string.h>

#include "decode/decode_int.h"

/* ---- fields ------------------------------------------------------------ */

/* The client's address; sshd writes "UNKNOWN" when it has none. */
static bool
source(struct ks_fields *f, struct ks_str a)
{
	if (a.n == 0 || ks_str_eq(a, "UNKNOWN") || ks_str_eq(a, "unknown"))
		return false;
	return ks_fields_addr(f, KS_F_SOURCE_IP, KS_F_SOURCE_DOMAIN, a.p, a.n);
}

static void
set_port(struct ks_fields *f, enum ks_field k, struct ks_str p)
{
	if (p.n > 0)
		ks_fields_set(f, k, p.p, p.n);
}

static void
set_user(struct ks_fields *f, struct ks_str u)
{
	if (u.n > 0)
		ks_fields_set(f, KS_F_USER_NAME, u.p, u.n);
}

static bool
done(struct ks_fields *f, const char *action, const char *outcome)
{
	return ks_fields_event(f, action, outcome, "ssh");
}

/* done, for the user when there is one. */
static bool
user_done(struct ks_fields *f, struct ks_str user, const char *action,
    const char *outcome)
{
	set_user(f, user);
	return done(f, action, outcome);
}

/* "ADDR[ port P]..." at the start of s. */
static bool
addr_port(struct ks_fields *f, struct ks_str s)
{
	struct ks_str a = ks_str_word(&s);

	if (!source(f, a))
		return false;
	if (ks_str_eat(&s, "port "))
		set_port(f, KS_F_SOURCE_PORT, ks_str_port(&s));
	return true;
}

/*
 * "HOST:PORT", "[HOST]:PORT" or "HOST" into the given fields.  Dropbear
 * writes IPv6 addresses unbracketed ("::ffff:1.2.3.4:55990"), so the
 * port is what follows the last colon when what precedes it is an
 * address.
 */
static bool
hostport(struct ks_fields *f, enum ks_field ipk, enum ks_field domk,
    enum ks_field portk, struct ks_str a)
{
	const char *c = a.n ? memrchr(a.p, ':', a.n) : NULL;

	if (c != NULL) {
		struct ks_str h = ks_str_head(a, (size_t)(c - a.p));
		struct ks_str p = ks_str_tail(a, (size_t)(c - a.p) + 1);

		if (ks_str_isport(p) && h.n > 0 &&
		    ks_fields_addr(f, ipk, domk, h.p, h.n)) {
			set_port(f, portk, p);
			return true;
		}
	}
	if (a.n == 0 || ks_str_eq(a, "UNKNOWN"))
		return false;
	return ks_fields_addr(f, ipk, domk, a.p, a.n);
}

static bool
src_hostport(struct ks_fields *f, struct ks_str a)
{
	return hostport(f, KS_F_SOURCE_IP, KS_F_SOURCE_DOMAIN,
	    KS_F_SOURCE_PORT, a);
}

/*
 * s is "USER from ADDR[ port P]...": the address after the last " from "
 * that is followed by one; *user gets what precedes it.
 */
static bool
user_from(struct ks_fields *f, struct ks_str s, struct ks_str *user)
{
	long i;

	for (i = ks_last_from(s.p, s.n); i >= 0;
	    i = ks_last_from(s.p, (size_t)i + 5))
		if (addr_port(f, ks_str_tail(s, (size_t)i + 6))) {
			*user = ks_str_head(s, (size_t)i);
			return true;
		}
	if (ks_str_eat(&s, "from ") && addr_port(f, s)) {
		*user = KS_STR_NULL;
		return true;
	}
	return false;
}

/* user_from, past an "invalid user " or (old sshd) "illegal user ". */
static bool
any_user_from(struct ks_fields *f, struct ks_str s, struct ks_str *user)
{
	if (!ks_str_eat(&s, "invalid user "))
		(void)ks_str_eat(&s, "illegal user ");
	return user_from(f, s, user);
}

/*
 * s is exactly "[authenticating |invalid ]user U ADDR[ port P]" or
 * "ADDR[ port P]", as in "Connection closed by ...": the address is the
 * last word (so a user name with spaces stays whole).
 */
static bool
user_addr(struct ks_fields *f, struct ks_str s, struct ks_str *user)
{
	struct ks_str port = KS_STR_NULL, a, h;
	size_t i;

	s = ks_str_rtrim(s, " ");
	for (i = s.n; i > 0 && ks_isdigit(s.p[i - 1]); i--)
		;
	if (i < s.n && i >= 6 && memcmp(s.p + i - 6, " port ", 6) == 0) {
		port = ks_str_tail(s, i);
		s.n = i - 6;
	}
	for (i = s.n; i > 0 && s.p[i - 1] != ' '; i--)
		;
	a = ks_str_tail(s, i);
	h = ks_str_head(s, i > 0 ? i - 1 : 0);
	*user = KS_STR_NULL;
	if (h.n > 0) {
		if (!ks_str_eat(&h, "authenticating user ") &&
		    !ks_str_eat(&h, "invalid user ") &&
		    !ks_str_eat(&h, "user "))
			return false;
		*user = h;
	}
	if (port.n > 5 || !source(f, a))
		return false;
	set_port(f, KS_F_SOURCE_PORT, port);
	return true;
}

/* s without a trailing " [preauth]" (or " [postauth]"). */
static struct ks_str
no_auth_tag(struct ks_str s)
{
	s = ks_str_rtrim(s, " ");
	if (s.n >= 10 && memcmp(s.p + s.n - 10, " [preauth]", 10) == 0)
		s.n -= 10;
	else if (s.n >= 11 && memcmp(s.p + s.n - 11, " [postauth]", 11) == 0)
		s.n -= 11;
	return s;
}

/*
 * s is "<user_addr>: REASON": the first ": " whose left side parses.
 */
static bool
user_addr_reason(struct ks_fields *f, struct ks_str s, struct ks_str *user)
{
	for (size_t i = 0; i + 1 < s.n; i++)
		if (s.p[i] == ':' && s.p[i + 1] == ' ' &&
		    user_addr(f, ks_str_head(s, i), user))
			return true;
	return false;
}

/* Consumes "METHOD for ". */
static bool
method_for(struct ks_str *s)
{
	return ks_str_word(s).n > 0 && ks_str_eat(s, "for ");
}

/* ---- sshd -------------------------------------------------------------- */

/* "Failed METHOD for [invalid user ]USER from ADDR port P ssh2" */
static bool
failed(struct ks_str s, struct ks_fields *f)
{
	struct ks_str user;

	return method_for(&s) && any_user_from(f, s, &user) &&
	    user_done(f, user, KS_ACT_LOGON_FAILED, KS_OUT_FAILURE);
}

/* "Accepted METHOD for USER from ADDR port P ssh2[: KEY]" */
static bool
accepted(struct ks_str s, struct ks_fields *f)
{
	struct ks_str user;

	return method_for(&s) && user_from(f, s, &user) &&
	    user_done(f, user, KS_ACT_LOGON, KS_OUT_SUCCESS);
}

/*
 * "Postponed keyboard-interactive for USER from ADDR port P ssh2": a
 * step of a logon still under way, neither success nor failure, so it
 * carries no action.
 */
static bool
postponed(struct ks_str s, struct ks_fields *f)
{
	struct ks_str user;

	return method_for(&s) && any_user_from(f, s, &user) &&
	    user_done(f, user, NULL, KS_OUT_UNKNOWN);
}

/* "Invalid user USER from ADDR[ port P]", old sshd's "Illegal user". */
static bool
invalid_user(struct ks_str s, struct ks_fields *f)
{
	struct ks_str user;

	return user_from(f, s, &user) &&
	    user_done(f, user, KS_ACT_INVALID_USER, KS_OUT_FAILURE);
}

/* "User USER from ADDR not allowed because REASON" (AllowUsers & co). */
static bool
user_not_allowed(struct ks_str s, struct ks_fields *f)
{
	long at = ks_str_find(s, " not allowed because ");
	struct ks_str user;

	if (at < 0)
		return false;
	s = ks_str_head(s, (size_t)at);
	/* "User X not allowed because account is locked" has no address */
	if (!user_from(f, s, &user))
		user = s;
	return user_done(f, user, KS_ACT_LOGON_REFUSED, KS_OUT_FAILURE);
}

/* "ROOT LOGIN REFUSED FROM ADDR[ port P]" */
static bool
root_refused(struct ks_str s, struct ks_fields *f)
{
	if (!addr_port(f, s))
		return false;
	ks_fields_sets(f, KS_F_USER_NAME, "root");
	return done(f, KS_ACT_LOGON_REFUSED, KS_OUT_FAILURE);
}

/*
 * "error: maximum authentication attempts exceeded for [invalid user ]X
 * from ADDR port P ssh2 [preauth]"
 */
static bool
max_auth(struct ks_str s, struct ks_fields *f)
{
	struct ks_str user;

	return any_user_from(f, s, &user) &&
	    user_done(f, user, KS_ACT_LOGON_FAILED, KS_OUT_FAILURE);
}

/* "error: PAM: Authentication failure for [illegal user ]X from ADDR|HOST" */
static bool
pam_error(struct ks_str s, struct ks_fields *f)
{
	long at = ks_str_find(s, " for ");
	struct ks_str user;

	if (at < 0)
		return false;
	return any_user_from(f, ks_str_tail(s, (size_t)at + 5), &user) &&
	    user_done(f, user, KS_ACT_LOGON_FAILED, KS_OUT_FAILURE);
}

/* "PAM 2 more authentication failures; logname= ... rhost=ADDR  user=X" */
static bool
pam_more(struct ks_str s, struct ks_fields *f)
{
	struct ks_str n = ks_str_word(&s);

	if (!ks_str_isdigits(n) ||
	    !ks_str_eat(&s, "more authentication failure"))
		return false;
	(void)source(f, ks_str_kv(s, "rhost="));
	return user_done(f, ks_str_kv(s, "user="), KS_ACT_LOGON_FAILED,
	    KS_OUT_FAILURE);
}

/* "Did not receive identification string from ADDR[ port P]" */
static bool
no_ident(struct ks_str s, struct ks_fields *f)
{
	return addr_port(f, s) && done(f, KS_ACT_PROBE, KS_OUT_FAILURE);
}

/* "Bad protocol version identification 'BANNER' from ADDR[ port P]" */
static bool
bad_version(struct ks_str s, struct ks_fields *f)
{
	struct ks_str banner;

	return user_from(f, s, &banner) &&
	    done(f, KS_ACT_PROBE, KS_OUT_FAILURE);
}

/* "Protocol major versions differ for ADDR: SSH-2.0 vs SSH-1.5" */
static bool
versions_differ(struct ks_str s, struct ks_fields *f)
{
	struct ks_str a = ks_str_word(&s);

	if (a.n > 0 && a.p[a.n - 1] == ':')
		a.n--;
	return source(f, a) && done(f, KS_ACT_PROBE, KS_OUT_FAILURE);
}

/*
 * "Unable to negotiate with ADDR port P: no matching ...", "banner
 * exchange: Connection from ADDR port P: invalid format".
 */
static bool
probe_addr_port(struct ks_str s, struct ks_fields *f)
{
	return addr_port(f, s) && done(f, KS_ACT_PROBE, KS_OUT_FAILURE);
}

/*
 * "ssh_dispatch_run_fatal: Connection from [invalid user X ]ADDR port P:
 * message authentication code incorrect [preauth]"
 */
static bool
dispatch_fatal(struct ks_str s, struct ks_fields *f)
{
	struct ks_str user;

	return user_addr_reason(f, s, &user) &&
	    user_done(f, user, KS_ACT_PROBE, KS_OUT_FAILURE);
}

/* "Timeout before authentication for connection from ADDR to ADDR, pid = N" */
static bool
timeout_before_auth(struct ks_str s, struct ks_fields *f)
{
	struct ks_str d;

	if (!source(f, ks_str_word(&s)))
		return false;
	if (ks_str_eat(&s, "to ")) {
		d = ks_str_rtrim(ks_str_word(&s), ",");
		(void)ks_fields_addr(f, KS_F_DESTINATION_IP,
		    KS_F_DESTINATION_DOMAIN, d.p, d.n);
	}
	return done(f, KS_ACT_PROBE, KS_OUT_FAILURE);
}

/*
 * "drop connection #0 from [ADDR]:P on [ADDR]:P penalty: exceeded
 * LoginGraceTime" (PerSourcePenalties, 9.8) or "past MaxStartups".
 */
static bool
drop_connection(struct ks_str s, struct ks_fields *f)
{
	(void)ks_str_word(&s);
	if (!ks_str_eat(&s, "from ") || !src_hostport(f, ks_str_word(&s)))
		return false;
	if (ks_str_eat(&s, "on "))
		(void)hostport(f, KS_F_DESTINATION_IP, KS_F_DESTINATION_DOMAIN,
		    KS_F_DESTINATION_PORT, ks_str_word(&s));
	return done(f, KS_ACT_CONN_REFUSED, KS_OUT_FAILURE);
}

/* "Connection from ADDR port P on ADDR port P[ rdomain ...]" (VERBOSE) */
static bool
connection_from(struct ks_str s, struct ks_fields *f)
{
	long at = ks_str_find(s, " on ");

	if (at < 0 || ks_str_find(ks_str_head(s, (size_t)at), " port ") < 0 ||
	    !addr_port(f, ks_str_head(s, (size_t)at)))
		return false;
	s = ks_str_tail(s, (size_t)at + 4);
	{
		struct ks_str d = ks_str_word(&s);

		if (ks_fields_addr(f, KS_F_DESTINATION_IP,
		    KS_F_DESTINATION_DOMAIN, d.p, d.n) &&
		    ks_str_eat(&s, "port "))
			set_port(f, KS_F_DESTINATION_PORT, ks_str_port(&s));
	}
	return done(f, KS_ACT_CONNECTION, KS_OUT_UNKNOWN);
}

/*
 * "Connection closed by [authenticating user U ]ADDR port P [preauth]",
 * "Connection reset by ...", "Disconnected from [invalid user U ]ADDR port P".
 */
static bool
closed_by(struct ks_str s, struct ks_fields *f)
{
	struct ks_str user;

	return user_addr(f, no_auth_tag(s), &user) &&
	    user_done(f, user, KS_ACT_DISCONNECT, KS_OUT_UNKNOWN);
}

/*
 * "Disconnecting invalid user U ADDR port P: REASON [preauth]", sshd
 * ending the connection itself (too many failures, a changed user).
 */
static bool
disconnecting(struct ks_str s, struct ks_fields *f)
{
	struct ks_str user;

	return user_addr_reason(f, s, &user) &&
	    user_done(f, user, KS_ACT_DISCONNECT, KS_OUT_FAILURE);
}

/*
 * "Received disconnect from ADDR port P:11: ...", and older sshd's
 * "Received disconnect from ADDR: 11: ..." where the colon sticks to the
 * address (even an IPv6 one), down to the bare "from 192.168.0.27:".
 */
static bool
received_disconnect(struct ks_str s, struct ks_fields *f)
{
	struct ks_str a = ks_str_word(&s);

	if (ks_str_eat(&s, "port ")) {
		if (!source(f, a))
			return false;
		set_port(f, KS_F_SOURCE_PORT, ks_str_port(&s));
	} else {
		if (a.n > 0 && a.p[a.n - 1] == ':')
			a.n--;
		if (!source(f, a))
			return false;
	}
	return done(f, KS_ACT_DISCONNECT, KS_OUT_UNKNOWN);
}

/* "Could not reverse map address 192.168.0.27." */
static bool
reverse_map(struct ks_str s, struct ks_fields *f)
{
	struct ks_str a = ks_str_word(&s);

	if (a.n > 0 && a.p[a.n - 1] == '.')
		a.n--;
	return source(f, a) && done(f, KS_ACT_PROBE, KS_OUT_UNKNOWN);
}

/*
 * "reverse mapping checking getaddrinfo for HOST [ADDR] failed -
 * POSSIBLE BREAK-IN ATTEMPT!"
 */
static bool
reverse_mapping(struct ks_str s, struct ks_fields *f)
{
	struct ks_str host = ks_str_word(&s), a = ks_str_word(&s);

	if (a.n < 3 || a.p[0] != '[' || a.p[a.n - 1] != ']' ||
	    !ks_fields_addr(f, KS_F_SOURCE_IP, KS_F_SOURCE_DOMAIN, a.p, a.n))
		return false;
	if (host.n > 0 && f->v[KS_F_SOURCE_IP].n > 0)
		(void)ks_fields_addr(f, KS_F_SOURCE_DOMAIN, KS_F_SOURCE_DOMAIN,
		    host.p, host.n);
	return done(f, KS_ACT_PROBE, KS_OUT_UNKNOWN);
}

/*
 * "Address ADDR maps to HOST, but this does not map back to the address
 * - POSSIBLE BREAK-IN ATTEMPT!"
 */
static bool
address_maps(struct ks_str s, struct ks_fields *f)
{
	struct ks_str a = ks_str_word(&s), host;

	if (!ks_str_eat(&s, "maps to "))
		return false;
	host = ks_str_rtrim(ks_str_word(&s), ",");
	if (!source(f, a))
		return false;
	if (f->v[KS_F_SOURCE_IP].n > 0)
		(void)ks_fields_addr(f, KS_F_SOURCE_DOMAIN, KS_F_SOURCE_DOMAIN,
		    host.p, host.n);
	return done(f, KS_ACT_PROBE, KS_OUT_UNKNOWN);
}

/* "Starting session: shell on pts/0 for USER from ADDR port P id 0" */
static bool
session_start(struct ks_str s, struct ks_fields *f)
{
	long at = ks_str_find(s, " for ");
	struct ks_str user;

	if (at < 0)
		return false;
	return user_from(f, ks_str_tail(s, (size_t)at + 5), &user) &&
	    user_done(f, user, KS_ACT_SESSION_OPENED, KS_OUT_SUCCESS);
}

/* "Close session: user USER from ADDR port P id 0" */
static bool
session_close(struct ks_str s, struct ks_fields *f)
{
	struct ks_str user;

	return ks_str_eat(&s, "user ") && user_from(f, s, &user) &&
	    user_done(f, user, KS_ACT_SESSION_CLOSED, KS_OUT_SUCCESS);
}

/* pam_unix(sshd:auth) and friends: the PAM decoder's. */
static bool
not_ours(struct ks_str s, struct ks_fields *f)
{
	(void)s;
	(void)f;
	return false;
}

/* ---- dropbear ---------------------------------------------------------- */

/*
 * s is "'USER' from ADDR:PORT" or " with KEY from ..." after the user:
 * the user between the first two quotes, the address after the last
 * " from ".
 */
static bool
db_user_from(struct ks_fields *f, struct ks_str s, bool need_user)
{
	struct ks_str user = KS_STR_NULL, a;
	const char *q;
	long at;

	ks_str_skip_spaces(&s);
	if (s.n > 0 && s.p[0] == '\'' &&
	    (q = memchr(s.p + 1, '\'', s.n - 1)) != NULL)
		user = ks_str_make(s.p + 1, (size_t)(q - s.p - 1));
	else if (need_user)
		return false;
	if ((at = ks_last_from(s.p, s.n)) < 0)
		return false;
	a = ks_str_tail(s, (size_t)at + 6);
	a = ks_str_word(&a);
	if (!src_hostport(f, a))
		return false;
	set_user(f, user);
	return true;
}

/* "Bad password attempt for 'root' from ::ffff:1.2.3.4:55990", "Bad PAM ..." */
static bool
db_bad_password(struct ks_str s, struct ks_fields *f)
{
	return db_user_from(f, s, true) &&
	    done(f, KS_ACT_LOGON_FAILED, KS_OUT_FAILURE);
}

/* "Login attempt for nonexistent user[ 'X'] from ADDR:PORT" */
static bool
db_nonexistent(struct ks_str s, struct ks_fields *f)
{
	if (s.n == 0 || s.p[0] != ' ')
		return false;
	if (ks_str_eat(&s, " from ")) {
		struct ks_str a = ks_str_word(&s);

		if (!src_hostport(f, a))
			return false;
	} else if (!db_user_from(f, s, true))
		return false;
	return done(f, KS_ACT_INVALID_USER, KS_OUT_FAILURE);
}

/* "Password auth succeeded for 'X' from ADDR:PORT", "Pubkey auth ..." */
static bool
db_succeeded(struct ks_str s, struct ks_fields *f)
{
	return db_user_from(f, s, true) &&
	    done(f, KS_ACT_LOGON, KS_OUT_SUCCESS);
}

/* "Exit before auth from <ADDR:PORT>: (user 'root', 0 fails): ..." */
static bool
db_exit_before_auth(struct ks_str s, struct ks_fields *f)
{
	const char *gt = memchr(s.p, '>', s.n);
	struct ks_str user;

	if (gt == NULL || !src_hostport(f, ks_str_head(s, (size_t)(gt - s.p))))
		return false;
	s = ks_str_tail(s, (size_t)(gt - s.p) + 1);
	if (ks_str_eat(&s, ": (user '")) {
		const char *q = memchr(s.p, '\'', s.n);

		if (q != NULL) {
			user = ks_str_head(s, (size_t)(q - s.p));
			set_user(f, user);
		}
	}
	return done(f, KS_ACT_DISCONNECT, KS_OUT_UNKNOWN);
}

/* "Child connection from ADDR:PORT" */
static bool
db_child(struct ks_str s, struct ks_fields *f)
{
	return src_hostport(f, ks_str_word(&s)) &&
	    done(f, KS_ACT_CONNECTION, KS_OUT_UNKNOWN);
}

/* ---- dispatch ---------------------------------------------------------- */

typedef bool (*form_fn)(struct ks_str rest, struct ks_fields *f);

/* Sorted by first byte (in ASCII order), for the search in try_forms. */
static const struct form {
	const char *lit;
	size_t n;
	form_fn fn;
} forms[] = {
#define F(lit, fn) { lit, sizeof(lit) - 1, fn }
	F("Accepted ", accepted),
	F("Address ", address_maps),
	F("Bad protocol version identification ", bad_version),
	F("Bad password attempt for ", db_bad_password),
	F("Bad PAM password attempt for ", db_bad_password),
	F("Connection closed by ", closed_by),
	F("Connection reset by ", closed_by),
	F("Connection from ", connection_from),
	F("Could not reverse map address ", reverse_map),
	F("Close session: ", session_close),
	F("Child connection from ", db_child),
	F("Did not receive identification string from ", no_ident),
	F("Disconnected from ", closed_by),
	F("Disconnecting ", disconnecting),
	F("Exit before auth from <", db_exit_before_auth),
	F("Failed ", failed),
	F("Invalid user ", invalid_user),
	F("Illegal user ", invalid_user),
	F("Login attempt for nonexistent user", db_nonexistent),
	F("PAM: ", pam_error),
	F("PAM ", pam_more),
	F("Postponed ", postponed),
	F("Password auth succeeded for ", db_succeeded),
	F("Pubkey auth succeeded for ", db_succeeded),
	F("Protocol major versions differ for ", versions_differ),
	F("ROOT LOGIN REFUSED FROM ", root_refused),
	F("Received disconnect from ", received_disconnect),
	F("Starting session: ", session_start),
	F("Timeout before authentication for connection from ",
	    timeout_before_auth),
	F("User ", user_not_allowed),
	F("Unable to negotiate with ", probe_addr_port),
	F("banner exchange: Connection from ", probe_addr_port),
	F("drop connection #", drop_connection),
	F("maximum authentication attempts exceeded for ", max_auth),
	F("pam_", not_ours),
	F("reverse mapping checking getaddrinfo for ", reverse_mapping),
	F("ssh_dispatch_run_fatal: Connection from ", dispatch_fatal),
#undef F
};

enum { NO_FORM = -1, REJECTED = 0, DECODED = 1 };

/*
 * The first bytes of forms[]: most words of a message open with none of
 * them, and are passed over with one switch.
 */
static bool
may_open_form(char c)
{
	switch (c) {
	case 'A': case 'B': case 'C': case 'D': case 'E': case 'F':
	case 'I': case 'L': case 'P': case 'R': case 'S': case 'T':
	case 'U': case 'b': case 'd': case 'm': case 'p': case 'r':
	case 's':
		return true;
	default:
		return false;
	}
}

/* Decodes s when it opens with a known form. */
static int
try_forms(struct ks_str s, struct ks_fields *f)
{
	size_t lo = 0, hi = sizeof(forms) / sizeof(*forms), mid;
	unsigned char c;

	if (s.n == 0 || !may_open_form(s.p[0]))
		return NO_FORM;
	c = (unsigned char)s.p[0];
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if ((unsigned char)forms[mid].lit[0] < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < sizeof(forms) / sizeof(*forms) &&
	    (unsigned char)forms[lo].lit[0] == c; lo++) {
		const struct form *fm = &forms[lo];

		if (s.n >= fm->n && memcmp(s.p, fm->lit, fm->n) == 0)
			return fm->fn(ks_str_tail(s, fm->n), f) ? DECODED :
			    REJECTED;
	}
	return NO_FORM;
}

static bool
ssh_program(struct ks_str p)
{
	if (p.n < 4 || (p.p[0] != 's' && p.p[0] != 'd'))
		return false;
	return ks_str_eq(p, "sshd") || ks_str_eq(p, "sshd-session") ||
	    ks_str_eq(p, "sshd-auth") || ks_str_eq(p, "dropbear");
}

bool
ks_dec_ssh(const struct ks_event *ev, struct ks_str msg, struct ks_fields *f)
{
	struct ks_str s = msg;
	const char *q;
	size_t limit;

	if (ssh_program(ev->program)) {
		ks_str_skip_spaces(&s);
		while (ks_str_eat(&s, "error: ") || ks_str_eat(&s, "fatal: "))
			ks_str_skip_spaces(&s);
		return try_forms(s, f) == DECODED;
	}
	/* a form may open at any word before the first quote */
	s = ks_search_area(ev, msg);
	if (s.n == 0)
		return false;
	limit = s.n;
	if ((q = memchr(s.p, '"', limit)) != NULL)
		limit = (size_t)(q - s.p);
	if ((q = memchr(s.p, '\'', limit)) != NULL)
		limit = (size_t)(q - s.p);
	for (size_t i = 0; i < limit; i++) {
		int r;

		if (s.p[i] == ' ')
			continue;
		if ((r = try_forms(ks_str_tail(s, i), f)) != NO_FORM)
			return r == DECODED;
		if ((q = memchr(s.p + i, ' ', limit - i)) == NULL)
			break;
		i = (size_t)(q - s.p);
	}
	return false;
}
