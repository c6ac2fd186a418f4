/*
 * table.c - the socket table: a bounded array of sockets and the text of
 * the lines they were read from (evidence must quote the listing exactly),
 * and the two ways of showing a socket: a netstat -anp line and a JSON
 * object.
 */
#include <stdlib.h>
#include <string.h>

#include "net/net_int.h"

void
ks_net_table_init(struct ks_net_table *t, const char *source)
{
	memset(t, 0, sizeof(*t));
	ks_buf_init(&t->text);
	ks_tok_copy(t->source, sizeof(t->source),
	    ks_str_make(source, strlen(source)));
}

void
ks_net_table_free(struct ks_net_table *t)
{
	free(t->v);
	ks_buf_free(&t->text);
	t->v = NULL;
	t->n = t->cap = 0;
}

void
ks_sock_clear(struct ks_sock *s)
{
	memset(s, 0, sizeof(*s));
	s->pid = -1;
	s->local.port = s->remote.port = -1;
}

bool
ks_net_table_add(struct ks_net_table *t, const struct ks_sock *s,
    const char *text, size_t n)
{
	struct ks_sock *v;
	size_t cap;

	if (t->n == KS_NET_MAX_SOCKS) {
		t->dropped++;
		return true;
	}
	if (t->n == t->cap) {
		cap = t->cap ? t->cap * 2 : 64;
		if (cap > KS_NET_MAX_SOCKS)
			cap = KS_NET_MAX_SOCKS;
		if ((v = realloc(t->v, cap * sizeof(*v))) == NULL)
			return false;
		t->v = v;
		t->cap = cap;
	}
	t->v[t->n] = *s;
	t->v[t->n].text = t->text.len;
	t->v[t->n].ntext = n;
	ks_buf_add(&t->text, text, n);
	if (ks_buf_failed(&t->text))
		return false;
	t->n++;
	return true;
}

const char *
ks_sock_proto(const struct ks_sock *s)
{
	switch (s->kind) {
	case KS_SOCK_TCP: return s->v6 ? "tcp6" : "tcp";
	case KS_SOCK_UDP: return s->v6 ? "udp6" : "udp";
	case KS_SOCK_RAW: return s->v6 ? "raw6" : "raw";
	case KS_SOCK_UNIX: return "unix";
	case KS_SOCK_PACKET: return "packet";
	}
	return "?";
}

const char *
ks_sock_state_name(enum ks_sock_state st)
{
	static const char *const names[] = {
		[KS_ST_NONE] = "",
		[KS_ST_ESTABLISHED] = "ESTABLISHED",
		[KS_ST_SYN_SENT] = "SYN_SENT",
		[KS_ST_SYN_RECV] = "SYN_RECV",
		[KS_ST_FIN_WAIT1] = "FIN_WAIT1",
		[KS_ST_FIN_WAIT2] = "FIN_WAIT2",
		[KS_ST_TIME_WAIT] = "TIME_WAIT",
		[KS_ST_CLOSE] = "CLOSE",
		[KS_ST_CLOSE_WAIT] = "CLOSE_WAIT",
		[KS_ST_LAST_ACK] = "LAST_ACK",
		[KS_ST_LISTEN] = "LISTEN",
		[KS_ST_CLOSING] = "CLOSING",
		[KS_ST_BOUND] = "BOUND",
		[KS_ST_CONNECTED] = "CONNECTED",
		[KS_ST_OTHER] = "OTHER",
	};

	return (unsigned)st < sizeof(names) / sizeof(*names) ? names[st] : "";
}

/* "host:port" with "*" for any, as netstat -an prints it. */
static void
endpoint_text(struct ks_buf *b, const struct ks_endpoint *e, bool v6)
{
	size_t start = b->len;

	if (e->host[0] == '\0')
		ks_buf_adds(b, v6 ? "[::]" : "0.0.0.0");
	else if (strchr(e->host, ':') != NULL) {
		ks_buf_addc(b, '[');
		ks_escape_text(b, e->host, strlen(e->host));
		ks_buf_addc(b, ']');
	} else
		ks_escape_text(b, e->host, strlen(e->host));
	ks_buf_addc(b, ':');
	if (e->port >= 0)
		ks_buf_addu(b, (uint64_t)e->port);
	else if (e->service[0] != '\0')
		ks_escape_text(b, e->service, strlen(e->service));
	else
		ks_buf_addc(b, '*');
	while (b->len - start < 23)
		ks_buf_addc(b, ' ');
}

