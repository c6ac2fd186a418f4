/*
 * tcpwrap.c - tcp_wrappers (tcpd, libwrap) and xinetd: who connected to
 * which inetd service, and who was turned away.
 *
 * tcp_wrappers' lines carry the name of the daemon they guard, so this
 * decoder runs for every program after that program's own decoder has
 * said no ("telnetd: connect from 192.168.100.1", "sshd: refused connect
 * from ...").  It must therefore cost next to nothing on the lines that
 * are not its own: one switch on the first byte of the message and one
 * literal compare.  The service is the program that wrote the line, and
 * the protocol follows from the service's name.
 *
 * xinetd writes its own records ("START: telnet pid=12 from=1.2.3.4",
 * "FAIL: telnet libwrap from=...", "EXIT: ...") with the service as a word
 * of the message.
 */
#include <string.h>

#include "decode/decode_int.h"

/*
 * The protocol a daemon or an inetd service speaks, from its name:
 * "in.telnetd" and "telnet" are both telnet.
 */
static const char *
protocol_of(struct ks_str name)
{
	static const struct {
		const char *name, *proto;
	} names[] = {
		{ "telnetd", "telnet" }, { "telnet", "telnet" },
		{ "ftpd", "ftp" }, { "ftp", "ftp" }, { "wu-ftpd", "ftp" },
		{ "proftpd", "ftp" }, { "vsftpd", "ftp" },
		{ "pure-ftpd", "ftp" },
		{ "popper", "pop3" }, { "qpopper", "pop3" },
		{ "ipop3d", "pop3" }, { "pop3d", "pop3" }, { "pop3", "pop3" },
		{ "pop-3", "pop3" }, { "pop3s", "pop3" },
		{ "imapd", "imap" }, { "imap", "imap" }, { "imap2", "imap" },
		{ "imap3", "imap" }, { "imaps", "imap" },
		{ "rlogind", "rlogin" }, { "login", "rlogin" },
		{ "rshd", "rsh" }, { "shell", "rsh" },
		{ "sshd", "ssh" }, { "ssh", "ssh" },
		{ "fingerd", "finger" }, { "finger", "finger" },
		{ "portmap", "rpc" }, { "rpcbind", "rpc" },
		{ "mountd", "rpc" }, { "rpc.mountd", "rpc" },
		{ "statd", "rpc" }, { "rpc.statd", "rpc" },
		{ "sendmail", "smtp" }, { "sm-mta", "smtp" },
		{ "smtp", "smtp" }, { "postfix/smtpd", "smtp" },
		{ "named", "dns" },
	};

	if (name.n > 3 && memcmp(name.p, "in.", 3) == 0) {
		name.p += 3;
		name.n -= 3;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (ks_str_eq(name, names[i].name))
			return names[i].proto;
	return NULL;
}

static bool
done(struct ks_fields *f, struct ks_str service, const char *action,
    const char *outcome)
{
	if (service.n > 0)
		ks_fields_set(f, KS_F_SERVICE_NAME, service.p, service.n);
	return ks_fields_event(f, action, outcome, protocol_of(service));
}

static void
source(struct ks_fields *f, struct ks_str a)
{
	if (a.n > 0 && !ks_str_eq(a, "unknown"))
		(void)ks_fields_addr(f, KS_F_SOURCE_IP, KS_F_SOURCE_DOMAIN,
		    a.p, a.n);
}

/*
 * The client as tcpd names it: "1.2.3.4", "host (1.2.3.4)", "user@host",
 * "unknown", and postfix smtpd's "host[1.2.3.4]" that reaches here when
 * its own decoder leaves "connect from" alone.  The address, when given,
 * is set after the name so that it wins.
 */
static void
client(struct ks_fields *f, struct ks_str s)
{
	struct ks_str w = ks_str_word(&s), ip = KS_STR_NULL;
	const char *at = w.n ? memchr(w.p, '@', w.n) : NULL, *lb;

	if (at != NULL) {
		w.n -= (size_t)(at + 1 - w.p);
		w.p = at + 1;
	}
	if (w.n > 2 && w.p[w.n - 1] == ']' &&
	    (lb = memchr(w.p, '[', w.n)) != NULL) {
		ip = ks_str_make(lb + 1, (size_t)(w.p + w.n - 1 - lb - 1));
		w.n = (size_t)(lb - w.p);
	} else if (s.n > 2 && s.p[0] == '(') {
		s.p++;
		s.n--;
		if (!ks_str_upto(s, ')', &ip))
			ip = KS_STR_NULL;
	}
	source(f, w);
	source(f, ip);
}

/*
 * "warning: can't get client address: ...", and the checks of a host's
 * name, with or without the table line that asked for them:
 * "warning: /etc/hosts.allow, line 12: host name/address mismatch:
 * 1.2.3.4 != name.example".
 */
static bool
warning(struct ks_str s, struct ks_str service, struct ks_fields *f)
{
	struct ks_str a;

	if (ks_str_eat(&s, "can't get client address"))
		return done(f, service, KS_ACT_CONNECTION, KS_OUT_UNKNOWN);
	if (s.n > 0 && s.p[0] == '/') {
		const char *c = memchr(s.p, ':', s.n);

		if (c == NULL)
			return false;
		s.n -= (size_t)(c + 1 - s.p);
		s.p = c + 1;
		ks_str_skip_spaces(&s);
	}
	if (ks_str_eat(&s, "host name/address mismatch: ")) {
		a = ks_str_word(&s);
		if (!ks_str_eat(&s, "!= "))
			return false;
		source(f, ks_str_word(&s));
		source(f, a);
	} else if (ks_str_eat(&s, "host name/name mismatch: ")) {
		source(f, ks_str_word(&s));
	} else if (ks_str_eat(&s, "can't verify hostname: getaddrinfo(") ||
	    ks_str_eat(&s, "can't verify hostname: gethostbyname(")) {
		(void)ks_str_upto(s, ',', &a);
		(void)ks_str_upto(a, ')', &a);
		source(f, a);
	} else
		return false;
	return done(f, service, KS_ACT_CONNECTION, KS_OUT_UNKNOWN);
}

bool
ks_dec_tcpwrap(const struct ks_event *ev, struct ks_str msg,
    struct ks_fields *f)
{
	struct ks_str s = msg, service = ev->program;

	ks_str_skip_spaces(&s);
	if (s.n < 8)
		return false;
	switch (s.p[0]) {
	case 'c':
		if (!ks_str_eat(&s, "connect from "))
			return false;
		client(f, s);
		return done(f, service, KS_ACT_CONNECTION, KS_OUT_SUCCESS);
	case 'r':
		if (!ks_str_eat(&s, "refused connect from "))
			return false;
		client(f, s);
		return done(f, service, KS_ACT_CONN_REFUSED, KS_OUT_FAILURE);
	case 'w':
		return ks_str_eat(&s, "warning: ") && warning(s, service, f);
	default:
		return false;
	}
}

/* ---- xinetd ------------------------------------------------------------ */

/* "from=ADDR" anywhere in s; xinetd writes IPv4 clients as ::ffff:. */
static void
xinetd_from(struct ks_fields *f, struct ks_str s)
{
	source(f, ks_str_kv(s, "from="));
}

bool
ks_dec_xinetd(const struct ks_event *ev, struct ks_str msg,
    struct ks_fields *f)
{
	struct ks_str s = msg, service;
	bool ours = ks_str_eq(ev->program, "xinetd");

	ks_str_skip_spaces(&s);
	if (ks_str_eat(&s, "START: ")) {
		service = ks_str_word(&s);
		if (!ours && ks_str_kv(s, "pid=").n == 0 &&
		    ks_str_kv(s, "from=").n == 0)
			return false;
		xinetd_from(f, s);
		return done(f, service, KS_ACT_CONNECTION, KS_OUT_SUCCESS);
	}
	if (ks_str_eat(&s, "EXIT: ")) {
		service = ks_str_word(&s);
		if (!ours && ks_str_kv(s, "status=").n == 0 &&
		    ks_str_kv(s, "signal=").n == 0)
			return false;
		xinetd_from(f, s);
		return done(f, service, KS_ACT_DISCONNECT, KS_OUT_UNKNOWN);
	}
	if (ks_str_eat(&s, "FAIL: ")) {
		service = ks_str_word(&s);
		if (!ours && ks_str_kv(s, "from=").n == 0)
			return false;
		xinetd_from(f, s);
		return done(f, service, KS_ACT_CONN_REFUSED, KS_OUT_FAILURE);
	}
	if (ks_str_eat(&s, "libwrap refused connection to ")) {
		/* "... to telnet (libwrap=in.telnetd) from 1.2.3.4" */
		service = ks_str_word(&s);
		{
			const char *q = ks_memfind(s.p, s.n, "from ", 5);

			if (q != NULL) {
				struct ks_str a = ks_str_make(q + 5,
				    (size_t)(s.p + s.n - q - 5));

				source(f, ks_str_word(&a));
			}
		}
		return done(f, service, KS_ACT_CONN_REFUSED, KS_OUT_FAILURE);
	}
	if (ours && ks_str_eat(&s, "USERID: ")) {
		service = ks_str_word(&s);
		return done(f, service, KS_ACT_CONNECTION, KS_OUT_UNKNOWN);
	}
	return false;
}
