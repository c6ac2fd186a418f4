/*
 * mailbox.c - the servers users read their mail from, POP3 and IMAP:
 * Qualcomm popper, the UW ipop3d/imapd, dovecot, Courier, Cyrus and
 * cucipop.  Scans of POP and IMAP and password guessing against them were
 * the most common reports of the late nineties, and still are.
 *
 * Each server has a few fixed phrasings, and each phrasing names the
 * client its own way:
 *
 *   popper    "@[192.0.2.1]: -ERR POP EOF received",
 *             "bob at host (192.0.2.1): -ERR Password supplied for "bob"
 *             is incorrect."
 *   UW        "Login failed user=bob auth=bob host=host [192.0.2.1]"
 *   dovecot   "imap-login: Disconnected (auth failed, 1 attempts):
 *             user=<bob>, method=PLAIN, rip=192.0.2.1, lip=192.0.2.2"
 *             "auth-worker(7): pam(bob,192.0.2.1): unknown user"
 *   Courier   "LOGIN FAILED, user=bob, ip=[::ffff:192.0.2.1]"
 *   Cyrus     "badlogin: host [192.0.2.1] plaintext bob SASL(-13): ..."
 *
 * so the decoder recognises the phrasing by its first bytes (a switch on
 * the first character) and takes the client apart as that server writes
 * it.  The protocol comes from the program name (imapd, pop3d, popper),
 * or from the message where dovecot names its service ("imap-login:").
 * dovecot's "pam_unix(dovecot:auth): ..." is left to the PAM decoder.
 */
#include <string.h>

#include "decode/decode_int.h"

/* A client host name; "UNKNOWN" names none either. */
static void
set_host(struct ks_fields *f, const char *p, size_t n)
{
	if (!(n == 7 && memcmp(p, "UNKNOWN", 7) == 0))
		ks_source_host(f, p, n);
}

/* "host.example [192.0.2.1]", "[192.0.2.1]" or "host.example" at p. */
static void
set_peer(struct ks_fields *f, const char *p, const char *end)
{
	const char *rb, *sp;

	if (p < end && *p != '[') {
		sp = memchr(p, ' ', (size_t)(end - p));
		set_host(f, p, (size_t)((sp ? sp : end) - p));
		p = sp ? sp + 1 : end;
	}
	if (p < end && *p == '[' &&
	    (rb = memchr(p, ']', (size_t)(end - p))) != NULL)
		ks_source_ip(f, p + 1, (size_t)(rb - p - 1));
}

static void
set_user(struct ks_fields *f, struct ks_str u)
{
	if (u.n >= 2 && u.p[0] == '<' && u.p[u.n - 1] == '>')
		u = ks_str_make(u.p + 1, u.n - 2);
	if (u.n >= 2 && u.p[0] == '(' && u.p[u.n - 1] == ')')
		u = ks_str_make(u.p + 1, u.n - 2);
	if (ks_str_eq(u, "???") || ks_str_eq(u, "?"))
		return;
	ks_fields_set(f, KS_F_USER_NAME, u.p, u.n);
}

/* "imap" or "pop3" from a program or service name, else NULL. */
static const char *
proto_of(struct ks_str name)
{
	if (name.p == NULL || name.n == 0)
		return NULL;
	if (ks_memfind(name.p, name.n, "imap", 4) != NULL)
		return "imap";
	if (ks_memfind(name.p, name.n, "pop", 3) != NULL)
		return "pop3";
	if (ks_str_starts(name, "submission"))
		return "smtp";
	return NULL;
}

/* ---- popper ----------------------------------------------------------- */

/*
 * "USER@CLIENT" (popper 2: CLIENT a name or "[IP]", USER maybe empty) or
 * "USER at HOST (IP)" (qpopper 3 and 4), the text before ": -ERR ".
 */
