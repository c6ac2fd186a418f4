/*
 * ftp.c - the FTP servers: wu-ftpd and the BSD/netkit ftpd, vsftpd,
 * ProFTPD, Pure-FTPd, and the xferlog transfer records.
 *
 * FTP was the way into many hosts of the nineties (writable anonymous
 * directories, the wu-ftpd holes, guessed passwords), so the logons,
 * failures and refusals matter, and so do the transfers: xferlog says
 * which file went which way, from which host, under which name.
 *
 * Each server words its lines its own way and names the client its own
 * way, so the decoder dispatches on the first byte to the server's form:
 *
 *   wu-ftpd    "FAILED LOGIN 1 FROM host [192.0.2.1], root"
 *   BSD ftpd   "FTP LOGIN FAILED FROM 192.0.2.1, root"
 *   vsftpd     "[bob] FAIL LOGIN: Client "192.0.2.1""
 *   ProFTPD    "srv (host[192.0.2.1]) - USER bob (Login failed): ..."
 *   Pure-FTPd  "(?@192.0.2.1) [WARNING] Authentication failed for user bob"
 *   xferlog    "1 host 1234 /pub/x b _ o a guest@ ftp 0 * c"
 *
 * An xferlog record's file name may hold spaces, so its fields are
 * counted from both ends: four before the name, eight or nine after it.
 */
#include <string.h>

#include "decode/decode_int.h"

/* A user name, without "[...]" or trailing spaces; "?" names none. */
static void
set_user(struct ks_fields *f, const char *p, const char *end)
{
	while (end > p && (end[-1] == ' ' || end[-1] == '.'))
		end--;
	if (end - p >= 2 && *p == '[' && end[-1] == ']') {
		p++;
		end--;
	}
	if (end > p && !(end - p == 1 && *p == '?'))
		ks_fields_set(f, KS_F_USER_NAME, p, (size_t)(end - p));
}

static bool
result(struct ks_fields *f, const char *action, const char *outcome)
{
	return ks_fields_event(f, action, outcome, "ftp");
}

/* ---- wu-ftpd and the BSD ftpd ------------------------------------------ */

/*
 * What follows "FROM ": "host [192.0.2.1], user", "192.0.2.1, user",
 * "host [192.0.2.1]", "host as user (class: real)"; the user is taken
 * when want_user.
 */
static void
wu_from(struct ks_fields *f, const char *p, const char *end, bool want_user)
{
	const char *he, *q, *rb, *ue;

	for (he = p; he < end && *he != ' ' && *he != ','; he++)
		;
	ks_source_host(f, p, (size_t)(he - p));
	q = he;
	if (ks_at(q, end, " [") &&
	    (rb = memchr(q, ']', (size_t)(end - q))) != NULL) {
		ks_source_ip(f, q + 2, (size_t)(rb - q - 2));
		q = rb + 1;
	} else if (ks_at(q, end, " (") &&
	    (rb = memchr(q, ')', (size_t)(end - q))) != NULL) {
		ks_source_ip(f, q + 2, (size_t)(rb - q - 2));
		q = rb + 1;
	}
	if (!want_user)
		return;
	if (ks_at(q, end, ", "))
		set_user(f, q + 2, end);
	else if (ks_at(q, end, " as ")) {
		q += 4;
		ue = memchr(q, ' ', (size_t)(end - q));
		set_user(f, q, ue ? ue : end);
	}
}

static bool
wu(struct ks_fields *f, struct ks_str msg)
{
	const char *p = msg.p, *end = p + msg.n, *from, *action, *outcome;
	bool anon = false;

	if (ks_at(p, end, "ANONYMOUS FTP LOGIN ")) {
		anon = true;
		p += 10;
	}
	if (ks_at(p, end, "FTP LOGIN FROM "))
		action = KS_ACT_LOGON, outcome = KS_OUT_SUCCESS;
	else if (ks_at(p, end, "FTP LOGIN FAILED ") ||
	    ks_at(p, end, "FAILED LOGIN "))
		action = KS_ACT_LOGON_FAILED, outcome = KS_OUT_FAILURE;
	else if (ks_at(p, end, "FTP LOGIN REFUSED "))
		action = KS_ACT_LOGON_REFUSED, outcome = KS_OUT_FAILURE;
	else
		return false;
	if ((from = ks_find(p, end, " FROM ")) == NULL)
		return false;
	wu_from(f, from + 6, end, !anon);
	if (anon)
		ks_fields_sets(f, KS_F_USER_NAME, "anonymous");
	return result(f, action, outcome);
}