void
ks_sock_format(struct ks_buf *b, const struct ks_sock *s)
{
	ks_buf_addf(b, "%-6s ", ks_sock_proto(s));
	if (s->kind == KS_SOCK_UNIX || s->kind == KS_SOCK_PACKET) {
		ks_buf_addf(b, "%-11s %-10llu ", ks_sock_state_name(s->state),
		    (unsigned long long)s->inode);
		if (s->kind == KS_SOCK_PACKET)
			ks_buf_addf(b, "proto 0x%04x ", s->protocol);
	} else {
		endpoint_text(b, &s->local, s->v6);
		ks_buf_addc(b, ' ');
		endpoint_text(b, &s->remote, s->v6);
		ks_buf_addf(b, " %-11s ", ks_sock_state_name(s->state));
	}
	if (s->pid >= 0) {
		ks_buf_addf(b, "%ld/", s->pid);
		ks_escape_text(b, s->program, strlen(s->program));
	} else if (s->program[0] != '\0')
		ks_escape_text(b, s->program, strlen(s->program));
	else
		ks_buf_addc(b, '-');
	if (s->user[0] != '\0') {
		ks_buf_adds(b, " user ");
		ks_escape_text(b, s->user, strlen(s->user));
	}
	if (s->path[0] != '\0') {
		ks_buf_addc(b, ' ');
		ks_escape_text(b, s->path, strlen(s->path));
	}
	while (b->len > 0 && b->p[b->len - 1] == ' ')
		b->len--;
}

static void
endpoint_json(struct ks_buf *b, const char *key, const struct ks_endpoint *e)
{
	ks_buf_addf(b, ",\"%s\":{\"host\":", key);
	ks_json_str(b, e->host, strlen(e->host));
	if (e->port >= 0)
		ks_buf_addf(b, ",\"port\":%d", e->port);
	if (e->service[0] != '\0') {
		ks_buf_adds(b, ",\"service\":");
		ks_json_str(b, e->service, strlen(e->service));
	}
	if (e->cut)
		ks_buf_adds(b, ",\"cut\":true");
	ks_buf_addc(b, '}');
}

void
ks_sock_json(struct ks_buf *b, const struct ks_sock *s)
{
	const char *st = ks_sock_state_name(s->state);

	ks_buf_addf(b, "{\"proto\":\"%s\",\"state\":", ks_sock_proto(s));
	ks_json_str(b, st, strlen(st));
	if (s->kind != KS_SOCK_UNIX && s->kind != KS_SOCK_PACKET) {
		endpoint_json(b, "local", &s->local);
		endpoint_json(b, "remote", &s->remote);
	}
	if (s->kind == KS_SOCK_RAW || s->kind == KS_SOCK_PACKET)
		ks_buf_addf(b, ",\"protocol\":%u", s->protocol);
	if (s->pid >= 0)
		ks_buf_addf(b, ",\"pid\":%ld", s->pid);
	if (s->program[0] != '\0') {
		ks_buf_adds(b, ",\"program\":");
		ks_json_str(b, s->program, strlen(s->program));
	}
	if (s->user[0] != '\0') {
		ks_buf_adds(b, ",\"user\":");
		ks_json_str(b, s->user, strlen(s->user));
	}
	if (s->inode != 0)
		ks_buf_addf(b, ",\"inode\":%llu", (unsigned long long)s->inode);
	if (s->path[0] != '\0') {
		ks_buf_adds(b, ",\"path\":");
		ks_json_str(b, s->path, strlen(s->path));
	}
	if (s->line > 0)
		ks_buf_addf(b, ",\"line\":%llu", (unsigned long long)s->line);
	ks_buf_adds(b, "}\n");
}
