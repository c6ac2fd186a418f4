/*
 * auth.c - su, sudo and PAM: who became whom, and the authentication
 * failures PAM writes on behalf of every service.
 *
 * PAM is the odd one out among the families: its lines are written by
 * whatever program loaded the module (sshd, login, su, cron, cockpit,
 * dovecot), so ks_dec_pam runs after the program's own decoder for every
 * line, and must say no within a byte or two to everything else.  It
 * knows three generations of the same few messages:
 *
 *   PAM_pwdb (Red Hat 6):  "authentication failure; (uid=0) -> root for
 *                           sshd service", "(su) session opened for user
 *                           root by mity(uid=543)"
 *   pam_unix as program:   "sshd(pam_unix)[1]: authentication failure;
 *                           logname= uid=0 ... rhost=IP  user=root"
 *   Linux-PAM today:       "pam_unix(sshd:auth): authentication failure;
 *                           logname= uid=0 euid=0 tty=ssh ruser=
 *                           rhost=IP  user=root", "pam_unix(su:session):
 *                           session opened for user root(uid=0) by
 *                           mity(uid=1000)", "PAM 2 more authentication
 *                           failures; ...", "check pass; user unknown"
 *
 * All of them are parsed into one struct pam_msg, and one function turns
 * that into fields.  The meaning of "user" depends on the service: for
 * su the PAM user is the account switched TO (user.target.name) and the
 * one who ran su is the "by" name or ruser/logname; for sudo the PAM user
 * of an auth failure is the one running sudo; for every other service the
 * PAM user is the account logged on to (user.name).
 *
 * su and sudo write their own lines as well (util-linux "(to root) mity on
 * pts/0", shadow's "Successful su for root by mity" and "+ pts/0
 * mity:root", BSD's "BAD SU mity to root on /dev/ttyp0", Solaris' "'su
 * root' succeeded for mity on /dev/pts/1", sudo's "mity : TTY=pts/0 ;
 * PWD=... ; USER=root ; COMMAND=..."), decoded by ks_dec_su and
 * ks_dec_sudo, which also read the PAM lines of their own service as su
 * and sudo events.  The weak su forms ("+ pts/0 a:b", "a to b") are only
 * read when the program is su, never through the content fallback.
 */
#include "decode/decode_int.h"

enum pam_kind {
	PAM_AUTH_FAIL,
	PAM_OPENED,
	PAM_CLOSED,
	PAM_NO_USER,
};

struct pam_msg {
	enum pam_kind kind;
	struct ks_str service;  /* "sshd", "su"; may be empty */
	struct ks_str user;     /* user=, "for user X", "-> X" */
	struct ks_str by;       /* "by Y(uid=N)", ruser=, logname=, "Y ->" */
	struct ks_str rhost;
	struct ks_str tty;
};

enum switcher { SW_NONE, SW_SU, SW_SUDO };

static enum switcher
switcher(struct ks_str service)
{
	static const char *const su[] = { "su", "su-l", "runuser",
	    "runuser-l", "ksu", NULL };
	static const char *const sudo[] = { "sudo", "sudo-i", "doas",
	    "pkexec", NULL };

	if (ks_str_in(service, su))
		return SW_SU;
	if (ks_str_in(service, sudo))
		return SW_SUDO;
	return SW_NONE;
}

/* network.protocol of a PAM service, when the service name says it. */
static const char *
service_protocol(struct ks_str service, struct ks_str tty)
{
	static const struct {
		const char *service, *proto;
	} map[] = {
		{ "sshd", "ssh" }, { "ssh", "ssh" }, { "cockpit", "http" },
		{ "vsftpd", "ftp" }, { "proftpd", "ftp" },
		{ "pure-ftpd", "ftp" },
		{ "wu-ftpd", "ftp" }, { "ftp", "ftp" }, { "rlogin", "rlogin" },
		{ "rsh", "rsh" }, { "pop3", "pop3" }, { "pop", "pop3" },
		{ "imap", "imap" }, { "smtp", "smtp" },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++)
		if (ks_str_eq(service, map[i].service))
			return map[i].proto;
	if (ks_str_eq(tty, "ssh") || ks_str_eq(tty, "NODEVssh"))
		return "ssh";
	return NULL;
}