static void
pop_who(struct ks_fields *f, const char *p, const char *end)
{
	const char *q, *at_ = NULL, *lp;

	for (q = p; (q = ks_find(q, end, " at ")) != NULL; q += 4)
		at_ = q;
	if (at_ != NULL && end[-1] == ')' &&
	    (lp = ks_find(at_ + 4, end, " (")) != NULL) {
		set_user(f, ks_span(p, at_));
		set_host(f, at_ + 4, (size_t)(lp - at_ - 4));
		ks_source_ip(f, lp + 2, (size_t)(end - lp - 3));
		return;
	}
	for (q = end; q > p && q[-1] != '@'; q--)
		;
	if (q == p)
		return;
	if (q - 1 > p)
		set_user(f, ks_span(p, q - 1));
	if (*q == '[')
		set_peer(f, q, end);
	else
		set_host(f, q, (size_t)(end - q));
}

/* "[who: ]-ERR TEXT" */
static bool
pop_err(struct ks_fields *f, const char *p, const char *end, const char *err)
{
	const char *t = err + 5, *q, *e;
	bool anon;

	if (err > p)
		pop_who(f, p, err - 2);
	/* "[AUTH] ", "[SYS/PERM] " */
	while (t < end && *t == '[' &&
	    (q = memchr(t, ']', (size_t)(end - t))) != NULL &&
	    ks_at(q, end, "] "))
		t = q + 2;
	anon = f->v[KS_F_USER_NAME].n == 0;
	if (ks_at(t, end, "Password supplied for \"")) {
		q = t + 23;
		e = memchr(q, '"', (size_t)(end - q));
		if (e != NULL)
			ks_fields_set(f, KS_F_USER_NAME, q, (size_t)(e - q));
		return ks_fields_event(f, KS_ACT_LOGON_FAILED, KS_OUT_FAILURE,
		    "pop3");
	}
	if (ks_at(t, end, "POP EOF") || ks_at(t, end, "POP timeout"))
		return ks_fields_event(f, anon ? KS_ACT_PROBE :
		    KS_ACT_DISCONNECT, KS_OUT_UNKNOWN, "pop3");
	if (ks_at(t, end, "Unknown command") ||
	    ks_at(t, end, "Unknown authentication"))
		return ks_fields_event(f, KS_ACT_PROBE, KS_OUT_UNKNOWN, "pop3");
	return false;
}

/* "Stats: bob 0 0 0 0 host.example 192.0.2.1", at the end of a session */
static bool
pop_stats(struct ks_fields *f, struct ks_str msg)
{
	struct ks_scan s = ks_scan_of(msg);
	struct ks_str user, w;

	s.p += 7;
	user = ks_scan_word(&s);
	for (int i = 0; i < 4; i++) {
		w = ks_scan_word(&s);
		if (w.n == 0 || !ks_isdigit(w.p[0]))
			return false;
	}
	set_user(f, user);
	w = ks_scan_word(&s);
	set_host(f, w.p, w.n);
	w = ks_scan_word(&s);
	if (w.n > 0)
		ks_source_ip(f, w.p, w.n);
	return ks_fields_event(f, KS_ACT_SESSION_CLOSED, KS_OUT_SUCCESS,
	    "pop3");
}

/*
 * qpopper 4: "(v4.0.5) POP login by user "bob" at (host.example)
 * 192.0.2.1" and "(v4.0.5) Servicing request from "host.example" at
 * 192.0.2.1".
 */
static bool
pop_v4(struct ks_fields *f, const char *p, const char *end)
{
	const char *q = memchr(p, ')', (size_t)(end - p)), *u, *e, *a;
	bool login;

	if (q == NULL || !ks_at(q, end, ") "))
		return false;
	q += 2;
	login = ks_at(q, end, "POP login by user \"");
	if (!login && !ks_at(q, end, "Servicing request from \""))
		return false;
	u = q + (login ? 19 : 24);
	if ((e = memchr(u, '"', (size_t)(end - u))) == NULL)
		return false;
	for (a = end; a > e && a[-1] != ' '; a--)
		;
	if (!ks_source_ip(f, a, (size_t)(end - a)))
		return false;
	if (login) {
		ks_fields_set(f, KS_F_USER_NAME, u, (size_t)(e - u));
		if (ks_at(e, end, "\" at (") && a - e > 7 && a[-2] == ')')
			set_host(f, e + 6, (size_t)(a - 2 - e - 6));
		return ks_fields_event(f, KS_ACT_LOGON, KS_OUT_SUCCESS, "pop3");
	}
	set_host(f, u, (size_t)(e - u));
	return ks_fields_event(f, KS_ACT_CONNECTION, KS_OUT_UNKNOWN, "pop3");
}

