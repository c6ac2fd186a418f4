/*
 * decode.c - the field table, the field setters (with address
 * normalisation), the scanner and the other helpers the decoders share,
 * and the dispatch from a program name to its decoder.
 *
 * Dispatch is a switch on the length of the program name, so that a
 * line reaches one decoder; only lines of unknown programs (or without
 * one, as in a bare message on stdin) are offered to every decoder in
 * turn, and only messages every daemon can write (tcp_wrappers, PAM) are
 * tried for all programs after their own decoder.
 */
#include <stdint.h>
#include <string.h>

#include "decode/decode_int.h"

static const char *const field_names[KS_F_COUNT] = {
	[KS_F_SOURCE_IP] = "source.ip",
	[KS_F_SOURCE_PORT] = "source.port",
	[KS_F_SOURCE_DOMAIN] = "source.domain",
	[KS_F_DESTINATION_IP] = "destination.ip",
	[KS_F_DESTINATION_PORT] = "destination.port",
	[KS_F_DESTINATION_DOMAIN] = "destination.domain",
	[KS_F_USER_NAME] = "user.name",
	[KS_F_USER_TARGET_NAME] = "user.target.name",
	[KS_F_EVENT_ACTION] = "event.action",
	[KS_F_EVENT_OUTCOME] = "event.outcome",
	[KS_F_NETWORK_PROTOCOL] = "network.protocol",
	[KS_F_URL_ORIGINAL] = "url.original",
	[KS_F_HTTP_REQUEST_METHOD] = "http.request.method",
	[KS_F_HTTP_RESPONSE_STATUS_CODE] = "http.response.status_code",
	[KS_F_EMAIL_FROM_ADDRESS] = "email.from.address",
	[KS_F_EMAIL_TO_ADDRESS] = "email.to.address",
	[KS_F_EMAIL_LOCAL_ID] = "email.local_id",
	[KS_F_EMAIL_MAILER] = "email.mailer",
	[KS_F_EMAIL_STATUS] = "email.status",
	[KS_F_DNS_QUESTION_NAME] = "dns.question.name",
	[KS_F_SERVICE_NAME] = "service.name",
};

/* Fields written as JSON numbers when they are all digits. */
bool
ks_field_numeric(enum ks_field k)
{
	return k == KS_F_SOURCE_PORT || k == KS_F_DESTINATION_PORT ||
	    k == KS_F_HTTP_RESPONSE_STATUS_CODE;
}

const char *
ks_field_name(enum ks_field f)
{
	return (unsigned)f < KS_F_COUNT ? field_names[f] : NULL;
}

int
ks_field_lookup(const char *name, size_t n)
{
	for (int i = 0; i < KS_F_COUNT; i++)
		if (strlen(field_names[i]) == n &&
		    memcmp(field_names[i], name, n) == 0)
			return i;
	return -1;
}

void
ks_fields_reset(struct ks_fields *f)
{
	memset(f->v, 0, sizeof(f->v));
	f->set = 0;
	f->used = 0;
	f->decoder = -1;
}

void
ks_fields_undo(struct ks_fields *f)
{
	for (uint32_t m = f->set; m != 0; m &= m - 1)
		f->v[__builtin_ctz(m)] = KS_STR_NULL;
	f->set = 0;
	f->used = 0;
	f->decoder = -1;
}

bool
ks_fields_copy(struct ks_fields *f, enum ks_field k, const char *p, size_t n)
{
	if (n > sizeof(f->scratch) - f->used)
		return false;
	memcpy(f->scratch + f->used, p, n);
	ks_fields_set(f, k, f->scratch + f->used, n);
	f->used += n;
	return true;
}

bool
ks_fields_event(struct ks_fields *f, const char *action, const char *outcome,
    const char *proto)
{
	if (action != NULL)
		ks_fields_sets(f, KS_F_EVENT_ACTION, action);
	if (outcome != NULL)
		ks_fields_sets(f, KS_F_EVENT_OUTCOME, outcome);
	if (proto != NULL)
		ks_fields_sets(f, KS_F_NETWORK_PROTOCOL, proto);
	return true;
}