/* A user name: the bytes up to a space, '(' or the end. */
static struct ks_str
scan_name(struct ks_scan *s)
{
	const char *q = s->p;

	while (q < s->end && *q != ' ' && *q != '(')
		q++;
	struct ks_str r = ks_str_make(s->p, (size_t)(q - s->p));
	s->p = q;
	return r;
}

/* "(uid=N)" */
static bool
scan_uid(struct ks_scan *s)
{
	return ks_scan_lit(s, "(uid=") && ks_scan_digits(s).n > 0 &&
	    ks_scan_lit(s, ")");
}

/*
 * The tail of an authentication failure, after "authentication
 * failure; ": either pam_unix's key=value list or PAM_pwdb's
 * "[NAME](uid=N) -> USER for SERVICE service".
 */
static bool
parse_failure_tail(struct ks_str tail, struct pam_msg *pm)
{
	struct ks_scan s = ks_scan_of(tail);
	struct ks_str ruser;

	if (ks_str_starts(tail, "logname=") ||
	    ks_str_after(tail, " logname=") != NULL) {
		pm->user = ks_str_kv(tail, "user=");
		ruser = ks_str_kv(tail, "ruser=");
		pm->by = ruser.n > 0 ? ruser : ks_str_kv(tail, "logname=");
		pm->rhost = ks_str_kv(tail, "rhost=");
		pm->tty = ks_str_kv(tail, "tty=");
		return true;
	}
	pm->by = scan_name(&s);
	if (!scan_uid(&s) || !ks_scan_lit(&s, " -> "))
		return false;
	pm->user = ks_scan_word(&s);
	if (pm->user.n == 0 || !ks_scan_lit(&s, "for "))
		return false;
	struct ks_str svc = ks_scan_word(&s);
	if (svc.n == 0 || !ks_str_eq(ks_scan_rest(&s), "service"))
		return false;
	pm->service = svc;
	return true;
}

/* "N more authentication failure[s]; " (the digits already consumed). */
static bool
scan_more(struct ks_scan *s)
{
	return ks_scan_lit(s, " more authentication failure") &&
	    (ks_scan_lit(s, "s; ") || ks_scan_lit(s, "; "));
}

/* The message proper, after any "pam_unix(svc:type): " or "(svc) ". */
static bool
parse_body(struct ks_str body, bool sessions, struct pam_msg *pm)
{
	struct ks_scan s = ks_scan_of(body);

	if (ks_scan_lit(&s, "authentication failure; ")) {
		pm->kind = PAM_AUTH_FAIL;
		return parse_failure_tail(ks_scan_rest(&s), pm);
	}
	if (ks_scan_digits(&s).n > 0) {
		if (!scan_more(&s))
			return false;
		pm->kind = PAM_AUTH_FAIL;
		return parse_failure_tail(ks_scan_rest(&s), pm);
	}
	if (ks_scan_lit(&s, "check pass; user unknown")) {
		pm->kind = PAM_NO_USER;
		return true;
	}
	if (!sessions || !ks_scan_lit(&s, "session "))
		return false;
	if (ks_scan_lit(&s, "opened for user "))
		pm->kind = PAM_OPENED;
	else if (ks_scan_lit(&s, "closed for user "))
		pm->kind = PAM_CLOSED;
	else
		return false;
	pm->user = scan_name(&s);
	if (pm->user.n == 0)
		return false;
	if (s.p < s.end && *s.p == '(' && !scan_uid(&s))
		return false;
	if (pm->kind == PAM_OPENED && ks_scan_lit(&s, " by ")) {
		pm->by = scan_name(&s);
		/* "by (uid=0)": nobody by name */
	}
	return true;
}

/* The service a program name implies: "sshd(pam_unix)" -> "sshd". */
static struct ks_str
program_service(struct ks_str prog)
{
	const char *q = prog.n > 0 ? memchr(prog.p, '(', prog.n) : NULL;

	if (q != NULL)
		return ks_str_make(prog.p, (size_t)(q - prog.p));
	if (ks_str_starts(prog, "PAM_"))
		return KS_STR_NULL;
	return prog;
}

