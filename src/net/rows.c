/*
 * rows.c - the socket rows of netstat: net-tools and the old BSD/SunOS
 * form (`tcp 0 2 srv01.ash.or.jp:1432 cb02.arl.mil:telnet SYN_SENT root`),
 * BSD (`tcp4 0 0 192.168.1.5.22 *.* LISTEN`), Solaris (`*.22 *.* 0 0
 * 49152 0 LISTEN`), and the UNIX domain rows of each.
 *
 * After the addresses, net-tools prints what its options asked for: a
 * state (a number for raw sockets), a user, an inode, PID/Program ("-",
 * or an en dash in some translations, when not known) and timers.  Each
 * trailing token is classified by its shape; a token that fits nothing
 * makes the whole line unknown, because guessing at a column would put a
 * program or a user where there is none.
 */
#include <string.h>

#include "net/net_int.h"
#include "net/parse_int.h"

static const struct {
	const char *name;
	enum ks_sock_kind kind;
	bool v6;
} inet_protos[] = {
	{ "tcp", KS_SOCK_TCP, false }, { "tcp4", KS_SOCK_TCP, false },
	{ "tcp6", KS_SOCK_TCP, true }, { "tcp46", KS_SOCK_TCP, true },
	{ "udp", KS_SOCK_UDP, false }, { "udp4", KS_SOCK_UDP, false },
	{ "udp6", KS_SOCK_UDP, true }, { "udp46", KS_SOCK_UDP, true },
	{ "udpl", KS_SOCK_UDP, false }, { "udpl6", KS_SOCK_UDP, true },
	{ "raw", KS_SOCK_RAW, false }, { "raw4", KS_SOCK_RAW, false },
	{ "raw6", KS_SOCK_RAW, true }, { "raw46", KS_SOCK_RAW, true },
	{ "icm4", KS_SOCK_RAW, false }, { "icm6", KS_SOCK_RAW, true },
};

bool
ks_inet_proto(struct ks_str tok, enum ks_sock_kind *kind, bool *v6)
{
	for (size_t i = 0; i < sizeof(inet_protos) / sizeof(*inet_protos); i++)
		if (ks_tok_ieq(tok, inet_protos[i].name)) {
			*kind = inet_protos[i].kind;
			*v6 = inet_protos[i].v6;
			return true;
		}
	return false;
}

/* "-", or the en or em dash some translations print for "not known". */
bool
ks_tok_none(struct ks_str t)
{
	return ks_tok_eq(t, "-") || ks_tok_eq(t, "\xe2\x80\x93") ||
	    ks_tok_eq(t, "\xe2\x80\x94");
}

/* "455/smbd": the PID and the program; false when t is not one. */
bool
ks_tok_pid_program(struct ks_str t, struct ks_sock *s)
{
	size_t i = 0;
	uint64_t pid;

	while (i < t.n && ks_isdigit(t.p[i]))
		i++;
	if (i == 0 || i == t.n || t.p[i] != '/' ||
	    !ks_tok_num(ks_str_make(t.p, i), 4194304, &pid))
		return false;
	s->pid = (long)pid;
	ks_tok_copy(s->program, sizeof(s->program),
	    ks_str_make(t.p + i + 1, t.n - i - 1));
	return true;
}

/* Appends " word" to the program: names with spaces span tokens. */
static void
program_more(struct ks_sock *s, struct ks_str t)
{
	size_t len = strlen(s->program);

	if (len + 1 + t.n >= sizeof(s->program))
		return;
	s->program[len] = ' ';
	memcpy(s->program + len + 1, t.p, t.n);
	s->program[len + 1 + t.n] = '\0';
}

static bool
timer_word(struct ks_str t)
{
	return ks_tok_eq(t, "off") || ks_tok_eq(t, "on") ||
	    ks_tok_eq(t, "keepalive") || ks_tok_eq(t, "timewait") ||
	    (t.n >= 5 && memcmp(t.p, "unkn-", 5) == 0);
}