/* ---- UW imapd and ipop3d --------------------------------------------- */

/*
 * "Login failed user=X auth=X host=HOST [IP]", "Login user=X host=..",
 * "AUTHENTICATE LOGIN failure host=..", "Logout user=X host=..",
 * "Command stream end of file while reading line user=??? host=..".
 */
static bool
uw(struct ks_fields *f, struct ks_str msg, const char *proto)
{
	const char *p = msg.p, *end = p + msg.n, *h, *action, *outcome;
	bool drop = false;

	if ((h = ks_find(p, end, " host=")) == NULL)
		return false;
	if (ks_at(p, end, "Login failed ") || ks_at(p, end, "Login failure ") ||
	    ks_at(p, end, "Login excessive login failures ") ||
	    (ks_at(p, end, "AUTHENTICATE ") && ks_find(p, h + 1, " failure ")))
		action = KS_ACT_LOGON_FAILED, outcome = KS_OUT_FAILURE;
	else if (ks_at(p, end, "Login disabled "))
		action = KS_ACT_LOGON_REFUSED, outcome = KS_OUT_FAILURE;
	else if (ks_at(p, end, "Login user=") ||
	    ks_at(p, end, "Authenticated user=") ||
	    ks_at(p, end, "Auth user=") || ks_at(p, end, "Preauth user="))
		action = KS_ACT_LOGON, outcome = KS_OUT_SUCCESS;
	else if (ks_at(p, end, "Logout user=") ||
	    ks_at(p, end, "Autologout user="))
		action = KS_ACT_SESSION_CLOSED, outcome = KS_OUT_SUCCESS;
	else if (ks_find(p, h, ", while ") != NULL ||
	    ks_find(p, h, "end of file while ") != NULL) {
		action = KS_ACT_DISCONNECT, outcome = KS_OUT_UNKNOWN;
		drop = true;
	} else
		return false;
	set_user(f, ks_str_kv(msg, "user="));
	/* a client that dropped before it logged on is a probe */
	if (drop && f->v[KS_F_USER_NAME].n == 0)
		action = KS_ACT_PROBE;
	set_peer(f, h + 6, end);         /* "HOST [IP] mech=PLAIN" */
	return ks_fields_event(f, action, outcome, proto);
}

/* "imap service init from 192.0.2.1", "pop3 service init from ..". */
static bool
uw_init(struct ks_fields *f, struct ks_str msg)
{
	const char *p = msg.p, *end = p + msg.n;
	bool imap = ks_at(p, end, "imap service init from ");

	if (!imap && !ks_at(p, end, "pop3 service init from "))
		return false;
	if (!ks_source_ip(f, p + 23, (size_t)(end - p - 23)))
		return false;
	return ks_fields_event(f, KS_ACT_CONNECTION, KS_OUT_UNKNOWN,
	    imap ? "imap" : "pop3");
}

/* ---- dovecot ---------------------------------------------------------- */

/* "Info: ", "Warning: " and the like that dovecot's own log puts first. */
static const char *
skip_level(const char *p, const char *end)
{
	static const char *const levels[] = { "Info: ", "Warning: ",
	    "Error: ", "Debug: " };

	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (ks_at(p, end, levels[i]))
			return p + strlen(levels[i]);
	return p;
}

/*
 * A login process line: "Login: user=<bob>, method=PLAIN, rip=IP, lip=IP",
 * "Disconnected (auth failed, 1 attempts in 2 secs): user=<bob>, ...",
 * "Aborted login (no auth attempts in 0 secs): user=<>, rip=..",
 * "Login aborted: Connection closed (auth failed, ..) (auth_failed): ..".
 */
