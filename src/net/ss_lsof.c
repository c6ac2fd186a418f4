/*
 * ss_lsof.c - rows of `ss` (iproute2) and of `lsof -i`.
 *
 * ss: "tcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:(("sshd",pid=399,fd=3))"
 * with a Netid column (ss -tulpn) or without (ss -tanp: TCP, or UDP when
 * the state is UNCONN).  Unix rows carry path and inode as two columns.
 * The process list is read from the line itself, because a program name
 * in quotes may hold spaces that the tokens would split.
 *
 * lsof: "sshd 661 root 4u IPv4 665 TCP school:ssh->192.168.0.27:62603
 * (ESTABLISHED)"; SIZE/OFF is blank for sockets in old versions and
 * "0t0" in new ones, and newer versions may add TID columns, so the row is
 * found from its TYPE column (IPv4/IPv6) rather than by position.
 */
#include <string.h>

#include "net/parse_int.h"

static const struct {
	const char *name;
	enum ks_sock_kind kind;
} netids[] = {
	{ "tcp", KS_SOCK_TCP }, { "udp", KS_SOCK_UDP }, { "raw", KS_SOCK_RAW },
	{ "u_str", KS_SOCK_UNIX }, { "u_dgr", KS_SOCK_UNIX },
	{ "u_seq", KS_SOCK_UNIX }, { "u_sta", KS_SOCK_UNIX },
	{ "p_raw", KS_SOCK_PACKET }, { "p_dgr", KS_SOCK_PACKET },
	{ "mptcp", KS_SOCK_TCP },
};

static bool
netid_kind(struct ks_str t, enum ks_sock_kind *kind)
{
	for (size_t i = 0; i < sizeof(netids) / sizeof(*netids); i++)
		if (ks_tok_eq(t, netids[i].name)) {
			*kind = netids[i].kind;
			return true;
		}
	return false;
}

bool
ks_ss_row_start(const struct ks_toks *t, bool netid)
{
	enum ks_sock_kind k;
	enum ks_sock_state st;

	if (netid)
		return t->n >= 6 && netid_kind(t->v[0], &k) &&
		    ks_state_parse(t->v[1], &st);
	return t->n >= 5 && ks_state_parse(t->v[0], &st) &&
	    ks_tok_digits(t->v[1]) && ks_tok_digits(t->v[2]);
}

/*
 * users:(("sshd",pid=399,fd=3),...): the first process.  Returns where
 * the list ends in the line, or NULL when it is malformed.
 */
static const char *
ss_users(struct ks_sock *s, const char *p, const char *end)
{
	const char *q, *name;
	uint64_t pid;
	int depth = 0;
	bool quoted = false;

	p += strlen("users:");
	if (end - p < 3 || p[0] != '(' || p[1] != '(' || p[2] != '"')
		return NULL;
	name = p + 3;
	if ((q = memchr(name, '"', (size_t)(end - name))) == NULL)
		return NULL;
	ks_tok_copy(s->program, sizeof(s->program),
	    ks_str_make(name, (size_t)(q - name)));
	if (end - q > 5 && memcmp(q, "\",pid=", 6) == 0) {
		const char *d = q + 6, *e = d;

		while (e < end && ks_isdigit(*e))
			e++;
		if (ks_tok_num(ks_str_make(d, (size_t)(e - d)), 4194304, &pid))
			s->pid = (long)pid;
	}
	for (q = p; q < end; q++) {
		if (*q == '"')
			quoted = !quoted;
		else if (!quoted && *q == '(')
			depth++;
		else if (!quoted && *q == ')' && --depth == 0)
			return q + 1;
	}
	return NULL;
}

/* After the peer: the process list, uid:, ino: and other key:value. */
static bool
ss_tail(struct ks_sock *s, const struct ks_toks *t, size_t i,
    const char *end)
{
	const char *skip = NULL;
	uint64_t v;

	for (; i < t->n; i++) {
		struct ks_str w = t->v[i];

		if (skip != NULL && w.p < skip)
			continue;
		if (w.n > 7 && memcmp(w.p, "users:(", 7) == 0) {
			if ((skip = ss_users(s, w.p, end)) == NULL)
				return false;
		} else if (w.n > 4 && memcmp(w.p, "uid:", 4) == 0)
			ks_tok_copy(s->user, sizeof(s->user),
			    ks_str_make(w.p + 4, w.n - 4));
		else if (w.n > 4 && memcmp(w.p, "ino:", 4) == 0 &&
		    ks_tok_num(ks_str_make(w.p + 4, w.n - 4), UINT64_MAX / 10, &v))
			s->inode = v;
		else if (memchr(w.p, ':', w.n) == NULL && !ks_tok_eq(w, "<->") &&
		    !ks_tok_eq(w, "-->") && !ks_tok_eq(w, "<--") &&
		    !ks_tok_eq(w, "->"))
			return false;
	}
	return true;
}

static bool
ss_unix(struct ks_sock *s, const struct ks_toks *t, size_t i)
{
	if (t->n < i + 4 ||
	    !ks_tok_num(t->v[i + 1], UINT64_MAX / 10, &s->inode))
		return false;
	if (!ks_tok_eq(t->v[i], "*"))
		ks_tok_copy(s->path, sizeof(s->path), t->v[i]);
	return true;
}