/*
 * "repeated login failures from host [IP]", "lost connection to host
 * [IP]", "connection from host (IP)" ("refused connect from" is
 * tcp_wrappers', left to its decoder).
 */
static bool
wu_lower(struct ks_fields *f, struct ks_str msg)
{
	static const struct {
		const char *lead, *action, *outcome;
	} forms[] = {
		{ "repeated login failures from ", KS_ACT_LOGON_FAILED,
		    KS_OUT_FAILURE },
		{ "lost connection to ", KS_ACT_DISCONNECT, KS_OUT_UNKNOWN },
		{ "connection from ", KS_ACT_CONNECTION, KS_OUT_UNKNOWN },
	};
	const char *end = msg.p + msg.n;

	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		size_t n = strlen(forms[i].lead);

		if (!ks_str_starts(msg, forms[i].lead))
			continue;
		wu_from(f, msg.p + n, end, false);
		if (f->v[KS_F_SOURCE_IP].n == 0 &&
		    f->v[KS_F_SOURCE_DOMAIN].n == 0)
			return false;
		return result(f, forms[i].action, forms[i].outcome);
	}
	return false;
}

/* ---- vsftpd ----------------------------------------------------------- */

/*
 * "[bob] FAIL LOGIN: Client "192.0.2.1"", "[ftp] OK LOGIN: Client "IP",
 * anon password "x"", "CONNECT: Client "IP"", "[bob] OK UPLOAD: Client
 * "IP", "/home/bob/x", 1234 bytes, 5.6Kbyte/sec"; its own log puts
 * "[pid 1234] " first.  sshguard's cases drop the brackets of the user.
 */
static bool
vsftpd(struct ks_fields *f, const char *p, const char *end)
{
	const char *c, *a, *ae, *v, *pe;
	bool ok;

	if (ks_at(p, end, "[pid ") && (c = ks_find(p, end, "] ")) != NULL)
		p = c + 2;
	if ((c = ks_find(p, end, ": Client \"")) == NULL)
		return false;
	a = c + 10;
	if ((ae = memchr(a, '"', (size_t)(end - a))) == NULL)
		return false;
	if (c - p == 7 && ks_at(p, end, "CONNECT")) {
		if (!ks_source_ip(f, a, (size_t)(ae - a)))
			return false;
		return result(f, KS_ACT_CONNECTION, KS_OUT_UNKNOWN);
	}
	if ((v = ks_find(p, c, "OK ")) != NULL && (v == p || v[-1] == ' '))
		ok = true;
	else if ((v = ks_find(p, c, "FAIL ")) != NULL &&
	    (v == p || v[-1] == ' '))
		ok = false;
	else
		return false;
	v += ok ? 3 : 5;
	if (c - v == 5 && ks_at(v, c, "LOGIN"))
		result(f, ok ? KS_ACT_LOGON : KS_ACT_LOGON_FAILED,
		    ok ? KS_OUT_SUCCESS : KS_OUT_FAILURE);
	else if ((c - v == 6 && ks_at(v, c, "UPLOAD")) ||
	    (c - v == 8 && ks_at(v, c, "DOWNLOAD"))) {
		result(f, KS_ACT_FTP_TRANSFER, ok ? KS_OUT_SUCCESS :
		    KS_OUT_FAILURE);
		/* then ", "/path", 1234 bytes" */
		if (ks_at(ae + 1, end, ", \"") && (pe = memchr(ae + 4, '"',
		    (size_t)(end - ae - 4))) != NULL)
			ks_fields_set(f, KS_F_URL_ORIGINAL, ae + 4,
			    (size_t)(pe - ae - 4));
	} else
		return false;
	ks_source_ip(f, a, (size_t)(ae - a));
	if (v - (ok ? 3 : 5) > p)
		set_user(f, p, v - (ok ? 4 : 6));
	return true;
}

/* ---- ProFTPD ---------------------------------------------------------- */

