/*
 * live.c - the socket checks of a running host, for `kansatsu host` and
 * `kansatsu netstat` without a file: the sockets from /proc with their
 * processes, analysed like a listing, with the host's own interface
 * networks counted as local, plus what only a live kernel can answer:
 * ports that bind() finds in use but no table shows.
 *
 * The interface networks come from getifaddrs(3), which asks the kernel
 * over netlink: no program is run and no file of the host is trusted.
 */
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/net_int.h"
#include "util/i18n.h"

static const struct ks_rule_info rule_hidden = {
	.id = "net-hidden-port",
	.title = N_("A port is in use but no socket table shows it: a rootkit "
	    "hides it"),
	.severity = "high", .taxonomy = "intrusions",
	.type = "system-compromise", .outcome = "likely-success",
	.advice = N_("Treat the host as compromised at the kernel or library "
	    "level: examine it from trusted media and rebuild it."),
};

static unsigned
mask_prefix(const uint8_t *m, size_t n)
{
	unsigned p = 0;

	for (size_t i = 0; i < n; i++)
		for (int b = 7; b >= 0 && (m[i] >> b & 1); b--)
			p++;
	return p;
}

/* The networks of the host's interfaces, appended to *v. */
static int
interface_networks(struct ks_cidr **v, size_t *n)
{
	struct ifaddrs *ifs, *i;
	struct ks_cidr *nv, c;

	if (getifaddrs(&ifs) < 0)
		return 0;
	for (i = ifs; i != NULL; i = i->ifa_next) {
		if (i->ifa_addr == NULL || i->ifa_netmask == NULL)
			continue;
		memset(&c, 0, sizeof(c));
		if (i->ifa_addr->sa_family == AF_INET) {
			c.addr[10] = c.addr[11] = 0xff;
			memcpy(c.addr + 12, &((struct sockaddr_in *)
			    (void *)i->ifa_addr)->sin_addr, 4);
			c.prefix = 96 + mask_prefix((uint8_t *)&((struct
			    sockaddr_in *)(void *)i->ifa_netmask)->sin_addr, 4);
			c.v4 = true;
		} else if (i->ifa_addr->sa_family == AF_INET6) {
			memcpy(c.addr, &((struct sockaddr_in6 *)
			    (void *)i->ifa_addr)->sin6_addr, 16);
			c.prefix = mask_prefix((uint8_t *)&((struct
			    sockaddr_in6 *)(void *)i->ifa_netmask)->sin6_addr, 16);
		} else
			continue;
		if ((nv = realloc(*v, (*n + 1) * sizeof(**v))) == NULL) {
			freeifaddrs(ifs);
			return -1;
		}
		*v = nv;
		(*v)[(*n)++] = c;
	}
	freeifaddrs(ifs);
	return 0;
}

static int
hidden_findings(const char *procdir, const struct ks_net_opts *o,
    struct ks_findings *out, uint64_t *untested, struct ks_err *err)
{
	struct ks_net_hidden h;
	char port[16], path[4200], text[200];
	struct ks_finding *fd;

	if (ks_net_hidden_ports(procdir, &h, err) < 0)
		return -1;
	*untested = h.skipped;
	for (size_t i = 0; i < h.ntcp + h.nudp; i++) {
		bool tcp = i < h.ntcp;
		unsigned p = tcp ? h.tcp[i] : h.udp[i - h.ntcp];

		if ((fd = ks_finding_new(&rule_hidden, o->host)) == NULL)
			return ks_err_set(err, "out of memory");
		ks_finding_seen(fd, o->when_us, o->when_off);
		fd->count = 1;
		snprintf(port, sizeof(port), "%u", p);
		snprintf(path, sizeof(path), "%s/net/%s", procdir,
		    tcp ? "tcp" : "udp");
		snprintf(text, sizeof(text), "bind() to %s port %u: in use "
		    "(EADDRINUSE, twice); no socket in %s/net/%s or %s6 has it",
		    tcp ? "TCP" : "UDP", p, procdir, tcp ? "tcp" : "udp",
		    tcp ? "tcp" : "udp");
		if (!ks_finding_set(fd, KS_F_DESTINATION_PORT, port,
		    strlen(port)) || !ks_finding_set(fd, KS_F_NETWORK_PROTOCOL,
		    tcp ? "tcp" : "udp", 3) || !ks_finding_evidence(fd, path,
		    0, NULL, text, strlen(text)) || !ks_findings_add(out, fd))
			return ks_err_set(err, "out of memory");
	}
	return 0;
}

int
ks_net_live_checks(const char *procdir, const struct ks_net_opts *o,
    struct ks_findings *out, struct ks_net_live_stats *stats,
    struct ks_err *err)
{
	struct ks_net_live_stats st;
	struct ks_net_table t;
	struct ks_net_opts lo = *o;
	struct ks_cidr *local = NULL;
	size_t nlocal = 0;
	char host[KS_NET_HOST] = "";
	int rc = -1;

	if (procdir == NULL)
		procdir = "/proc";
	ks_net_table_init(&t, procdir);
	if (ks_net_read_proc(&t, procdir, &st, err) < 0)
		goto out;
	if (o->nlocal > 0) {
		if ((local = malloc(o->nlocal * sizeof(*local))) == NULL) {
			ks_err_set(err, "out of memory");
			goto out;
		}
		memcpy(local, o->local, o->nlocal * sizeof(*local));
		nlocal = o->nlocal;
	}
	if (interface_networks(&local, &nlocal) < 0) {
		ks_err_set(err, "out of memory");
		goto out;
	}
	lo.local = local;
	lo.nlocal = nlocal;
	lo.live = true;
	if (lo.host == NULL && gethostname(host, sizeof(host) - 1) == 0)
		lo.host = host;
	st.sockets = t.n;
	if (ks_net_analyze(&t, &lo, out, err) < 0 ||
	    hidden_findings(procdir, &lo, out, &st.untested, err) < 0)
		goto out;
	rc = 0;
out:
	if (stats != NULL)
		*stats = st;
	free(local);
	ks_net_table_free(&t);
	return rc;
}
