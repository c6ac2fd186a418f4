/*
 * proc.c - the live sockets, from the kernel's own tables under /proc:
 * what netstat -anp, ss -anp and lsof -i would show, without running
 * them (on an intruded host they may be trojaned to hide the intruder).
 *
 * /proc/net/{tcp,udp,raw}[6] print addresses as the hex of 32-bit words
 * in the kernel's byte order, so each word is parsed and stored back as
 * it lay in memory.  Each socket's inode is mapped to the process holding
 * it by reading the links in /proc/PID/fd ("socket:[12345]"); the lowest
 * PID is named when several share one (a forking server).  Processes
 * whose fds cannot be read (another user's, when not root) are counted,
 * so the caller can say what it could not see.  Everything read is
 * bounded: a line is cut at its buffer and the table at
 * KS_NET_MAX_SOCKS.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/net_int.h"

/* Hex digits of p[0..n) into v; false when not all hex. */
static bool
hex(const char *p, size_t n, uint64_t *v)
{
	uint64_t x = 0;

	if (n == 0 || n > 16)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		unsigned d = ks_isdigit(c) ? (unsigned)(c - '0') :
		    c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10) :
		    c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16;

		if (d == 16)
			return false;
		x = x << 4 | d;
	}
	*v = x;
	return true;
}

static const unsigned char v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0xff, 0xff };

/* "0100007F:0277" (or 32 hex digits for IPv6) into e. */
static bool
proc_endpoint(struct ks_str tok, bool v6, struct ks_endpoint *e)
{
	size_t alen = v6 ? 32 : 8;
	unsigned char addr[16];
	uint64_t w, port;
	uint32_t w32;

	if (tok.n != alen + 5 || tok.p[alen] != ':' ||
	    !hex(tok.p + alen + 1, 4, &port))
		return false;
	for (size_t i = 0; i < alen / 8; i++) {
		if (!hex(tok.p + 8 * i, 8, &w))
			return false;
		w32 = (uint32_t)w;
		memcpy(addr + 4 * i, &w32, 4);
	}
	memset(e, 0, sizeof(*e));
	/* an IPv4 peer of a dual-stack socket is shown as IPv4 */
	if (v6 && memcmp(addr, v4mapped, sizeof(v4mapped)) == 0)
		inet_ntop(AF_INET, addr + 12, e->host, sizeof(e->host));
	else
		inet_ntop(v6 ? AF_INET6 : AF_INET, addr, e->host,
		    sizeof(e->host));
	e->port = (int)port;
	if (strcmp(e->host, "0.0.0.0") == 0 || strcmp(e->host, "::") == 0) {
		e->host[0] = '\0';
		if (port == 0)
			e->port = -1;
	} else
		e->is_ip = true;
	return true;
}

static enum ks_sock_state
tcp_state(uint64_t st)
{
	static const enum ks_sock_state map[] = {
		KS_ST_OTHER, KS_ST_ESTABLISHED, KS_ST_SYN_SENT, KS_ST_SYN_RECV,
		KS_ST_FIN_WAIT1, KS_ST_FIN_WAIT2, KS_ST_TIME_WAIT, KS_ST_CLOSE,
		KS_ST_CLOSE_WAIT, KS_ST_LAST_ACK, KS_ST_LISTEN, KS_ST_CLOSING,
		KS_ST_SYN_RECV,
	};

	return st < sizeof(map) / sizeof(*map) ? map[st] : KS_ST_OTHER;
}

bool
ks_net_proc_inet_line(const char *line, enum ks_sock_kind kind, bool v6,
    struct ks_sock *s)
{
	struct ks_toks t;
	uint64_t st;

	ks_tokenize(&t, line, strlen(line));
	ks_sock_clear(s);
	s->kind = kind;
	s->v6 = v6;
	if (t.n < 10 || t.v[0].p[t.v[0].n - 1] != ':' ||
	    !proc_endpoint(t.v[1], v6, &s->local) ||
	    !proc_endpoint(t.v[2], v6, &s->remote) || !hex(t.v[3].p,
	    t.v[3].n, &st) || !ks_tok_num(t.v[9], UINT64_MAX / 10, &s->inode))
		return false;
	ks_tok_copy(s->user, sizeof(s->user), t.v[7]);
	if (!ks_tok_digits(t.v[7]))
		return false;
	if (kind == KS_SOCK_TCP)
		s->state = tcp_state(st);
	else
		s->state = st == 1 ? KS_ST_CONNECTED : KS_ST_NONE;
	if (kind == KS_SOCK_RAW) {
		s->protocol = (unsigned)(s->local.port & 0xff);
		s->local.port = s->remote.port = -1;
	}
	return true;
}