/*
 * "srv.example (host.example[192.0.2.1]) - TEXT": the client in the
 * parentheses (sshguard's cases write "host [IP]" there); TEXT is
 * "USER bob (Login failed): Incorrect password.", "USER bob: no such
 * user found from ...", "USER bob: Login successful.", "Maximum login
 * attempts (3) exceeded", "SECURITY VIOLATION: root login attempted.",
 * "FTP session opened.".
 */
static bool
proftpd(struct ks_fields *f, struct ks_str msg)
{
	const char *p = msg.p, *end = p + msg.n, *lp, *rp, *lb, *t, *u, *ue;
	const char *action, *outcome;

	if ((lp = memchr(p, ' ', (size_t)(end - p))) == NULL ||
	    !ks_at(lp, end, " (") ||
	    (rp = ks_find(lp, end, "]) ")) == NULL)
		return false;
	for (lb = rp; lb > lp && *lb != '['; lb--)
		;
	if (lb == lp)
		return false;
	t = rp + 3;
	if (ks_at(t, end, "- "))
		t += 2;
	if (ks_find(t, end, "no such user") != NULL)
		action = KS_ACT_INVALID_USER, outcome = KS_OUT_FAILURE;
	else if (ks_find(t, end, "(Login failed)") != NULL ||
	    ks_at(t, end, "Maximum login attempts"))
		action = KS_ACT_LOGON_FAILED, outcome = KS_OUT_FAILURE;
	else if (ks_find(t, end, ": Login denied") != NULL)
		action = KS_ACT_LOGON_REFUSED, outcome = KS_OUT_FAILURE;
	else if (ks_at(t, end, "SECURITY VIOLATION: ") &&
	    ks_find(t, end, "oot login attempted") != NULL) {
		action = KS_ACT_LOGON_REFUSED, outcome = KS_OUT_FAILURE;
		ks_fields_sets(f, KS_F_USER_NAME, "root");
	} else if (ks_find(t, end, ": Login successful") != NULL)
		action = KS_ACT_LOGON, outcome = KS_OUT_SUCCESS;
	else if (ks_at(t, end, "FTP session opened"))
		action = KS_ACT_SESSION_OPENED, outcome = KS_OUT_SUCCESS;
	else if (ks_at(t, end, "FTP session closed"))
		action = KS_ACT_SESSION_CLOSED, outcome = KS_OUT_SUCCESS;
	else if (ks_at(t, end, "Refused PORT"))
		action = KS_ACT_PROBE, outcome = KS_OUT_UNKNOWN;
	else
		return false;
	if (!ks_source_ip(f, lb + 1, (size_t)(rp - lb - 1)))
		return false;
	ue = lb;
	while (ue > lp + 2 && ue[-1] == ' ')
		ue--;
	ks_source_host(f, lp + 2, (size_t)(ue - lp - 2));
	ks_source_ip(f, lb + 1, (size_t)(rp - lb - 1));
	if (ks_at(t, end, "USER ") || ks_at(t, end, "ANON ")) {
		u = t + 5;
		for (ue = u; ue < end && *ue != ' ' && *ue != ':'; ue++)
			;
		set_user(f, u, ue);
	}
	return result(f, action, outcome);
}

/* ---- Pure-FTPd -------------------------------------------------------- */

/*
 * "(USER@HOST) [LEVEL] TEXT", USER "?" before the logon: "Authentication
 * failed for user [bob]", "New connection from 192.0.2.1", "bob is now
 * logged in", "Logout.", "/path uploaded  (1234 bytes, 5.6KB/sec)".
 */
static bool
pureftpd(struct ks_fields *f, const char *p, const char *end)
{
	const char *rp = ks_find(p, end, ") ["), *at_, *t, *q;

	if (rp == NULL || (t = ks_find(rp + 3, end, "] ")) == NULL)
		return false;
	for (at_ = rp; at_ > p && *at_ != '@'; at_--)
		;
	if (at_ == p)
		return false;
	t += 2;
	if (ks_at(t, end, "Authentication failed for user ")) {
		set_user(f, t + 31, end);
		result(f, KS_ACT_LOGON_FAILED, KS_OUT_FAILURE);
	} else if (ks_at(t, end, "New connection from "))
		result(f, KS_ACT_CONNECTION, KS_OUT_UNKNOWN);
	else if (ks_find(t, end, " is now logged in") != NULL)
		result(f, KS_ACT_LOGON, KS_OUT_SUCCESS);
	else if (ks_at(t, end, "Logout"))
		result(f, KS_ACT_SESSION_CLOSED, KS_OUT_SUCCESS);
	else if ((q = ks_find(t, end, " uploaded ")) != NULL ||
	    (q = ks_find(t, end, " downloaded ")) != NULL) {
		ks_fields_set(f, KS_F_URL_ORIGINAL, t, (size_t)(q - t));
		result(f, KS_ACT_FTP_TRANSFER, KS_OUT_SUCCESS);
	} else
		return false;
	ks_source_host(f, at_ + 1, (size_t)(rp - at_ - 1));
	if (f->v[KS_F_USER_NAME].n == 0)
		set_user(f, p + 1, at_);
	return true;
}

