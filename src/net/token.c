/*
 * token.c - the pieces every listing format is cut into: whitespace
 * tokens, addresses with their ports, and connection states.
 *
 * Addresses come in two forms.  Linux (net-tools, ss, lsof) joins host and
 * port with the last colon ("srv01.ash.or.jp:1432", ":::22",
 * "[::1]:631", "127.0.0.53%lo:53"); BSD and Solaris with the last dot
 * ("192.168.1.5.22", "*.*", "fe80::1%lo0.123").  The later of the two
 * separators tells which, so one listing may mix them.  netstat cuts
 * names to its columns: net-tools a "host:port" of more than 22
 * characters by shortening the host, BSD the host at 16; a name of
 * exactly that width may have lost its end, which the analysis must know
 * ("casino16.arl.mi" is in arl.mil).  ss and lsof print names whole.
 */
#include <string.h>

#include "geo/geo.h"
#include "net/net_int.h"

#define KS_COLON_WIDTH 22       /* net-tools: host:port in 22 columns */
#define KS_DOT_HOST_WIDTH 16    /* BSD: the host part in 16 */

void
ks_tokenize(struct ks_toks *t, const char *p, size_t n)
{
	size_t i = 0, start;

	t->n = 0;
	t->more = false;
	while (i < n) {
		while (i < n && (p[i] == ' ' || p[i] == '\t'))
			i++;
		if (i == n)
			break;
		if (t->n == KS_TOK_MAX) {
			t->more = true;
			break;
		}
		start = i;
		while (i < n && p[i] != ' ' && p[i] != '\t')
			i++;
		t->v[t->n++] = ks_str_make(p + start, i - start);
	}
}

bool
ks_tok_eq(struct ks_str s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n == n && memcmp(s.p, lit, n) == 0;
}

bool
ks_tok_ieq(struct ks_str s, const char *lit)
{
	size_t n = strlen(lit);

	if (s.n != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char a = s.p[i], b = lit[i];

		if (a >= 'A' && a <= 'Z')
			a = (char)(a + 32);
		if (b >= 'A' && b <= 'Z')
			b = (char)(b + 32);
		if (a != b)
			return false;
	}
	return true;
}

bool
ks_tok_digits(struct ks_str s)
{
	if (s.n == 0)
		return false;
	for (size_t i = 0; i < s.n; i++)
		if (!ks_isdigit(s.p[i]))
			return false;
	return true;
}

bool
ks_tok_num(struct ks_str s, uint64_t max, uint64_t *v)
{
	uint64_t x = 0;

	if (!ks_tok_digits(s) || s.n > 19)
		return false;
	for (size_t i = 0; i < s.n; i++)
		x = x * 10 + (uint64_t)(s.p[i] - '0');
	if (x > max)
		return false;
	*v = x;
	return true;
}

bool
ks_tok_copy(char *dst, size_t n, struct ks_str s)
{
	size_t k = s.n < n ? s.n : n - 1;

	memcpy(dst, s.p, k);
	dst[k] = '\0';
	return k == s.n;
}

enum ks_addr_form
ks_addr_form_of(struct ks_str tok)
{
	for (size_t i = tok.n; i > 0; i--) {
		if (tok.p[i - 1] == ':')
			return KS_AF_COLON;
		if (tok.p[i - 1] == '.')
			return KS_AF_DOT;
	}
	return KS_AF_COLON;
}

/* The port part: a number, "*", a service or (raw) a protocol name. */
static bool
parse_port(struct ks_endpoint *e, struct ks_str p, bool raw)
{
	uint64_t v;

	e->port = -1;
	e->service[0] = '\0';
	if (ks_tok_eq(p, "*"))
		return true;
	if (p.n == 0)
		return false;
	if (ks_tok_num(p, 65535, &v)) {
		e->port = (int)v;
		return true;
	}
	for (size_t i = 0; i < p.n; i++)
		if (p.p[i] == ' ' || (unsigned char)p.p[i] < 0x21 ||
		    p.p[i] == ':' || p.p[i] == '/')
			return false;
	if (!ks_tok_copy(e->service, sizeof(e->service), p))
		return false;
	e->port = raw ? ks_ipproto_number(e->service) :
	    ks_service_port(e->service);
	return true;
}

static bool
is_wildcard(const char *h)
{
	return strcmp(h, "*") == 0 || strcmp(h, "0.0.0.0") == 0 ||
	    strcmp(h, "::") == 0 || strcmp(h, "[::]") == 0 ||
	    strcmp(h, "0:0:0:0:0:0:0:0") == 0;
}