static bool
pam_program(struct ks_str prog)
{
	return ks_str_starts(prog, "PAM_") ||
	    (prog.n > 0 && ks_str_after(prog, "(pam_") != NULL);
}

/*
 * Parses any of the PAM forms.  False, quickly, for everything else: this
 * runs on every line that its program's own decoder did not claim.
 */
static bool
parse_pam(const struct ks_event *ev, struct ks_str msg, struct pam_msg *pm)
{
	struct ks_scan s = ks_scan_of(msg);
	struct ks_str svc;

	memset(pm, 0, sizeof(*pm));
	if (msg.n < 16)
		return false;
	switch (msg.p[0]) {
	case 'p':
		/* pam_MODULE(SERVICE:TYPE): */
		if (!ks_scan_lit(&s, "pam_") || !ks_scan_past(&s, "(") ||
		    ks_scan_left(&s) == 0)
			return false;
		svc = ks_scan_until(&s, ':');
		if (svc.n == 0 || memchr(svc.p, ' ', svc.n) != NULL ||
		    memchr(svc.p, ')', svc.n) != NULL ||
		    !ks_scan_past(&s, "): "))
			return false;
		pm->service = svc;
		return parse_body(ks_scan_rest(&s), true, pm);
	case 'P':
		/* sshd's "PAM 2 more authentication failures; logname=..." */
		if (!ks_scan_lit(&s, "PAM ") || ks_scan_digits(&s).n == 0 ||
		    !scan_more(&s))
			return false;
		pm->kind = PAM_AUTH_FAIL;
		pm->service = program_service(ev->program);
		return parse_failure_tail(ks_scan_rest(&s), pm);
	case '(':
		/* PAM_pwdb's "(su) session opened for user root by ..." */
		s.p++;
		svc = ks_scan_until(&s, ')');
		if (svc.n == 0 || memchr(svc.p, ' ', svc.n) != NULL ||
		    !ks_scan_lit(&s, ") "))
			return false;
		pm->service = svc;
		return parse_body(ks_scan_rest(&s), true, pm);
	case 'a':
	case 'c':
	case 's':
	case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		/* PAM_pwdb, "sshd(pam_unix)", or a bare pam_unix tail */
		pm->service = program_service(ev->program);
		if (!parse_body(msg, pam_program(ev->program), pm))
			return false;
		/* "check pass" alone is too short a proof for others */
		return pm->kind != PAM_NO_USER || pam_program(ev->program);
	default:
		return false;
	}
}

/* Fields of a parsed PAM message, with the generic actions. */
static void
pam_fields(struct ks_fields *f, const struct pam_msg *pm)
{
	static const char *const action[] = {
		[PAM_AUTH_FAIL] = KS_ACT_LOGON_FAILED,
		[PAM_OPENED] = KS_ACT_SESSION_OPENED,
		[PAM_CLOSED] = KS_ACT_SESSION_CLOSED,
		[PAM_NO_USER] = KS_ACT_INVALID_USER,
	};
	enum switcher sw = switcher(pm->service);
	bool failed = pm->kind == PAM_AUTH_FAIL || pm->kind == PAM_NO_USER;

	(void)ks_fields_event(f, action[pm->kind], failed ? KS_OUT_FAILURE :
	    KS_OUT_SUCCESS, service_protocol(pm->service, pm->tty));
	if (pm->service.n > 0)
		ks_fields_set(f, KS_F_SERVICE_NAME, pm->service.p,
		    pm->service.n);
	if (pm->rhost.n > 0)
		(void)ks_fields_addr(f, KS_F_SOURCE_IP, KS_F_SOURCE_DOMAIN,
		    pm->rhost.p, pm->rhost.n);
	if (sw == SW_NONE || (sw == SW_SUDO && pm->kind == PAM_AUTH_FAIL)) {
		/* the account logged on to, or sudo's own user */
		if (pm->user.n > 0)
			ks_fields_set(f, KS_F_USER_NAME, pm->user.p,
			    pm->user.n);
		else if (sw == SW_SUDO && pm->by.n > 0)
			ks_fields_set(f, KS_F_USER_NAME, pm->by.p, pm->by.n);
		return;
	}
	/* su and sudo sessions, su failures: "by" became "user" */
	if (pm->by.n > 0)
		ks_fields_set(f, KS_F_USER_NAME, pm->by.p, pm->by.n);
	if (pm->user.n > 0)
		ks_fields_set(f, KS_F_USER_TARGET_NAME, pm->user.p, pm->user.n);
}