bool
ks_net_proc_unix_line(const char *line, struct ks_sock *s)
{
	struct ks_toks t;
	uint64_t flags, st;

	ks_tokenize(&t, line, strlen(line));
	ks_sock_clear(s);
	s->kind = KS_SOCK_UNIX;
	if (t.n < 7 || t.v[0].p[t.v[0].n - 1] != ':' ||
	    !hex(t.v[3].p, t.v[3].n, &flags) || !hex(t.v[5].p, t.v[5].n, &st) ||
	    !ks_tok_num(t.v[6], UINT64_MAX / 10, &s->inode))
		return false;
	s->state = (flags & 0x10000) != 0 ? KS_ST_LISTEN :
	    st == 3 ? KS_ST_CONNECTED : KS_ST_NONE;
	if (t.n > 7)
		ks_tok_copy(s->path, sizeof(s->path), ks_str_make(t.v[7].p,
		    strlen(t.v[7].p)));
	return true;
}

bool
ks_net_proc_packet_line(const char *line, struct ks_sock *s)
{
	struct ks_toks t;
	uint64_t proto;

	ks_tokenize(&t, line, strlen(line));
	ks_sock_clear(s);
	s->kind = KS_SOCK_PACKET;
	if (t.n < 9 || !hex(t.v[0].p, t.v[0].n, &proto) ||
	    !hex(t.v[3].p, t.v[3].n, &proto) || !ks_tok_digits(t.v[7]) ||
	    !ks_tok_num(t.v[8], UINT64_MAX / 10, &s->inode))
		return false;
	s->protocol = (unsigned)(proto & 0xffff);
	ks_tok_copy(s->user, sizeof(s->user), t.v[7]);
	return true;
}

static const struct {
	const char *name;
	enum ks_sock_kind kind;
	bool v6;
} tables[] = {
	{ "tcp", KS_SOCK_TCP, false }, { "tcp6", KS_SOCK_TCP, true },
	{ "udp", KS_SOCK_UDP, false }, { "udp6", KS_SOCK_UDP, true },
	{ "raw", KS_SOCK_RAW, false }, { "raw6", KS_SOCK_RAW, true },
	{ "unix", KS_SOCK_UNIX, false }, { "packet", KS_SOCK_PACKET, false },
};

static void
note_missing(struct ks_net_live_stats *st, const char *name)
{
	size_t len = strlen(st->missing);

	snprintf(st->missing + len, sizeof(st->missing) - len, "%s/proc/net/%s",
	    len ? ", " : "", name);
}

/* One /proc/net table; a missing one is noted, not an error. */
static int
read_table(struct ks_net_table *t, const char *procdir, size_t k,
    struct ks_net_live_stats *st)
{
	char path[4096], line[1024];
	struct ks_sock s;
	bool ok;
	FILE *f;