static bool
dc_login(struct ks_fields *f, struct ks_str text, const char *proto)
{
	const char *p = text.p, *end = p + text.n, *kv, *action, *outcome;
	struct ks_str v;

	v = ks_str_kv(text, "rip=");
	if (v.n == 0)
		return false;
	kv = v.p;
	if (ks_at(p, end, "Login: "))
		action = KS_ACT_LOGON, outcome = KS_OUT_SUCCESS;
	else if (ks_find(p, kv, "auth failed") != NULL ||
	    ks_find(p, kv, "didn't finish SASL auth") != NULL)
		action = KS_ACT_LOGON_FAILED, outcome = KS_OUT_FAILURE;
	else if (ks_find(p, kv, "plaintext auth") != NULL ||
	    ks_at(p, end, "Maximum number of connections"))
		action = KS_ACT_LOGON_REFUSED, outcome = KS_OUT_FAILURE;
	else if (ks_find(p, kv, "no auth attempts") != NULL ||
	    ks_find(p, kv, "before auth was ready") != NULL)
		action = KS_ACT_PROBE, outcome = KS_OUT_UNKNOWN;
	else if (ks_at(p, end, "Disconnected") ||
	    ks_at(p, end, "Aborted login") || ks_at(p, end, "Login aborted"))
		action = KS_ACT_DISCONNECT, outcome = KS_OUT_UNKNOWN;
	else
		return false;
	if (!ks_source_ip(f, v.p, v.n))
		return false;
	if ((kv = ks_str_after(text, " user=<")) != NULL) {
		const char *e = memchr(kv, '>', (size_t)(end - kv));

		if (e != NULL)
			ks_fields_set(f, KS_F_USER_NAME, kv, (size_t)(e - kv));
	}
	v = ks_str_kv(text, "rport=");
	if (v.n > 0 && v.n <= 5)
		ks_fields_set(f, KS_F_SOURCE_PORT, v.p, v.n);
	v = ks_str_kv(text, "lip=");
	if (v.n > 0)
		ks_fields_addr(f, KS_F_DESTINATION_IP, KS_F_DESTINATION_DOMAIN,
		    v.p, v.n);
	v = ks_str_kv(text, "lport=");
	if (v.n > 0 && v.n <= 5)
		ks_fields_set(f, KS_F_DESTINATION_PORT, v.p, v.n);
	return ks_fields_event(f, action, outcome, proto);
}

/*
 * The auth process: "pam(bob,192.0.2.1,<sess>): unknown user",
 * "passwd-file(bob,192.0.2.1): Password mismatch", "pam(bob,IP):
 * pam_authenticate() failed: Authentication failure (password mismatch?)".
 */
static bool
dc_auth(struct ks_fields *f, const char *p, const char *end)
{
	const char *lp = p, *close, *t, *comma;
	const char *action;

	while (lp < end && ((*lp >= 'a' && *lp <= 'z') || *lp == '-' ||
	    *lp == '_' || ks_isdigit(*lp)))
		lp++;
	if (lp == p || lp >= end || *lp != '(' || ks_at(p, end, "pam_") ||
	    (close = ks_find(lp, end, "): ")) == NULL)
		return false;
	t = close + 3;
	if (ks_find(t, end, "unknown user") != NULL)
		action = KS_ACT_INVALID_USER;
	else if (ks_find(t, end, "assword mismatch") != NULL ||
	    ks_find(t, end, "pam_authenticate() failed") != NULL ||
	    ks_find(t, end, "uthentication failure") != NULL)
		action = KS_ACT_LOGON_FAILED;
	else
		return false;
	/* "user,ip" or "user,ip,<session>": taken apart from the right */
	if (close[-1] == '>' && (comma = ks_find(lp, close, ",<")) != NULL)
		close = comma;
	for (comma = close; comma > lp && comma[-1] != ','; comma--)
		;
	if (comma <= lp + 1 || !ks_source_ip(f, comma, (size_t)(close - comma)))
		return false;
	if (comma - 1 > lp + 1)
		ks_fields_set(f, KS_F_USER_NAME, lp + 1,
		    (size_t)(comma - 1 - lp - 1));
	return ks_fields_event(f, action, KS_OUT_FAILURE, NULL);
}

