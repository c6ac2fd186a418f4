/*
 * hidden.c - ports in use that no socket table shows, the mark of a
 * rootkit that filters /proc/net (or the netlink answers) to hide its
 * backdoor: what chkrootkit's and unhide-tcp's bind test look for.
 *
 * For every port, bind() is tried on a socket of our own (dual-stack
 * IPv6 when the kernel has it, so one try covers IPv4 and IPv6), with no
 * SO_REUSEADDR, so that any socket on the port, in any state, makes it
 * fail with EADDRINUSE; the socket is closed at once.  The ports in use
 * that the tables do not show are tried again after the tables are read
 * again, so a socket opened or closed between the two views is not
 * called hidden.  Ports below 1024 need privilege: when bind() says
 * EACCES they are counted as untested, not guessed.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/net_int.h"

enum { PORT_FREE, PORT_USED, PORT_UNTESTED };

struct prober {
	int fd;                 /* an unbound socket ready for a try, or -1 */
	int family;
	int type;
};

static int
new_socket(struct prober *p)
{
	int off = 0;

	p->fd = socket(p->family, p->type | SOCK_CLOEXEC, 0);
	if (p->fd >= 0 && p->family == AF_INET6)
		setsockopt(p->fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
	return p->fd;
}

static int
prober_init(struct prober *p, int type)
{
	p->type = type;
	p->family = AF_INET6;
	if (new_socket(p) >= 0)
		return 0;
	p->family = AF_INET;
	return new_socket(p) >= 0 ? 0 : -1;
}

static int
probe(struct prober *p, unsigned port)
{
	struct sockaddr_in6 a6;
	struct sockaddr_in a4;
	int rc;

	if (p->fd < 0 && new_socket(p) < 0)
		return PORT_UNTESTED;
	if (p->family == AF_INET6) {
		memset(&a6, 0, sizeof(a6));
		a6.sin6_family = AF_INET6;
		a6.sin6_port = htons((uint16_t)port);
		rc = bind(p->fd, (struct sockaddr *)&a6, sizeof(a6));
	} else {
		memset(&a4, 0, sizeof(a4));
		a4.sin_family = AF_INET;
		a4.sin_port = htons((uint16_t)port);
		rc = bind(p->fd, (struct sockaddr *)&a4, sizeof(a4));
	}
	if (rc == 0) {          /* free: this socket is spent */
		close(p->fd);
		p->fd = -1;
		return PORT_FREE;
	}
	return errno == EADDRINUSE ? PORT_USED : PORT_UNTESTED;
}

/* The local ports of the TCP (or UDP) sockets the tables show. */
static int
shown_ports(const char *procdir, enum ks_sock_kind kind, uint8_t *bits,
    struct ks_err *err)
{
	struct ks_net_table t;
	struct ks_net_live_stats st;
	int rc;

	memset(bits, 0, 65536 / 8);
	ks_net_table_init(&t, procdir);
	rc = ks_net_read_proc(&t, procdir, &st, err);
	for (size_t i = 0; rc == 0 && i < t.n; i++)
		if (t.v[i].kind == kind && t.v[i].local.port > 0)
			bits[t.v[i].local.port / 8] |=
			    (uint8_t)(1 << (t.v[i].local.port % 8));
	ks_net_table_free(&t);
	return rc;
}

static bool
bit(const uint8_t *bits, unsigned port)
{
	return (bits[port / 8] & (1 << (port % 8))) != 0;
}

/* One protocol: the hidden ports into out (at most 64), their count. */
static int
hidden_of(const char *procdir, int type, unsigned *out, size_t *nout,
    uint64_t *untested, struct ks_err *err)
{
	enum ks_sock_kind kind = type == SOCK_STREAM ? KS_SOCK_TCP : KS_SOCK_UDP;
	uint8_t *shown = malloc(65536 / 8), *cand = calloc(65536 / 8, 1);
	struct prober p;
	size_t ncand = 0;
	int rc = -1, r;

	*nout = 0;
	if (shown == NULL || cand == NULL) {
		ks_err_set(err, "out of memory");
		goto out;
	}
	if (prober_init(&p, type) < 0) {
		ks_err_set(err, "cannot open a socket to test ports: %s",
		    strerror(errno));
		goto out;
	}
	if (shown_ports(procdir, kind, shown, err) < 0)
		goto close;
	for (unsigned port = 1; port < 65536; port++) {
		if (bit(shown, port))
			continue;
		if ((r = probe(&p, port)) == PORT_UNTESTED)
			++*untested;
		else if (r == PORT_USED) {
			cand[port / 8] |= (uint8_t)(1 << (port % 8));
			ncand++;
		}
	}
	/* a second look at the candidates, to rule out races */
	if (ncand > 0 && shown_ports(procdir, kind, shown, err) < 0)
		goto close;
	for (unsigned port = 1; ncand > 0 && port < 65536; port++)
		if (bit(cand, port) && !bit(shown, port) &&
		    probe(&p, port) == PORT_USED && *nout < 64)
			out[(*nout)++] = port;
	rc = 0;
close:
	if (p.fd >= 0)
		close(p.fd);
out:
	free(shown);
	free(cand);
	return rc;
}

int
ks_net_hidden_ports(const char *procdir, struct ks_net_hidden *h,
    struct ks_err *err)
{
	memset(h, 0, sizeof(*h));
	if (hidden_of(procdir, SOCK_STREAM, h->tcp, &h->ntcp, &h->skipped,
	    err) < 0)
		return -1;
	return hidden_of(procdir, SOCK_DGRAM, h->udp, &h->nudp, &h->skipped,
	    err);
}
