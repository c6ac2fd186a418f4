/*
 * other.c - the services kansatsu has no program entry for, recognised by
 * content alone: exim, cucipop, a remote sshguard, Gitea, Microsoft SQL
 * Server, MySQL, Proxmox VE, pfSense's web configurator and OpenVPN.
 *
 * This decoder only sees lines of unknown programs (and bare messages),
 * after every other decoder has declined them.  A few families are known
 * by how the message opens ('Attack from "'); the others by a literal
 * that no other daemon writes and that starts a word somewhere in the
 * message ("authenticator failed for ", "[CLIENT: ", "TLS Error: "), so
 * one pass over the words with a switch on their first byte finds them.
 * Client-chosen text (a HELO name, a user name) comes before the address
 * in several of these, so the address is taken where the daemon puts it,
 * not from the first bracket or quote found.
 *
 * Gitea colours its log with ANSI escapes around the user and the
 * address ("for \e[1mtest\e[0m from \e[1m1.2.3.4:0\e[0m"); they are
 * skipped like spaces.  BIND's "query denied" is the named decoder's and
 * "pam_unix(...)" (Cockpit, dovecot) the PAM decoder's.
 */
#include <string.h>

#include "decode/decode_int.h"

/* s from just after the first lit, or an empty str with p NULL. */
static struct ks_str
after(struct ks_str s, const char *lit)
{
	long at = ks_str_find(s, lit);

	return at < 0 ? KS_STR_NULL : ks_str_tail(s, (size_t)at + strlen(lit));
}

/* ---- fields ------------------------------------------------------------ */

static bool
source(struct ks_fields *f, struct ks_str a)
{
	return a.n > 0 &&
	    ks_fields_addr(f, KS_F_SOURCE_IP, KS_F_SOURCE_DOMAIN, a.p, a.n);
}

/*
 * "ADDR:PORT", "[ADDR]:PORT" or "ADDR".  An unbracketed address with
 * several colons is IPv6: the port is split off only when what precedes
 * the last colon is an address by itself.  Port 0 means none.
 */
static bool
source_port(struct ks_fields *f, struct ks_str a)
{
	const char *c = a.n ? memrchr(a.p, ':', a.n) : NULL;

	if (c != NULL) {
		struct ks_str h = ks_str_head(a, (size_t)(c - a.p));
		struct ks_str p = ks_str_tail(a, (size_t)(c - a.p) + 1);

		if (ks_str_isport(p) && source(f, h)) {
			if (!ks_str_eq(p, "0"))
				ks_fields_set(f, KS_F_SOURCE_PORT, p.p, p.n);
			return true;
		}
	}
	return source(f, a);
}

static void
set_user(struct ks_fields *f, struct ks_str u)
{
	if (u.n > 0)
		ks_fields_set(f, KS_F_USER_NAME, u.p, u.n);
}

/* ---- sshguard, cucipop, Proxmox: by their opening ---------------------- */

/*
 * A remote sshguard: 'Attack from "ADDR" on service 100 with danger 10.'
 * and 'Blocking "ADDR/64" for 300 secs (...)'.
 */
static bool
sshguard(struct ks_str s, struct ks_fields *f)
{
	struct ks_str a;

	if (!ks_str_upto(s, '"', &a))
		return false;
	(void)ks_str_upto(a, '/', &a);  /* "ADDR/64": the block's prefix */
	return source(f, a) &&
	    ks_fields_event(f, KS_ACT_PROBE, KS_OUT_UNKNOWN, NULL);
}

/* cucipop: "authentication failure USER ADDR", nothing after. */
static bool
cucipop(struct ks_str s, struct ks_fields *f)
{
	struct ks_str user = ks_str_word(&s), a = ks_str_word(&s);

	if (user.n == 0 || a.n == 0 || s.n != 0 || !source(f, a))
		return false;
	set_user(f, user);
	return ks_fields_event(f, KS_ACT_LOGON_FAILED, KS_OUT_FAILURE, "pop3");
}

/* Proxmox VE: "authentication failure; rhost=ADDR user=X@realm msg=..." */
static bool
proxmox(struct ks_str s, struct ks_fields *f)
{
	if (!source(f, ks_str_kv(s, "rhost=")))
		return false;
	set_user(f, ks_str_kv(s, "user="));
	return ks_fields_event(f, KS_ACT_LOGON_FAILED, KS_OUT_FAILURE, "http");
}

/* ---- by a literal anywhere --------------------------------------------- */

/*
 * exim: "[NAME ]authenticator failed for HOST (HELO) [ADDR]:PORT I=...
 * (set_id=USER)", "SMTP protocol error in "AUTH LOGIN" H=HOST (HELO)
 * [ADDR] ...".  The HELO is the client's and may hold brackets, so the
 * address is the first bracket outside parentheses, at a word's start.
 */