	snprintf(path, sizeof(path), "%s/net/%s", procdir, tables[k].name);
	if ((f = fopen(path, "re")) == NULL) {
		note_missing(st, tables[k].name);
		return 0;
	}
	if (fgets(line, sizeof(line), f) == NULL)      /* the header */
		line[0] = '\0';
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		ok = tables[k].kind == KS_SOCK_UNIX ?
		    ks_net_proc_unix_line(line, &s) :
		    tables[k].kind == KS_SOCK_PACKET ?
		    ks_net_proc_packet_line(line, &s) :
		    ks_net_proc_inet_line(line, tables[k].kind, tables[k].v6, &s);
		t->lines++;
		if (!ok)
			t->unknown++;
		else if (!ks_net_table_add(t, &s, "", 0)) {
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

struct owner {
	uint64_t inode;
	long pid;
	char comm[16];
};

struct owners {
	struct owner *v;
	size_t n, cap;
};

static bool
owners_add(struct owners *o, uint64_t inode, long pid, const char *comm)
{
	struct owner *v;

	if (o->n == o->cap) {
		if (o->cap >= 4 * KS_NET_MAX_SOCKS)
			return true;
		o->cap = o->cap ? o->cap * 2 : 256;
		if ((v = realloc(o->v, o->cap * sizeof(*v))) == NULL)
			return false;
		o->v = v;
	}
	o->v[o->n].inode = inode;
	o->v[o->n].pid = pid;
	snprintf(o->v[o->n].comm, sizeof(o->v[o->n].comm), "%s", comm);
	o->n++;
	return true;
}

/* /proc/PID/comm, without its newline; "" when unreadable. */
static void
read_comm(int pdir, char *comm, size_t n)
{
	int fd = openat(pdir, "comm", O_RDONLY | O_CLOEXEC);
	ssize_t r = fd >= 0 ? read(fd, comm, n - 1) : -1;

	if (fd >= 0)
		close(fd);
	comm[r > 0 ? r : 0] = '\0';
	comm[strcspn(comm, "\n")] = '\0';
}

/* The sockets among one process's fds. */
static int
read_fds(struct owners *o, int pdir, long pid, struct ks_net_live_stats *st)
{
	char comm[16], link[64];
	struct dirent *de;
	uint64_t inode;
	ssize_t n;
	DIR *d;
	int fdir = openat(pdir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fdir < 0 || (d = fdopendir(fdir)) == NULL) {
		if (fdir >= 0)
			close(fdir);
		st->unreadable += errno == EACCES || errno == EPERM;
		return 0;
	}
	st->processes++;
	read_comm(pdir, comm, sizeof(comm));
	while ((de = readdir(d)) != NULL) {
		n = readlinkat(dirfd(d), de->d_name, link, sizeof(link) - 1);
		if (n < 10 || memcmp(link, "socket:[", 8) != 0 ||
		    link[n - 1] != ']')
			continue;
		if (ks_tok_num(ks_str_make(link + 8, (size_t)n - 9),
		    UINT64_MAX / 10, &inode) && !owners_add(o, inode, pid, comm)) {
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	return 0;
}

static int
owner_cmp(const void *x, const void *y)
{
	const struct owner *a = x, *b = y;

	if (a->inode != b->inode)
		return a->inode < b->inode ? -1 : 1;
	return (a->pid > b->pid) - (a->pid < b->pid);
}

static int
read_owners(struct owners *o, const char *procdir,
    struct ks_net_live_stats *st)
{
	struct dirent *de;
	uint64_t pid;
	DIR *d = opendir(procdir);
	int pdir, rc = 0;

	if (d == NULL)
		return 0;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (!ks_tok_num(ks_str_make(de->d_name, strlen(de->d_name)),
		    4194304, &pid))
			continue;
		pdir = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY |
		    O_CLOEXEC | O_NOFOLLOW);
		if (pdir < 0)
			continue;
		rc = read_fds(o, pdir, (long)pid, st);
		close(pdir);
	}
	closedir(d);
	if (o->n > 1)
		qsort(o->v, o->n, sizeof(*o->v), owner_cmp);
	return rc;
}

static void
assign_owners(struct ks_net_table *t, const struct owners *o)
{
	for (size_t i = 0; i < t->n; i++) {
		struct ks_sock *s = &t->v[i];
		struct owner key = { s->inode, -1, "" };
		const struct owner *hit;
		size_t lo = 0, hi = o->n;

		if (s->inode == 0)
			continue;
		while (lo < hi) {       /* the first entry of the inode */
			size_t mid = (lo + hi) / 2;

			if (owner_cmp(&o->v[mid], &key) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == o->n || (hit = &o->v[lo])->inode != s->inode)
			continue;
		s->pid = hit->pid;
		snprintf(s->program, sizeof(s->program), "%s", hit->comm);
	}
}

int
ks_net_read_proc(struct ks_net_table *t, const char *procdir,
    struct ks_net_live_stats *st, struct ks_err *err)
{
	struct owners o = { NULL, 0, 0 };
	int rc = 0;

	memset(st, 0, sizeof(*st));
	for (size_t k = 0; k < sizeof(tables) / sizeof(*tables) && rc == 0; k++)
		rc = read_table(t, procdir, k, st);
	if (rc == 0)
		rc = read_owners(&o, procdir, st);
	if (rc == 0)
		assign_owners(t, &o);
	free(o.v);
	if (rc < 0)
		return ks_err_set(err, "out of memory");
	if (t->n == 0 && st->missing[0] != '\0')
		return ks_err_set(err, "cannot read the socket tables under "
		    "%s/net", procdir);
	return 0;
}