/* A service prefix "imap-login: " at p: its end, else NULL. */
static const char *
dc_service(const char *p, const char *end, struct ks_str *name)
{
	const char *q = p;

	while (q < end && q - p < 32 && ((*q >= 'a' && *q <= 'z') ||
	    ks_isdigit(*q) || *q == '-'))
		q++;
	if (q - p < 7 || !ks_at(q - 6, end, "-login") || !ks_at(q, end, ": "))
		return NULL;
	*name = ks_span(p, q);
	return q + 2;
}

/* "auth: " or "auth-worker(123): " at p: its end, else NULL. */
static const char *
dc_authproc(const char *p, const char *end)
{
	const char *q;

	if (ks_at(p, end, "auth: "))
		return p + 6;
	if (!ks_at(p, end, "auth-worker("))
		return NULL;
	for (q = p + 12; q < end && ks_isdigit(*q); q++)
		;
	return ks_at(q, end, "): ") ? q + 3 : NULL;
}

/* ---- Courier ---------------------------------------------------------- */

/*
 * "LOGIN FAILED, user=bob, ip=[::ffff:192.0.2.1]", "LOGIN, user=bob,
 * ip=[..], port=[4321], protocol=IMAP", "LOGOUT, user=bob, ip=[..], ..",
 * "Connection, ip=[..]", "Disconnected, ip=[..]", "TIMEOUT, user=..".
 */
static bool
courier(struct ks_fields *f, struct ks_str msg, const char *proto)
{
	static const struct {
		const char *lead, *action, *outcome;
	} forms[] = {
		{ "LOGIN FAILED, ", KS_ACT_LOGON_FAILED, KS_OUT_FAILURE },
		{ "LOGIN, ", KS_ACT_LOGON, KS_OUT_SUCCESS },
		{ "LOGOUT, ", KS_ACT_SESSION_CLOSED, KS_OUT_SUCCESS },
		{ "Connection, ", KS_ACT_CONNECTION, KS_OUT_UNKNOWN },
		{ "Disconnected, ", KS_ACT_DISCONNECT, KS_OUT_UNKNOWN },
		{ "DISCONNECTED, ", KS_ACT_DISCONNECT, KS_OUT_UNKNOWN },
		{ "TIMEOUT, ", KS_ACT_DISCONNECT, KS_OUT_UNKNOWN },
	};
	struct ks_str v;

	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		if (!ks_str_starts(msg, forms[i].lead))
			continue;
		v = ks_str_kv(msg, "ip=");
		if (v.n == 0 || !ks_source_ip(f, v.p, v.n))
			return false;
		set_user(f, ks_str_kv(msg, "user="));
		v = ks_str_kv(msg, "port=");
		if (v.n >= 3 && v.n <= 7 && v.p[0] == '[' &&
		    v.p[v.n - 1] == ']')
			ks_fields_set(f, KS_F_SOURCE_PORT, v.p + 1, v.n - 2);
		v = ks_str_kv(msg, "protocol=");
		if (v.n > 0)
			proto = ks_str_starts(v, "IMAP") ? "imap" :
			    ks_str_starts(v, "POP3") ? "pop3" : proto;
		return ks_fields_event(f, forms[i].action, forms[i].outcome,
		    proto);
	}
	return false;
}

/* ---- Cyrus ------------------------------------------------------------ */

/*
 * "badlogin: host [192.0.2.1] plaintext bob SASL(-13): authentication
 * failure: checkpass failed", "badlogin: [192.0.2.1] CRAM-MD5 (bob@dom)
 * [SASL(-13): ...]", "login: host [192.0.2.1] bob plaintext User logged in".
 */