static bool
exim_host(struct ks_fields *f, struct ks_str s)
{
	int depth = 0;

	for (size_t i = 0; i < s.n; i++) {
		if (s.p[i] == '(')
			depth++;
		else if (s.p[i] == ')' && depth > 0)
			depth--;
		else if (s.p[i] == '[' && depth == 0 &&
		    (i == 0 || s.p[i - 1] == ' ')) {
			struct ks_str r = ks_str_tail(s, i + 1), a;

			if (!ks_str_upto(r, ']', &a) || !source(f, a))
				return false;
			r = ks_str_tail(r, a.n + 1);
			if (ks_str_eat(&r, ":")) {
				struct ks_str p = ks_str_port(&r);

				if (p.n > 0)
					ks_fields_set(f, KS_F_SOURCE_PORT,
					    p.p, p.n);
			}
			return true;
		}
	}
	return false;
}

static bool
exim_auth(struct ks_str rest, struct ks_fields *f)
{
	struct ks_str id = after(rest, "(set_id="), user;

	if (!exim_host(f, rest))
		return false;
	if (id.p != NULL && ks_str_upto(id, ')', &user))
		set_user(f, user);
	return ks_fields_event(f, KS_ACT_LOGON_FAILED, KS_OUT_FAILURE, "smtp");
}

static bool
exim_protocol_error(struct ks_str rest, struct ks_fields *f)
{
	struct ks_str h = after(rest, " H=");

	return h.p != NULL && exim_host(f, h) &&
	    ks_fields_event(f, KS_ACT_PROBE, KS_OUT_FAILURE, "smtp");
}

/*
 * MSSQL: "Login failed for user 'sa'. Reason: ... [CLIENT: ADDR]", "Login
 * failed. The login is from an untrusted domain ... [CLIENT: ADDR]", and
 * other errors of a connection before logon ("Length specified in
 * network packet payload did not match ...").
 */
static bool
mssql(struct ks_str s, struct ks_str rest, struct ks_fields *f)
{
	struct ks_str a, u;

	if (!ks_str_upto(rest, ']', &a) || !source(f, a))
		return false;
	if ((u = after(s, "Login failed for user '")).p != NULL) {
		long q = ks_str_find(u, "'.");

		if (q >= 0)
			set_user(f, ks_str_head(u, (size_t)q));
		return ks_fields_event(f, KS_ACT_LOGON_FAILED, KS_OUT_FAILURE,
		    "tds");
	}
	if (ks_str_find(s, "Login failed") >= 0)
		return ks_fields_event(f, KS_ACT_LOGON_FAILED, KS_OUT_FAILURE,
		    "tds");
	return ks_fields_event(f, KS_ACT_PROBE, KS_OUT_FAILURE, "tds");
}

/* MySQL: "Access denied for user 'USER'@'HOST' (using password: YES)" */
static bool
mysql(struct ks_str rest, struct ks_fields *f)
{
	long at = ks_str_find(rest, "'@'");
	struct ks_str h, a;

	if (at < 0)
		return false;
	h = ks_str_tail(rest, (size_t)at + 3);
	if (!ks_str_upto(h, '\'', &a) || !source(f, a))
		return false;
	set_user(f, ks_str_head(rest, (size_t)at));
	return ks_fields_event(f, KS_ACT_LOGON_FAILED, KS_OUT_FAILURE, "mysql");
}

/* Skips spaces and ANSI escape sequences (ESC [ params final). */
static void
skip_ansi(struct ks_str *s)
{
	for (;;) {
		ks_str_skip_spaces(s);
		if (s->n < 2 || s->p[0] != '\x1b' || s->p[1] != '[')
			return;
		s->p += 2;
		s->n -= 2;
		while (s->n > 0 && !(*s->p >= '@' && *s->p <= '~')) {
			s->p++;
			s->n--;
		}
		if (s->n > 0) {
			s->p++;
			s->n--;
		}
	}
}

/* A token ending at a space or an escape. */
static struct ks_str
ansi_word(struct ks_str *s)
{
	size_t i = 0;
	struct ks_str w;

	while (i < s->n && s->p[i] != ' ' && s->p[i] != '\x1b')
		i++;
	w = ks_str_head(*s, i);
	s->p += i;
	s->n -= i;
	skip_ansi(s);
	return w;
}

/*
 * Gitea: "Failed authentication attempt for USER from ADDR[:PORT][:
 * reason]", ADDR being "1.2.3.4", "1.2.3.4:13798" or "[::1]".
 */
static bool
gitea(struct ks_str rest, struct ks_fields *f)
{
	struct ks_str user, a;

	skip_ansi(&rest);
	user = ansi_word(&rest);
	if (!ks_str_eat(&rest, "from "))
		return false;
	skip_ansi(&rest);
	a = ks_str_rtrim(ansi_word(&rest), ":");
	if (!source_port(f, a))
		return false;
	set_user(f, user);
	return ks_fields_event(f, KS_ACT_LOGON_FAILED, KS_OUT_FAILURE, "http");
}