/* "LLDP:eth0", "*:eth0", "[35020]:eth0": protocol and interface. */
static bool
ss_packet(struct ks_sock *s, struct ks_str w)
{
	const char *colon = memchr(w.p, ':', w.n);
	uint64_t v;

	if (colon == NULL)
		return false;
	if (w.p[0] == '[' && colon > w.p + 1 && colon[-1] == ']' &&
	    ks_tok_num(ks_str_make(w.p + 1, (size_t)(colon - w.p) - 2),
	    65535, &v))
		s->protocol = (unsigned)v;
	else if (colon == w.p + 1 && w.p[0] == '*')
		s->protocol = 0x0003;   /* ETH_P_ALL: every frame */
	ks_tok_copy(s->local.host, sizeof(s->local.host),
	    ks_str_make(colon + 1, (size_t)(w.p + w.n - colon - 1)));
	return true;
}

bool
ks_row_ss(struct ks_sock *s, const struct ks_toks *t, const char *line,
    size_t n, bool netid)
{
	size_t i = netid ? 1 : 0;

	if (!ks_ss_row_start(t, netid))
		return false;
	ks_state_parse(t->v[i], &s->state);
	if (netid)
		netid_kind(t->v[0], &s->kind);
	else
		s->kind = s->state == KS_ST_NONE ? KS_SOCK_UDP : KS_SOCK_TCP;
	i += 3;
	switch (s->kind) {
	case KS_SOCK_UNIX:
		if (!ss_unix(s, t, i))
			return false;
		if (s->state == KS_ST_ESTABLISHED)
			s->state = KS_ST_CONNECTED;
		i += 4;
		break;
	case KS_SOCK_PACKET:
		if (!ss_packet(s, t->v[i]))
			return false;
		i += 2;
		break;
	default:
		if (!ks_endpoint_parse(&s->local, t->v[i], KS_AF_COLON,
		    s->kind == KS_SOCK_RAW) ||
		    !ks_endpoint_parse(&s->remote, t->v[i + 1], KS_AF_COLON,
		    s->kind == KS_SOCK_RAW))
			return false;
		if (s->kind == KS_SOCK_RAW && s->local.port >= 0)
			s->protocol = (unsigned)s->local.port;
		s->v6 = strchr(s->local.host, ':') != NULL ||
		    memchr(t->v[i].p, '[', t->v[i].n) != NULL;
		if (s->kind == KS_SOCK_UDP && s->state == KS_ST_ESTABLISHED)
			s->state = KS_ST_CONNECTED;
		i += 2;
	}
	return ss_tail(s, t, i, line + n);
}

static bool
lsof_node(struct ks_str w, struct ks_sock *s)
{
	if (ks_tok_ieq(w, "TCP"))
		s->kind = KS_SOCK_TCP;
	else if (ks_tok_ieq(w, "UDP") || ks_tok_ieq(w, "UDPLITE"))
		s->kind = KS_SOCK_UDP;
	else if (ks_tok_ieq(w, "ICMP") || ks_tok_ieq(w, "ICMPV6") ||
	    ks_tok_ieq(w, "RAW"))
		s->kind = KS_SOCK_RAW;
	else
		return false;
	return true;
}

/* NAME: "local" or "local->remote". */
static bool
lsof_name(struct ks_sock *s, struct ks_str w)
{
	bool raw = s->kind == KS_SOCK_RAW;

	for (size_t i = 0; i + 1 < w.n; i++)
		if (w.p[i] == '-' && w.p[i + 1] == '>')
			return ks_endpoint_parse(&s->local, ks_str_make(w.p, i),
			    KS_AF_COLON, raw) &&
			    ks_endpoint_parse(&s->remote,
			    ks_str_make(w.p + i + 2, w.n - i - 2), KS_AF_COLON,
			    raw);
	return ks_endpoint_parse(&s->local, w, KS_AF_COLON, raw);
}

bool
ks_row_lsof(struct ks_sock *s, const struct ks_toks *t)
{
	size_t ti, i;
	uint64_t pid;

	if (t->n < 7 || !ks_tok_num(t->v[1], 4194304, &pid))
		return false;
	for (ti = 3; ti < t->n && ti < 8; ti++)
		if (ks_tok_eq(t->v[ti], "IPv4") || ks_tok_eq(t->v[ti], "IPv6"))
			break;
	if (ti >= t->n || ti == 8)
		return false;
	s->v6 = ks_tok_eq(t->v[ti], "IPv6");
	s->pid = (long)pid;
	ks_tok_copy(s->program, sizeof(s->program), t->v[0]);
	ks_tok_copy(s->user, sizeof(s->user), t->v[ti - 2]);
	for (i = ti + 1; i < t->n && i <= ti + 3 && !lsof_node(t->v[i], s); i++)
		;
	if (i + 1 >= t->n || i > ti + 3 || !lsof_name(s, t->v[i + 1]))
		return false;
	i += 2;
	if (i < t->n && !ks_state_parse(t->v[i++], &s->state))
		return false;
	if (s->kind == KS_SOCK_UDP && s->remote.host[0] != '\0')
		s->state = KS_ST_CONNECTED;
	return i == t->n;
}