bool
ks_dec_pam(const struct ks_event *ev, struct ks_str msg, struct ks_fields *f)
{
	struct pam_msg pm;

	if (!parse_pam(ev, msg, &pm))
		return false;
	pam_fields(f, &pm);
	return true;
}

/* ---- su --------------------------------------------------------------- */

static void
su_fields(struct ks_fields *f, struct ks_str user, struct ks_str target,
    bool ok)
{
	(void)ks_fields_event(f, KS_ACT_SU, ok ? KS_OUT_SUCCESS :
	    KS_OUT_FAILURE, NULL);
	if (user.n > 0)
		ks_fields_set(f, KS_F_USER_NAME, user.p, user.n);
	if (target.n > 0)
		ks_fields_set(f, KS_F_USER_TARGET_NAME, target.p, target.n);
}

/* shadow: "Successful su for root by mity", "FAILED su for root by mity" */
static bool
su_shadow(struct ks_scan s, struct ks_fields *f)
{
	bool ok;
	struct ks_str target;

	if (!ks_scan_either(&s, "Successful su for ", "FAILED su for ", &ok))
		return false;
	target = ks_scan_word(&s);
	if (target.n == 0 || !ks_scan_lit(&s, "by "))
		return false;
	struct ks_str user = ks_scan_rest(&s);
	if (user.n == 0 || memchr(user.p, ' ', user.n) != NULL)
		return false;
	su_fields(f, user, target, ok);
	return true;
}

/* util-linux: "[FAILED SU ](to root) mity on pts/0" */
static bool
su_util_linux(struct ks_scan s, struct ks_fields *f)
{
	bool ok = true;
	struct ks_str target, user;

	if (ks_scan_lit(&s, "FAILED SU ") || ks_scan_lit(&s, "FAILED RUNUSER "))
		ok = false;
	if (!ks_scan_lit(&s, "(to "))
		return false;
	target = ks_scan_until(&s, ')');
	if (target.n == 0 || memchr(target.p, ' ', target.n) != NULL ||
	    !ks_scan_lit(&s, ") "))
		return false;
	user = ks_scan_until(&s, ' ');   /* may be empty: "(to x)  on" */
	if (!ks_scan_lit(&s, " on "))
		return false;
	su_fields(f, user, target, ok);
	return true;
}

/* BSD: "BAD SU mity to root on /dev/ttyp0"; "mity to root[ on tty]" */
static bool
su_bsd(struct ks_scan s, struct ks_fields *f, bool own)
{
	bool ok = true;
	struct ks_str user, target, rest;

	if (ks_scan_lit(&s, "BAD SU "))
		ok = false;
	else if (!own)
		return false;
	user = ks_scan_word(&s);
	if (user.n == 0 || !ks_scan_lit(&s, "to "))
		return false;
	target = ks_scan_until(&s, ' ');
	rest = ks_scan_rest(&s);
	if (target.n == 0 || (rest.n > 0 && !ks_str_starts(rest, " on ")))
		return false;
	su_fields(f, user, target, ok);
	return true;
}

/* Solaris: "'su root' succeeded for mity on /dev/pts/1" */
static bool
su_solaris(struct ks_scan s, struct ks_fields *f)
{
	bool ok;
	struct ks_str target, user;

	if (!ks_scan_lit(&s, "'su "))
		return false;
	target = ks_scan_until(&s, '\'');
	if (target.n == 0 || memchr(target.p, ' ', target.n) != NULL)
		return false;
	if (!ks_scan_either(&s, "' succeeded for ", "' failed for ", &ok))
		return false;
	user = ks_scan_word(&s);
	if (user.n == 0)
		return false;
	su_fields(f, user, target, ok);
	return true;
}