static bool
user_word(struct ks_str t)
{
	if (t.n == 0 || t.n >= 32)
		return false;
	for (size_t i = 0; i < t.n; i++) {
		char c = t.p[i];

		if (!(ks_isdigit(c) || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') || c == '_' || c == '-' || c == '.'))
			return false;
	}
	return true;
}

/* The columns after the addresses; false on a token that fits none. */
static bool
inet_tail(struct ks_sock *s, const struct ks_toks *t, size_t i)
{
	bool state = false, user = false, inode = false, pid = false;
	enum ks_sock_state st;
	uint64_t v;

	for (; i < t->n; i++) {
		struct ks_str w = t->v[i];

		if (pid && timer_word(w) && i + 1 < t->n && t->v[i + 1].n > 0 &&
		    t->v[i + 1].p[0] == '(') {
			i++;
			continue;
		}
		if (pid) {
			program_more(s, w);
			continue;
		}
		if (!state && !user && ks_state_parse(w, &st)) {
			s->state = st;
			state = true;
		} else if (!state && !user && s->kind == KS_SOCK_RAW &&
		    ks_tok_num(w, 255, &v))
			state = true;
		else if (ks_tok_pid_program(w, s) || ks_tok_none(w))
			pid = true;
		else if (!user && user_word(w)) {
			ks_tok_copy(s->user, sizeof(s->user), w);
			user = true;
		} else if (user && !inode && ks_tok_num(w, UINT64_MAX / 10, &v)) {
			s->inode = v;
			inode = true;
		} else
			return false;
	}
	return true;
}

bool
ks_row_inet(struct ks_sock *s, const struct ks_toks *t)
{
	uint64_t q;

	if (t->n < 5 || !ks_inet_proto(t->v[0], &s->kind, &s->v6) ||
	    !ks_tok_num(t->v[1], UINT64_MAX / 10, &q) ||
	    !ks_tok_num(t->v[2], UINT64_MAX / 10, &q))
		return false;
	if (!ks_endpoint_parse(&s->local, t->v[3], ks_addr_form_of(t->v[3]),
	    s->kind == KS_SOCK_RAW) ||
	    !ks_endpoint_parse(&s->remote, t->v[4], ks_addr_form_of(t->v[4]),
	    s->kind == KS_SOCK_RAW))
		return false;
	ks_endpoint_width(&s->local, t->v[3], ks_addr_form_of(t->v[3]));
	ks_endpoint_width(&s->remote, t->v[4], ks_addr_form_of(t->v[4]));
	if (s->kind == KS_SOCK_RAW && s->local.port >= 0)
		s->protocol = (unsigned)s->local.port;
	if (s->local.host[0] != '\0' && strchr(s->local.host, ':') != NULL)
		s->v6 = true;
	if (s->kind == KS_SOCK_UDP && s->remote.host[0] != '\0')
		s->state = KS_ST_CONNECTED;
	return inet_tail(s, t, 5);
}

/* The rest of the line from token i on, spaces kept (a path). */
static void
rest_copy(char *dst, size_t n, const struct ks_toks *t, size_t i,
    const char *end)
{
	ks_tok_copy(dst, n, ks_str_make(t->v[i].p,
	    (size_t)(end - t->v[i].p)));
}

static bool
unix_type(struct ks_str w)
{
	static const char *const types[] = { "STREAM", "DGRAM", "SEQPACKET",
	    "RAW", "RDM", "UNKNOWN", "stream", "dgram", "stream-ord",
	    "seqpacket", "seqpacket-ord" };

	for (size_t i = 0; i < sizeof(types) / sizeof(*types); i++)
		if (ks_tok_eq(w, types[i]))
			return true;
	return false;
}

/*
 * "unix 2 [ ACC ] STREAM LISTENING 410 447/postmaster /tmp/.s.PGSQL.5432"
 * The flags sit in brackets with spaces; the state may be absent; the
 * path runs to the end of the line and may hold spaces.
 */
bool
ks_row_unix(struct ks_sock *s, const struct ks_toks *t, const char *end,
    bool pid_column)
{
	enum ks_sock_state st;
	uint64_t v;
	size_t i = 2;

	if (t->n < 5 || !ks_tok_eq(t->v[0], "unix") ||
	    !ks_tok_num(t->v[1], UINT64_MAX / 10, &v) ||
	    t->v[2].p[0] != '[')
		return false;
	s->kind = KS_SOCK_UNIX;
	while (i < t->n && t->v[i].p[t->v[i].n - 1] != ']')
		i++;
	if (++i >= t->n || !unix_type(t->v[i]))
		return false;
	for (i++; i < t->n && !ks_tok_digits(t->v[i]); i++)
		s->state = ks_state_parse(t->v[i], &st) ? st : KS_ST_OTHER;
	if (i == t->n || !ks_tok_num(t->v[i], UINT64_MAX / 10, &s->inode))
		return false;
	if (++i < t->n && (pid_column || t->v[i].p[0] != '/') &&
	    (ks_tok_pid_program(t->v[i], s) || ks_tok_none(t->v[i])))
		i++;
	else if (pid_column && i < t->n)
		return false;
	if (i < t->n)
		rest_copy(s->path, sizeof(s->path), t, i, end);
	return true;
}

/*
 * Solaris: "192.168.1.5.22 192.168.1.10.51234 64240 0 49640 0 ESTABLISHED"
 * in a TCP section; "*.sunrpc Idle" or "local remote Connected" in UDP.
 */
bool
ks_row_solaris(struct ks_sock *s, const struct ks_toks *t, bool udp, bool v6)
{
	enum ks_sock_state st;
	uint64_t v;

	s->kind = udp ? KS_SOCK_UDP : KS_SOCK_TCP;
	s->v6 = v6;
	if (t->n < 2 || !ks_endpoint_parse(&s->local, t->v[0], KS_AF_DOT, false))
		return false;
	if (udp) {
		if (t->n > 3 || !ks_state_parse(t->v[t->n - 1], &st))
			return false;
		s->state = st;
		return t->n == 2 || ks_endpoint_parse(&s->remote, t->v[1],
		    KS_AF_DOT, false);
	}
	if (t->n < 7 || !ks_endpoint_parse(&s->remote, t->v[1], KS_AF_DOT,
	    false))
		return false;
	for (size_t i = 2; i < 6; i++)
		if (!ks_tok_num(t->v[i], UINT64_MAX / 10, &v))
			return false;
	/* IPv6 rows end with an If column */
	if ((t->n != 7 && t->n != 8) || !ks_state_parse(t->v[6], &st))
		return false;
	s->state = st;
	return true;
}

static bool
hex_word(struct ks_str w)
{
	if (w.n == 0)
		return false;
	for (size_t i = 0; i < w.n; i++)
		if (!(ks_isdigit(w.p[i]) || (w.p[i] >= 'a' && w.p[i] <= 'f') ||
		    (w.p[i] >= 'A' && w.p[i] <= 'F')))
			return false;
	return true;
}

/*
 * BSD and Solaris UNIX rows: a kernel address, the type, numbers and
 * kernel addresses, and the path when bound:
 * "fffff80003b5e000 stream 0 0 fffff800039e4760 0 0 0 /var/run/devd.pipe"
 */
bool
ks_row_bsd_unix(struct ks_sock *s, const struct ks_toks *t, const char *end)
{
	size_t i;

	if (t->n < 3 || !hex_word(t->v[0]) || t->v[0].n < 8 ||
	    !unix_type(t->v[1]))
		return false;
	s->kind = KS_SOCK_UNIX;
	for (i = 2; i < t->n && hex_word(t->v[i]); i++)
		;
	if (i < t->n) {
		if (t->v[i].p[0] != '/')
			return false;
		rest_copy(s->path, sizeof(s->path), t, i, end);
	}
	return true;
}