/* pfSense: "webConfigurator authentication error for user 'X' from: ADDR" */
static bool
pfsense(struct ks_str rest, struct ks_fields *f)
{
	long at = ks_str_find(rest, "' from");
	struct ks_str r;

	if (at < 0)
		return false;
	r = ks_str_tail(rest, (size_t)at + 6);
	(void)ks_str_eat(&r, ":");
	ks_str_skip_spaces(&r);
	if (!source(f, ks_str_word(&r)))
		return false;
	set_user(f, ks_str_head(rest, (size_t)at));
	return ks_fields_event(f, KS_ACT_LOGON_FAILED, KS_OUT_FAILURE, "http");
}

/*
 * OpenVPN names the peer before what happened to it: "ADDR:PORT TLS
 * Error: TLS handshake failed", "[ADDR6]:PORT ...", "NAME/ADDR:PORT ...",
 * "[AF_INET]ADDR:PORT ...".  at is where the event's words begin.
 */
static bool
openvpn(struct ks_str s, size_t at, struct ks_fields *f, const char *action)
{
	size_t i = at;
	struct ks_str peer;
	const char *slash;

	while (i > 0 && s.p[i - 1] != ' ' && s.p[i - 1] != '\'')
		i--;
	peer = ks_str_make(s.p + i, at - i);
	if ((slash = peer.n ? memrchr(peer.p, '/', peer.n) : NULL) != NULL)
		peer = ks_str_tail(peer, (size_t)(slash - peer.p) + 1);
	if (!ks_str_eat(&peer, "[AF_INET]"))
		(void)ks_str_eat(&peer, "[AF_INET6]");
	return source_port(f, peer) &&
	    ks_fields_event(f, action, KS_OUT_FAILURE, "openvpn");
}

enum { NO_FORM = -1, REJECTED = 0, DECODED = 1 };

static int
result(bool decoded)
{
	return decoded ? DECODED : REJECTED;
}

/*
 * The literals that open a word anywhere in the message: w is the word
 * at offset i of s.  One switch on its first byte passes over most words.
 */
static int
word_form(struct ks_str s, size_t i, struct ks_fields *f)
{
	struct ks_str w = ks_str_tail(s, i);

	switch (w.p[0]) {
	case 'a':
		if (ks_str_eat(&w, "authenticator failed for "))
			return result(exim_auth(w, f));
		break;
	case 'S':
		if (ks_str_eat(&w, "SMTP protocol error in "))
			return result(exim_protocol_error(w, f));
		if (i > 0 &&
		    ks_str_starts(w, "SIGTERM[soft,port-share-redirect]"))
			return result(openvpn(s, i - 1, f, KS_ACT_PROBE));
		break;
	case '[':
		if (ks_str_eat(&w, "[CLIENT: "))
			return result(mssql(s, w, f));
		break;
	case 'A':
		if (ks_str_eat(&w, "Access denied for user '"))
			return result(mysql(w, f));
		break;
	case 'F':
		if (ks_str_eat(&w, "Failed authentication attempt for "))
			return result(gitea(w, f));
		break;
	case 'w':
		if (ks_str_eat(&w,
		    "webConfigurator authentication error for user '"))
			return result(pfsense(w, f));
		break;
	case 'T':
		if (i > 0 && ks_str_starts(w, "TLS Error: "))
			return result(openvpn(s, i - 1, f, KS_ACT_PROBE));
		if (i > 0 && ks_str_starts(w, "TLS Auth Error: "))
			return result(openvpn(s, i - 1, f,
			    KS_ACT_LOGON_FAILED));
		break;
	}
	return NO_FORM;
}

bool
ks_dec_other(const struct ks_event *ev, struct ks_str msg,
    struct ks_fields *f)
{
	struct ks_str s = ks_search_area(ev, msg);

	ks_str_skip_spaces(&s);
	if (s.n < 10)
		return false;
	/* openings */
	if (ks_str_eat(&s, "Attack from \"") || ks_str_eat(&s, "Blocking \""))
		return sshguard(s, f);
	if (ks_str_eat(&s, "authentication failure; "))
		return ks_str_starts(s, "rhost=") && proxmox(s, f);
	if (ks_str_eat(&s, "authentication failure "))
		return cucipop(s, f);
	/* literals at any word */
	for (size_t i = 0; i < s.n; i++) {
		int r;

		if (i > 0 && s.p[i - 1] != ' ')
			continue;
		if ((r = word_form(s, i, f)) != NO_FORM)
			return r == DECODED;
	}
	return false;
}