/* shadow's sulog via syslog: "+ pts/0 mity:root", "- pts/0 mity:root" */
static bool
su_sulog(struct ks_scan s, struct ks_fields *f)
{
	bool ok;
	struct ks_str pair;
	const char *colon;

	if (!ks_scan_either(&s, "+ ", "- ", &ok))
		return false;
	if (ks_scan_word(&s).n == 0)
		return false;
	pair = ks_scan_rest(&s);
	if (pair.n < 3 || memchr(pair.p, ' ', pair.n) != NULL ||
	    (colon = memchr(pair.p, ':', pair.n)) == NULL)
		return false;
	su_fields(f, ks_str_make(pair.p, (size_t)(colon - pair.p)),
	    ks_str_make(colon + 1, (size_t)(pair.p + pair.n - colon - 1)), ok);
	return true;
}

bool
ks_dec_su(const struct ks_event *ev, struct ks_str msg, struct ks_fields *f)
{
	struct ks_scan s = ks_scan_of(msg);
	struct pam_msg pm;
	bool own = ks_str_eq(ev->program, "su");

	if (parse_pam(ev, msg, &pm)) {
		if (!own && switcher(pm.service) != SW_SU)
			return false;
		pam_fields(f, &pm);
		/* su's own session and failure are the su itself */
		if (switcher(pm.service) == SW_SU && (pm.kind == PAM_OPENED ||
		    pm.kind == PAM_AUTH_FAIL))
			ks_fields_sets(f, KS_F_EVENT_ACTION, KS_ACT_SU);
		return true;
	}
	/* each form fails on its first bytes */
	return su_shadow(s, f) || su_util_linux(s, f) || su_solaris(s, f) ||
	    (own && su_sulog(s, f)) || su_bsd(s, f, own);
}

/* ---- sudo ------------------------------------------------------------- */

/* The reasons sudo writes before " ; TTY=" when it refused. */
static bool
sudo_refusal(struct ks_str reason)
{
	static const char *const why[] = { "incorrect password attempt",
	    "NOT in sudoers", "command not allowed", "NOT authorized",
	    "password is required", "authentication failure",
	    "no tty present", NULL };

	for (const char *const *w = why; *w != NULL; w++)
		if (ks_str_after(reason, *w) != NULL)
			return true;
	return false;
}

bool
ks_dec_sudo(const struct ks_event *ev, struct ks_str msg, struct ks_fields *f)
{
	struct ks_scan s = ks_scan_of(msg);
	struct pam_msg pm;
	struct ks_str user, first, target;
	bool ok;

	if (parse_pam(ev, msg, &pm)) {
		if (!ks_str_eq(ev->program, "sudo") &&
		    switcher(pm.service) != SW_SUDO)
			return false;
		pam_fields(f, &pm);
		if (switcher(pm.service) == SW_SUDO &&
		    pm.kind == PAM_AUTH_FAIL)
			ks_fields_sets(f, KS_F_EVENT_ACTION, KS_ACT_SUDO);
		return true;
	}
	/* "    mity : TTY=pts/0 ; PWD=/home/mity ; USER=root ; COMMAND=..." */
	ks_scan_spaces(&s);
	user = ks_scan_until(&s, ' ');
	if (user.n == 0 || !ks_scan_lit(&s, " : "))
		return false;
	if (ks_scan_lit(&s, "TTY=")) {
		ok = true;
	} else {
		const char *semi = ks_memfind(s.p, ks_scan_left(&s), " ; ", 3);

		if (semi == NULL)
			return false;
		first = ks_str_make(s.p, (size_t)(semi - s.p));
		if (!sudo_refusal(first))
			return false;
		ok = false;
	}
	target = ks_str_kv(ks_scan_rest(&s), "USER=");
	(void)ks_fields_event(f, KS_ACT_SUDO, ok ? KS_OUT_SUCCESS :
	    KS_OUT_FAILURE, NULL);
	ks_fields_set(f, KS_F_USER_NAME, user.p, user.n);
	if (target.n > 0)
		ks_fields_set(f, KS_F_USER_TARGET_NAME, target.p, target.n);
	return true;
}