static bool
hostname_like(const char *p, size_t n)
{
	bool alpha = false;

	if (n == 0 || n > 253 || p[0] == '.' || p[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
			alpha = true;
		else if (!(c >= '0' && c <= '9') && c != '-' && c != '.')
			return false;
	}
	return alpha;
}

bool
ks_fields_addr(struct ks_fields *f, enum ks_field ip_field,
    enum ks_field domain_field, const char *p, size_t n)
{
	char out[KS_ADDR_TEXT];
	const char *pct;
	uint8_t a[16];

	if (n >= 2 && p[0] == '[' && p[n - 1] == ']') {
		p++;
		n -= 2;
	}
	if ((pct = n > 0 ? memchr(p, '%', n) : NULL) != NULL)
		n = (size_t)(pct - p);
	if (ks_ipv4_parse(p, n, a)) {
		ks_fields_set(f, ip_field, p, n);
		return true;
	}
	/* IPv6 in its canonical text; "::ffff:192.0.2.1" as the IPv4 */
	if (ks_addr_parse(p, n, a))
		return ks_fields_copy(f, ip_field, out, ks_addr_format(a, out));
	if (n > 0 && p[n - 1] == '.')
		n--;
	if (!hostname_like(p, n))
		return false;
	ks_fields_set(f, domain_field, p, n);
	return true;
}

bool
ks_fields_ip(struct ks_fields *f, enum ks_field ip_field,
    enum ks_field domain_field, const char *p, size_t n)
{
	struct ks_str ip = f->v[ip_field], dom = f->v[domain_field];

	if (n == 0)
		return false;
	/* ks_fields_addr takes a name too, as domain_field: undone */
	if (ks_fields_addr(f, ip_field, domain_field, p, n) &&
	    f->v[ip_field].p != ip.p)
		return true;
	f->v[domain_field] = dom;
	return false;
}

void
ks_fields_host(struct ks_fields *f, enum ks_field ip_field,
    enum ks_field domain_field, const char *p, size_t n)
{
	if (n > 0 && !(n == 7 && memcmp(p, "unknown", 7) == 0))
		(void)ks_fields_addr(f, ip_field, domain_field, p, n);
}

/* ---- scanner ---------------------------------------------------------- */

/*
 * sshd's lines are read from the right, from their last " from ", and
 * what follows it is an address, none of whose bytes is in " from ".  So
 * the window moves back by as much as its first byte allows (Horspool's
 * rule, mirrored): by six at a digit or a dot, not by one.  keep[c] is
 * six less the move: the smallest k with " from "[k] == c, less six.
 */
long
ks_last_from(const char *p, size_t n)
{
	static const unsigned char keep[256] = {
		[' '] = 1, ['m'] = 2, ['o'] = 3, ['r'] = 4, ['f'] = 5,
	};
	long i = n >= 6 ? (long)(n - 6) : -1;

	while (i >= 0) {
		if (p[i] == ' ' && memcmp(p + i, " from ", 6) == 0)
			return i;
		i -= 6 - keep[(unsigned char)p[i]];
	}
	return -1;
}

struct ks_str
ks_scan_until(struct ks_scan *s, char stop)
{
	const char *q = ks_scan_left(s) ? memchr(s->p, stop, ks_scan_left(s)) :
	    NULL;
	struct ks_str r = ks_str_make(s->p, q ? (size_t)(q - s->p) :
	    ks_scan_left(s));

	s->p += r.n;
	return r;
}

struct ks_str
ks_scan_word(struct ks_scan *s)
{
	struct ks_str w = ks_scan_until(s, ' ');

	ks_scan_spaces(s);
	return w;
}

struct ks_str
ks_scan_digits(struct ks_scan *s)
{
	const char *q = s->p;

	while (q < s->end && q - s->p < 10 && *q >= '0' && *q <= '9')
		q++;
	struct ks_str r = ks_str_make(s->p, (size_t)(q - s->p));
	s->p = q;
	return r;
}

struct ks_str
ks_str_kv(struct ks_str s, const char *key)
{
	size_t klen = strlen(key);
	const char *q = ks_str_after(s, key), *end = s.p + s.n, *k, *v;

	/* the key must start a word: "ruser=" must not match "user=" */
	while (q != NULL) {
		k = q - klen;
		if (k == s.p || k[-1] == ' ' || k[-1] == ';' || k[-1] == ',')
			break;
		q = ks_str_after(ks_str_make(q, (size_t)(end - q)), key);
	}
	if (q == NULL)
		return KS_STR_NULL;
	for (v = q; v < end && *v != ' ' && *v != ',' && *v != ';'; v++)
		;
	return ks_str_make(q, (size_t)(v - q));
}

struct ks_str
ks_str_rtrim(struct ks_str s, const char *chars)
{
	while (s.n > 0 && strchr(chars, s.p[s.n - 1]) != NULL)
		s.n--;
	return s;
}

/*
 * The decoders ask this of the program of every line they see, and most
 * entries differ from it in the first byte: that is compared before the
 * length of the entry is taken.
 */
bool
ks_str_in(struct ks_str s, const char *const *list)
{
	for (; *list != NULL; list++)
		if ((s.n == 0 || (*list)[0] == s.p[0]) && ks_str_eq(s, *list))
			return true;
	return false;
}

struct ks_str
ks_search_area(const struct ks_event *ev, struct ks_str msg)
{
	uintptr_t h = (uintptr_t)ev->host.p, m = (uintptr_t)msg.p;
	uintptr_t r = (uintptr_t)ev->raw.p;

	if (ev->program.n != 0 || ev->host.n == 0 || h == 0 || m == 0 ||
	    r == 0 || h < r || m + msg.n > r + ev->raw.n ||
	    h + ev->host.n >= m)
		return msg;
	for (const char *p = ev->host.p + ev->host.n; p < msg.p; p++)
		if (*p != ' ')
			return msg;
	return ks_str_make(ev->host.p, (size_t)(m + msg.n - h));
}

/* ---- dispatch --------------------------------------------------------- */

static const struct decoder {
	const char *name;
	ks_decoder_fn fn;
} decoders[] = {
	{ "sshd", ks_dec_ssh },
	{ "login", ks_dec_login },
	{ "tcp_wrappers", ks_dec_tcpwrap },
	{ "xinetd", ks_dec_xinetd },
	{ "ftpd", ks_dec_ftp },
	{ "mailbox", ks_dec_mailbox },
	{ "sendmail", ks_dec_sendmail },
	{ "postfix", ks_dec_postfix },
	{ "rpc", ks_dec_rpc },
	{ "named", ks_dec_named },
	{ "su", ks_dec_su },
	{ "sudo", ks_dec_sudo },
	{ "pam", ks_dec_pam },
	{ "system", ks_dec_system },
	{ "cron", ks_dec_cron },
	{ "http", ks_dec_http },
	{ "other", ks_dec_other },
};

enum {
	D_SSH, D_LOGIN, D_TCPWRAP, D_XINETD, D_FTP, D_MAILBOX, D_SENDMAIL,
	D_POSTFIX, D_RPC, D_NAMED, D_SU, D_SUDO, D_PAM, D_SYSTEM, D_CRON,
	D_HTTP, D_OTHER, D_COUNT
};

/*
 * The decoder of a program name, or -1.  Every line asks, so the names
 * are not searched but switched on by length and compared with a
 * constant length each, which the compiler turns into a load or two and
 * an integer compare; in each length the most frequent names come first.
 */
#define IS(lit) (memcmp(p, lit, sizeof(lit) - 1) == 0)
static int
program_by_name(const char *p, size_t n)
{
	switch (n) {
	case 2:
		if (IS("su")) return D_SU;
		return -1;
	case 4:
		if (IS("sshd")) return D_SSH;
		if (IS("CRON")) return D_CRON;
		if (IS("sudo")) return D_SUDO;
		if (IS("cron")) return D_CRON;
		if (IS("ftpd")) return D_FTP;
		if (IS("imap")) return D_MAILBOX;
		if (IS("init")) return D_SYSTEM;
		if (IS("pop3")) return D_MAILBOX;
		if (IS("rshd")) return D_LOGIN;
		return -1;
	case 5:
		if (IS("named")) return D_NAMED;
		if (IS("CROND")) return D_CRON;
		if (IS("crond")) return D_CRON;
		if (IS("imapd")) return D_MAILBOX;
		if (IS("imaps")) return D_MAILBOX;
		if (IS("login")) return D_LOGIN;
		if (IS("pop3d")) return D_MAILBOX;
		if (IS("pop3s")) return D_MAILBOX;
		if (IS("smtpd")) return D_POSTFIX;
		if (IS("statd")) return D_RPC;
		return -1;
	case 6:
		if (IS("kernel")) return D_SYSTEM;
		if (IS("ipop3d")) return D_MAILBOX;
		if (IS("mountd")) return D_RPC;
		if (IS("popper")) return D_MAILBOX;
		if (IS("sm-mta")) return D_SENDMAIL;
		if (IS("syslog")) return D_SYSTEM;
		if (IS("vsftpd")) return D_FTP;
		if (IS("xinetd")) return D_XINETD;
		return -1;
	case 7:
		if (IS("systemd")) return D_SYSTEM;
		if (IS("crontab")) return D_CRON;
		if (IS("cucipop")) return D_MAILBOX;
		if (IS("dovecot")) return D_MAILBOX;
		if (IS("in.ftpd")) return D_FTP;
		if (IS("in.rshd")) return D_LOGIN;
		if (IS("portmap")) return D_RPC;
		if (IS("proftpd")) return D_FTP;
		if (IS("qpopper")) return D_MAILBOX;
		if (IS("rlogind")) return D_LOGIN;
		if (IS("rpcbind")) return D_RPC;
		if (IS("runuser")) return D_SU;
		if (IS("syslogd")) return D_SYSTEM;
		if (IS("telnetd")) return D_LOGIN;
		if (IS("wu-ftpd")) return D_FTP;
		return -1;
	case 8:
		if (IS("sendmail")) return D_SENDMAIL;
		if (IS("PAM_pwdb")) return D_PAM;
		if (IS("PAM_unix")) return D_PAM;
		if (IS("dropbear")) return D_SSH;
		if (IS("in.imapd")) return D_MAILBOX;
		if (IS("in.pop3d")) return D_MAILBOX;
		if (IS("postgrey")) return D_POSTFIX;
		if (IS("rsyslogd")) return D_SYSTEM;
		if (IS("shutdown")) return D_SYSTEM;
		return -1;
	case 9:
		if (IS("imapd-ssl")) return D_MAILBOX;
		if (IS("pop3d-ssl")) return D_MAILBOX;
		if (IS("pure-ftpd")) return D_FTP;
		if (IS("rpc.statd")) return D_RPC;
		if (IS("sshd-auth")) return D_SSH;
		return -1;
	case 10:
		if (IS("automountd")) return D_RPC;
		if (IS("imap-login")) return D_MAILBOX;
		if (IS("in.proftpd")) return D_FTP;
		if (IS("in.qpopper")) return D_MAILBOX;
		if (IS("in.rlogind")) return D_LOGIN;
		if (IS("in.telnetd")) return D_LOGIN;
		if (IS("pop3-login")) return D_MAILBOX;
		if (IS("rpc.mountd")) return D_RPC;
		return -1;
	case 12:
		if (IS("sm-msp-queue")) return D_SENDMAIL;
		if (IS("sshd-session")) return D_SSH;
		return -1;
	case 13:
		if (IS("courier-imapd")) return D_MAILBOX;
		if (IS("courier-pop3d")) return D_MAILBOX;
		return -1;
	case 14:
		if (IS("systemd-logind")) return D_SYSTEM;
		return -1;
	case 16:
		if (IS("courierpop3login")) return D_MAILBOX;
		if (IS("submission-login")) return D_MAILBOX;
		return -1;
	case 17:
		if (IS("managesieve-login")) return D_MAILBOX;
		return -1;
	default:
		return -1;
	}
}
#undef IS

int
ks_program_decoder(struct ks_str prog)
{
	if (ks_str_starts(prog, "postfix/") || ks_str_starts(prog, "postfix-"))
		return D_POSTFIX;
	if (ks_str_starts(prog, "cyrus/"))
		return D_MAILBOX;
	return program_by_name(prog.p, prog.n);
}

static bool
try(int d, const struct ks_event *ev, struct ks_fields *f)
{
	if (!decoders[d].fn(ev, ev->message, f)) {
		ks_fields_undo(f);
		return false;
	}
	f->decoder = d;
	return true;
}

/* The decoders for ev, into an empty f. */
static bool
decode(const struct ks_event *ev, struct ks_fields *f)
{
	int d;

	if (ev->fmt == KS_FMT_ACCESS)
		return try(D_HTTP, ev, f);
	if (ev->fmt == KS_FMT_XFERLOG)
		return try(D_FTP, ev, f);
	d = ks_program_decoder(ev->program);
	if (d >= 0 && try(d, ev, f))
		return true;
	if (try(D_TCPWRAP, ev, f) || try(D_PAM, ev, f))
		return true;
	if (d >= 0)
		return false;
	/* an unknown program, or none: recognise the message by content */
	for (d = 0; d < D_COUNT; d++)
		if (d != D_TCPWRAP && d != D_PAM && d != D_HTTP && try(d, ev, f))
			return true;
	return false;
}

bool
ks_decode(const struct ks_event *ev, struct ks_fields *f)
{
	ks_fields_reset(f);
	return decode(ev, f);
}

bool
ks_decode_next(const struct ks_event *ev, struct ks_fields *f)
{
	ks_fields_undo(f);
	return decode(ev, f);
}

const char *
ks_decoder_name(int i)
{
	return i >= 0 && i < D_COUNT ? decoders[i].name : "none";
}

/* ---- JSON ------------------------------------------------------------- */

static bool
is_event_field(int k)
{
	return k == KS_F_EVENT_ACTION || k == KS_F_EVENT_OUTCOME;
}

size_t
ks_fields_kv(const struct ks_fields *f, struct ks_kv *out)
{
	size_t n = 0;

	for (int k = 0; k < KS_F_COUNT; k++)
		if (f->v[k].n > 0 && !is_event_field(k))
			out[n++] = (struct ks_kv){ field_names[k], f->v[k].p,
			    f->v[k].n, ks_field_numeric((enum ks_field)k) };
	return n;
}

/* Fields sharing a prefix are adjacent in the enum: no sort needed. */
void
ks_fields_to_json(struct ks_buf *b, const struct ks_fields *f)
{
	struct ks_kv kv[KS_F_COUNT];

	ks_json_members(b, kv, ks_fields_kv(f, kv));
}

void
ks_fields_event_members(struct ks_buf *b, const struct ks_fields *f)
{
	if (f->v[KS_F_EVENT_ACTION].n > 0) {
		ks_buf_adds(b, ",\"action\":");
		ks_json_str(b, f->v[KS_F_EVENT_ACTION].p,
		    f->v[KS_F_EVENT_ACTION].n);
	}
	if (f->v[KS_F_EVENT_OUTCOME].n > 0) {
		ks_buf_adds(b, ",\"outcome\":");
		ks_json_str(b, f->v[KS_F_EVENT_OUTCOME].p,
		    f->v[KS_F_EVENT_OUTCOME].n);
	}
}