/* ---- xferlog ---------------------------------------------------------- */

/*
 * "1 dialup.example.net 1234 /pub/x.tar.gz b _ o a guest@ ftp 0 * c":
 * transfer time, remote host, size, file name, type, action flag,
 * direction, access mode, user name, service, authentication method,
 * authenticated user id, and (wu-ftpd 2.6 and later) completion status.
 */
#define XF_RING 10

static bool
xferlog(struct ks_fields *f, struct ks_str msg)
{
	struct ks_scan s = ks_scan_of(msg);
	struct ks_str first[4], ring[XF_RING], w, name, user, status;
	size_t n = 0, tail, fn;

	ks_scan_spaces(&s);
	while ((w = ks_scan_word(&s)).n > 0) {
		if (n < 4)
			first[n] = w;
		ring[n % XF_RING] = w;
		n++;
	}
	if (n < 12 || !ks_isdigit(first[0].p[0]) || !ks_isdigit(first[2].p[0]))
		return false;
	status = ring[(n - 1) % XF_RING];
	tail = n >= 13 && status.n == 1 && (status.p[0] == 'c' ||
	    status.p[0] == 'i') ? 9 : 8;
	fn = n - tail;                  /* the type, just after the name */
#define XF(i) ring[(fn + (i)) % XF_RING]
	if (XF(0).n != 1 || (XF(0).p[0] != 'a' && XF(0).p[0] != 'b') ||
	    XF(2).n != 1 || XF(3).n != 1)
		return false;
	name = ks_span(first[3].p, ring[(fn - 1) % XF_RING].p +
	    ring[(fn - 1) % XF_RING].n);
	user = XF(4);
#undef XF
	ks_fields_addr(f, KS_F_SOURCE_IP, KS_F_SOURCE_DOMAIN, first[1].p,
	    first[1].n);
	ks_fields_set(f, KS_F_URL_ORIGINAL, name.p, name.n);
	if (!ks_str_eq(user, "*"))
		ks_fields_set(f, KS_F_USER_NAME, user.p, user.n);
	return result(f, KS_ACT_FTP_TRANSFER, tail == 8 ? KS_OUT_UNKNOWN :
	    status.p[0] == 'c' ? KS_OUT_SUCCESS : KS_OUT_FAILURE);
}

bool
ks_dec_ftp(const struct ks_event *ev, struct ks_str msg, struct ks_fields *f)
{
	const char *p = msg.p, *end = p + msg.n;

	if (msg.n == 0)
		return false;
	if (ev->fmt == KS_FMT_XFERLOG) {
		if (*p == '[')          /* vsftpd's own log */
			return vsftpd(f, p, end);
		return xferlog(f, msg);
	}
	switch (*p) {
	case 'A':
	case 'F':
		if (wu(f, msg))
			return true;
		if (ks_str_starts(msg, "FTP session closed"))
			return result(f, KS_ACT_SESSION_CLOSED, KS_OUT_SUCCESS);
		break;
	case 'r':
	case 'l':
		if (wu_lower(f, msg))
			return true;
		break;
	case 'c':
		/* "connection from" is every daemon's: only ftpd's own */
		if (ev->program.n > 0 &&
		    ks_memfind(ev->program.p, ev->program.n, "ftp", 3) != NULL &&
		    wu_lower(f, msg))
			return true;
		break;
	case '(':
		return pureftpd(f, p, end);
	}
	if (vsftpd(f, p, end))
		return true;
	return proftpd(f, msg);
}