static bool
cyrus(struct ks_fields *f, struct ks_str msg, const char *proto)
{
	bool bad = ks_str_starts(msg, "badlogin: ");
	struct ks_scan s = ks_scan_of(msg);
	struct ks_str w, user;
	const char *rb;

	if (!bad && (!ks_str_starts(msg, "login: ") ||
	    ks_str_after(msg, " User logged in") == NULL))
		return false;
	s.p += bad ? 10 : 7;
	w = ks_scan_word(&s);
	if (w.n == 0)
		return false;
	if (w.p[0] != '[') {
		set_host(f, w.p, w.n);
		w = ks_scan_word(&s);
	}
	if (w.n < 3 || w.p[0] != '[' || (rb = memchr(w.p, ']', w.n)) == NULL ||
	    !ks_source_ip(f, w.p + 1, (size_t)(rb - w.p - 1)))
		return false;
	if (bad) {
		(void)ks_scan_word(&s);                 /* the mechanism */
		user = ks_scan_word(&s);
		if (user.n > 0 && user.p[0] != '[' &&
		    !ks_str_starts(user, "SASL"))
			set_user(f, user);
		return ks_fields_event(f, KS_ACT_LOGON_FAILED, KS_OUT_FAILURE,
		    proto);
	}
	set_user(f, ks_scan_word(&s));
	return ks_fields_event(f, KS_ACT_LOGON, KS_OUT_SUCCESS, proto);
}

/* cucipop: "authentication failure bob 192.0.2.1" */
static bool
cucipop(struct ks_fields *f, struct ks_str msg)
{
	const char *p, *end = msg.p + msg.n, *a;

	if (!ks_str_starts(msg, "authentication failure "))
		return false;
	p = msg.p + 23;
	for (a = end; a > p && a[-1] != ' '; a--)
		;
	if (a == end || !ks_fields_addr(f, KS_F_SOURCE_IP, KS_F_SOURCE_DOMAIN,
	    a, (size_t)(end - a)))
		return false;
	if (a - 1 > p)
		ks_fields_set(f, KS_F_USER_NAME, p, (size_t)(a - 1 - p));
	return ks_fields_event(f, KS_ACT_LOGON_FAILED, KS_OUT_FAILURE, "pop3");
}

/* dovecot's "imap-login" as the program, for a log written by itself. */
static bool
login_program(struct ks_str prog)
{
	return prog.n > 6 && memcmp(prog.p + prog.n - 6, "-login", 6) == 0;
}

bool
ks_dec_mailbox(const struct ks_event *ev, struct ks_str msg,
    struct ks_fields *f)
{
	const char *p = msg.p, *end = p + msg.n, *q;
	const char *proto = proto_of(ev->program);
	struct ks_str svc;

	if (msg.n == 0)
		return false;
	if (ks_str_eq(ev->program, "cucipop"))
		return cucipop(f, msg);
	if ((q = dc_service(p, end, &svc)) != NULL)
		return dc_login(f, ks_span(skip_level(q, end), end),
		    proto_of(svc));
	if (login_program(ev->program))
		return dc_login(f, ks_span(skip_level(p, end), end), proto);
	if ((q = dc_authproc(p, end)) != NULL)
		return dc_auth(f, skip_level(q, end), end);
	if (ks_str_starts(msg, "-ERR "))
		return pop_err(f, p, end, p);
	if ((q = ks_find(p, end, ": -ERR ")) != NULL)
		return pop_err(f, p, end, q + 2);
	switch (*p) {
	case '(':
		return pop_v4(f, p, end);
	case 'S':
		return ks_str_starts(msg, "Stats: ") && pop_stats(f, msg);
	case 'L':
		if (ks_str_starts(msg, "LOGIN") ||
		    ks_str_starts(msg, "LOGOUT, "))
			return courier(f, msg, proto);
		return uw(f, msg, proto);
	case 'C':
		if (ks_str_starts(msg, "Connection, "))
			return courier(f, msg, proto);
		return uw(f, msg, proto);
	case 'A':
	case 'B':
	case 'P':
	case 'U':
		return uw(f, msg, proto);
	case 'D':
	case 'T':
		return courier(f, msg, proto);
	case 'b':
	case 'l':
		return cyrus(f, msg, proto);
	case 'i':
	case 'p':
		return uw_init(f, msg);
	}
	return false;
}