/* Removes [brackets] and a %zone from the host copy in e. */
static void
strip_host(struct ks_endpoint *e)
{
	char *h = e->host, *pct;
	size_t n = strlen(h);

	if (n >= 2 && h[0] == '[') {
		char *close = strchr(h, ']');

		if (close != NULL) {
			*close = '\0';
			memmove(h, h + 1, strlen(h + 1) + 1);
		}
	}
	if ((pct = strchr(h, '%')) != NULL)
		*pct = '\0';
}

bool
ks_endpoint_parse(struct ks_endpoint *e, struct ks_str tok,
    enum ks_addr_form form, bool raw)
{
	char sep = form == KS_AF_COLON ? ':' : '.';
	struct in6_addr a;
	size_t i;

	memset(e, 0, sizeof(*e));
	e->port = -1;
	for (i = tok.n; i > 0 && tok.p[i - 1] != sep; i--)
		;
	if (i == 0 || !parse_port(e, ks_str_make(tok.p + i, tok.n - i), raw))
		return false;
	if (!ks_tok_copy(e->host, sizeof(e->host), ks_str_make(tok.p, i - 1)))
		return false;
	for (const char *c = e->host; *c != '\0'; c++)
		if ((unsigned char)*c < 0x21)
			return false;
	strip_host(e);
	if (is_wildcard(e->host))
		e->host[0] = '\0';
	e->is_ip = e->host[0] != '\0' && ks_geo_parse(e->host, &a);
	return true;
}

void
ks_endpoint_width(struct ks_endpoint *e, struct ks_str tok,
    enum ks_addr_form form)
{
	size_t host = tok.n;

	if (e->is_ip || e->host[0] == '\0')
		return;
	while (host > 0 && tok.p[host - 1] != (form == KS_AF_COLON ? ':' : '.'))
		host--;
	e->cut = form == KS_AF_COLON ? tok.n == KS_COLON_WIDTH :
	    host > 0 && host - 1 == KS_DOT_HOST_WIDTH;
}

static const struct {
	const char *name;
	enum ks_sock_state st;
} states[] = {
	{ "ESTABLISHED", KS_ST_ESTABLISHED }, { "ESTAB", KS_ST_ESTABLISHED },
	{ "SYN_SENT", KS_ST_SYN_SENT }, { "SYN-SENT", KS_ST_SYN_SENT },
	{ "SYN_RECV", KS_ST_SYN_RECV }, { "SYN_RCVD", KS_ST_SYN_RECV },
	{ "SYN-RECV", KS_ST_SYN_RECV }, { "SYN_RECEIVED", KS_ST_SYN_RECV },
	{ "FIN_WAIT1", KS_ST_FIN_WAIT1 }, { "FIN_WAIT_1", KS_ST_FIN_WAIT1 },
	{ "FIN-WAIT-1", KS_ST_FIN_WAIT1 },
	{ "FIN_WAIT2", KS_ST_FIN_WAIT2 }, { "FIN_WAIT_2", KS_ST_FIN_WAIT2 },
	{ "FIN-WAIT-2", KS_ST_FIN_WAIT2 },
	{ "TIME_WAIT", KS_ST_TIME_WAIT }, { "TIME-WAIT", KS_ST_TIME_WAIT },
	{ "CLOSE", KS_ST_CLOSE }, { "CLOSED", KS_ST_CLOSE },
	{ "CLOSE_WAIT", KS_ST_CLOSE_WAIT }, { "CLOSE-WAIT", KS_ST_CLOSE_WAIT },
	{ "LAST_ACK", KS_ST_LAST_ACK }, { "LAST-ACK", KS_ST_LAST_ACK },
	{ "LISTEN", KS_ST_LISTEN }, { "LISTENING", KS_ST_LISTEN },
	{ "CLOSING", KS_ST_CLOSING },
	{ "BOUND", KS_ST_BOUND }, { "IDLE", KS_ST_NONE }, { "UNCONN", KS_ST_NONE },
	{ "UNBOUND", KS_ST_NONE }, { "CONNECTED", KS_ST_CONNECTED },
	{ "UNKNOWN", KS_ST_OTHER }, { "CONNECTING", KS_ST_OTHER },
	{ "DISCONNECTING", KS_ST_OTHER }, { "NEW-SYN-RECV", KS_ST_SYN_RECV },
};

bool
ks_state_parse(struct ks_str s, enum ks_sock_state *st)
{
	if (s.n >= 2 && s.p[0] == '(' && s.p[s.n - 1] == ')')
		s = ks_str_make(s.p + 1, s.n - 2);
	for (size_t i = 0; i < sizeof(states) / sizeof(*states); i++)
		if (ks_tok_ieq(s, states[i].name)) {
			*st = states[i].st;
			return true;
		}
	return false;
}
