/*
 * analyze.c - findings from a socket table, wherever it came from.
 *
 * The reading is the one an experienced admin does by hand (seed 000):
 * which end is this host and which the peer, is the peer inside the
 * site's own networks or domain, is a session a login, is this host the
 * one connecting out.  Direction comes from the ports: the end on a
 * listening or well-known port is the server.  "Local" is a private or
 * special-purpose address, an address of the caller's local networks, one
 * of this host's own addresses, or a name in this host's own domain
 * (also when the listing cut the name short).  Each check makes one
 * finding per party and service, with the listing's lines as evidence.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "geo/geo.h"
#include "net/analyze_int.h"
#include "util/i18n.h"

static const struct ks_rule_info rule_intruder = {
	.id = "net-intruder-session",
	.title = N_("Login session from outside while this host scans others: "
	    "likely the intruder"),
	.severity = "high", .taxonomy = "intrusions",
	.type = "system-compromise", .outcome = "likely-success",
	.advice = N_("Preserve the evidence, take the host off the network, "
	    "report the address to its network's abuse contact and to your "
	    "CSIRT, and rebuild the host."),
};

static const struct ks_rule_info rule_login_outside = {
	.id = "net-login-outside",
	.title = N_("Login session from outside the local networks"),
	.severity = "medium", .taxonomy = "other", .type = "undetermined",
	.advice = N_("Check that the account and the address are expected "
	    "(kansatsu logs for the login); telnet, rlogin and ftp send "
	    "passwords in clear."),
};

static const struct ks_rule_info rule_login_local = {
	.id = "net-login-local",
	.title = N_("Login session from this host's own networks or domain"),
	.severity = "info", .taxonomy = "other", .type = "undetermined",
};

static const struct ks_rule_info rule_mail_outside = {
	.id = "net-mail-outside",
	.title = N_("Mail or authentication session from outside the local "
	    "networks"),
	.severity = "medium", .taxonomy = "information-content-security",
	.type = "unauthorised-information-access", .outcome = "unknown",
	.advice = N_("Ask the account's owner whether the session was theirs; "
	    "if not, change the password and look for the address in the "
	    "logs."),
};

static const struct ks_rule_info rule_listener = {
	.id = "net-listener-unusual",
	.title = N_("A service listens on a port that no common service uses"),
	.severity = "low", .taxonomy = "other", .type = "undetermined",
	.advice = N_("Find the program and who installed it; a listener nobody "
	    "knows may be a backdoor."),
};

static const struct ks_rule_info rule_raw = {
	.id = "net-raw-socket",
	.title = N_("A raw socket held by a program that does not usually need "
	    "one"),
	.severity = "medium", .taxonomy = "information-gathering",
	.type = "sniffing",
	.advice = N_("Check the program: raw sockets read or forge traffic."),
};

static const struct ks_rule_info rule_raw_unowned = {
	.id = "net-raw-unowned",
	.title = N_("A raw socket whose program is not shown"),
	.severity = "low", .taxonomy = "information-gathering",
	.type = "sniffing",
	.advice = N_("Map it to its process (netstat -p, lsof, or kansatsu "
	    "netstat as root on the host)."),
};

static const struct ks_rule_info rule_sniffer = {
	.id = "net-packet-sniffer",
	.title = N_("A packet socket (every frame on the wire) held by a "
	    "program that is not a network manager: a sniffer"),
	.severity = "high", .taxonomy = "information-gathering",
	.type = "sniffing",
	.advice = N_("Find what started the program; a sniffer collects the "
	    "passwords that cross the network: change them."),
};

/* Programs that hold raw or packet sockets for their work. */
static const char *const network_programs[] = {
	"NetworkManager", "dhclient", "dhcpcd", "systemd-networkd",
	"systemd-network", "wpa_supplicant", "udhcpc", "dhcpd", "kea-dhcp4",
	"dnsmasq", "lldpd", "ladvd", "keepalived", "hostapd", "pppd",
	"ping", "ping6", "arping", "bird", "bird6", "ospfd", "zebra",
	"radvd", "ntpd", "chronyd", "avahi-daemon", "nm-dhcp-helper",
};

static bool
network_program(const char *prog)
{
	for (size_t i = 0; i < sizeof(network_programs) /
	    sizeof(*network_programs); i++)
		if (strcmp(prog, network_programs[i]) == 0)
			return true;
	return false;
}

const char *
ks_port_text(int port, char *buf, size_t n)
{
	const char *name = ks_service_name(port);

	if (name != NULL)
		return name;
	snprintf(buf, n, "%d", port);
	return buf;
}

static bool
well_known(int port)
{
	return port >= 0 && (port < 1024 || ks_service_common(port));
}

enum ks_dir
ks_sock_dir(const struct ks_actx *a, const struct ks_sock *s)
{
	int lp = s->local.port, rp = s->remote.port;

	if (s->kind != KS_SOCK_TCP || s->remote.host[0] == '\0' ||
	    s->state == KS_ST_LISTEN || lp < 0 || rp < 0)
		return KS_DIR_NONE;
	if ((a->listening[lp / 8] & (1 << (lp % 8))) != 0)
		return KS_DIR_IN;
	if (well_known(lp) && (!well_known(rp) || lp <= rp))
		return KS_DIR_IN;
	return well_known(rp) ? KS_DIR_OUT : KS_DIR_NONE;
}

bool
ks_sock_connected(const struct ks_sock *s)
{
	switch (s->state) {
	case KS_ST_ESTABLISHED: case KS_ST_SYN_RECV: case KS_ST_FIN_WAIT1:
	case KS_ST_FIN_WAIT2: case KS_ST_CLOSE_WAIT: case KS_ST_CLOSING:
	case KS_ST_LAST_ACK:
		return true;
	default:
		return false;
	}
}

/* The table's local addresses: this host's own. */
static void
collect_own(struct ks_actx *a)
{
	struct ks_err err;

	if (ks_map_new(&a->own, a->t->n + 1, &err) < 0) {
		a->failed = true;
		return;
	}
	for (size_t i = 0; i < a->t->n; i++) {
		const struct ks_endpoint *e = &a->t->v[i].local;
		size_t v;

		if (e->is_ip && !ks_map_get(a->own, e->host, strlen(e->host), &v) &&
		    ks_map_put(a->own, e->host, strlen(e->host), i, &err) < 0)
			a->failed = true;
	}
}

static bool
own_address(const struct ks_actx *a, const char *ip)
{
	size_t v;

	return a->own != NULL && ks_map_get(a->own, ip, strlen(ip), &v);
}

bool
ks_remote_local(const struct ks_actx *a, const struct ks_endpoint *e)
{
	struct in6_addr addr;

	if (e->host[0] == '\0')
		return true;
	if (e->is_ip) {
		if (ks_geo_parse(e->host, &addr) &&
		    ks_geo_scope_of(&addr) != KS_SCOPE_GLOBAL)
			return true;
		for (size_t i = 0; i < a->o->nlocal; i++)
			if (ks_cidr_contains(&a->o->local[i], e->host))
				return true;
		return own_address(a, e->host);
	}
	if (strchr(e->host, '.') == NULL || strcasecmp(e->host, a->host) == 0)
		return true;
	return a->domain[0] != '\0' &&
	    ks_name_in_domain(e->host, e->cut, a->domain);
}

struct ks_finding *
ks_afinding(struct ks_actx *a, const struct ks_rule_info *rule)
{
	struct ks_finding *fd = ks_finding_new(rule, a->host);

	if (fd == NULL) {
		a->failed = true;
		return NULL;
	}
	ks_finding_seen(fd, a->o->when_us, a->o->when_off);
	return fd;
}

void
ks_aevidence(struct ks_actx *a, struct ks_finding *fd,
    const struct ks_sock *s)
{
	const char *text = a->t->text.p + s->text;
	size_t n = s->ntext;

	fd->count++;
	if (fd->nev == KS_EVIDENCE_MAX)
		return;
	if (n == 0) {
		ks_buf_reset(&a->tmp);
		ks_sock_format(&a->tmp, s);
		text = a->tmp.p != NULL ? a->tmp.p : "";
		n = a->tmp.len;
	}
	if (!ks_finding_evidence(fd, a->t->source, s->line, NULL, text, n))
		a->failed = true;
}

void
ks_aset(struct ks_actx *a, struct ks_finding *fd, enum ks_field k,
    const char *v)
{
	if (!ks_finding_set(fd, k, v, strlen(v)))
		a->failed = true;
}

void
ks_aattr(struct ks_actx *a, struct ks_finding *fd, const char *key,
    const char *v, bool num)
{
	if (!ks_finding_attr(fd, key, v, num))
		a->failed = true;
}

void
ks_aparty(struct ks_actx *a, struct ks_finding *fd, bool source,
    const struct ks_endpoint *e)
{
	char port[16], ip[64];

	if (e->host[0] != '\0')
		ks_aset(a, fd, source ? (e->is_ip ? KS_F_SOURCE_IP :
		    KS_F_SOURCE_DOMAIN) : (e->is_ip ? KS_F_DESTINATION_IP :
		    KS_F_DESTINATION_DOMAIN), e->host);
	/* a remote party's name, complete, and the caller asked */
	if (source && !e->is_ip && !e->cut && e->host[0] != '\0' &&
	    a->o->resolve != NULL &&
	    a->o->resolve(a->o->resolve_ctx, e->host, ip, sizeof(ip)))
		ks_aset(a, fd, KS_F_SOURCE_IP, ip);
	if (e->port >= 0) {
		snprintf(port, sizeof(port), "%d", e->port);
		ks_aset(a, fd, source ? KS_F_SOURCE_PORT :
		    KS_F_DESTINATION_PORT, port);
	}
}

void
ks_aadd(struct ks_actx *a, struct ks_finding *fd)
{
	if (fd != NULL && !ks_findings_add(a->out, fd))
		a->failed = true;
}

static void
add_process(struct ks_actx *a, struct ks_finding *fd, const struct ks_sock *s)
{
	char pid[24];

	if (s->pid >= 0) {
		snprintf(pid, sizeof(pid), "%ld", s->pid);
		ks_aattr(a, fd, "process.pid", pid, true);
	}
	if (s->program[0] != '\0')
		ks_aattr(a, fd, "process.name", s->program, false);
	if (s->user[0] != '\0')
		ks_aattr(a, fd, "process.user.name", s->user, false);
}

/* An inbound session to a kind of service. */
static bool
session_of(const struct ks_actx *a, const struct ks_sock *s, unsigned flags)
{
	return ks_sock_dir(a, s) == KS_DIR_IN && ks_sock_connected(s) &&
	    (ks_service_flags(s->local.port) & flags) != 0;
}

struct ks_map *
ks_agroups(struct ks_actx *a)
{
	struct ks_map *m;

	if (ks_map_new(&m, a->t->n + 1, NULL) < 0) {
		a->failed = true;
		return NULL;
	}
	return m;
}

static struct ks_finding *
group_new(struct ks_actx *a, struct ks_map *m, const struct ks_buf *key,
    const struct ks_rule_info *rule)
{
	struct ks_finding *fd = ks_afinding(a, rule);

	if (fd == NULL || key->failed || !ks_findings_add(a->out, fd) ||
	    ks_map_put(m, key->p, key->len, a->out->n - 1, NULL) < 0) {
		a->failed = true;
		return NULL;
	}
	return fd;
}

struct ks_finding *
ks_agroup(struct ks_actx *a, struct ks_map *m, const struct ks_buf *key,
    const struct ks_rule_info *rule, bool *fresh)
{
	struct ks_buf more;
	struct ks_finding *fd = NULL;
	size_t i;

	*fresh = false;
	if (m == NULL || key->failed)
		return NULL;
	if (ks_map_get(m, key->p, key->len, &i))
		return a->out->v[i];
	if (ks_map_count(m) < KS_NET_GROUPS_MAX) {
		*fresh = (fd = group_new(a, m, key, rule)) != NULL;
		return fd;
	}
	ks_buf_init(&more);
	ks_buf_addf(&more, "\n%s: more", rule->id);
	if (!more.failed && ks_map_get(m, more.p, more.len, &i))
		fd = a->out->v[i];
	else if ((fd = group_new(a, m, &more, rule)) != NULL)
		ks_aattr(a, fd, "message", KS_NET_MORE, false);
	ks_buf_free(&more);
	return fd;
}

static void
session_key(struct ks_buf *key, const struct ks_rule_info *r,
    const struct ks_sock *s)
{
	ks_buf_reset(key);
	ks_buf_addf(key, "%s %d ", r->id, s->local.port);
	ks_buf_adds(key, s->remote.host);
}

static void
session_message(struct ks_actx *a, struct ks_finding *fd,
    const struct ks_sock *s, const char *what)
{
	char buf[16];
	struct ks_buf m;

	ks_buf_init(&m);
	ks_buf_adds(&m, ks_port_text(s->local.port, buf, sizeof(buf)));
	ks_buf_adds(&m, " session from ");
	ks_buf_adds(&m, s->remote.host);
	if (s->remote.cut)
		ks_buf_adds(&m, " (a name the listing cut short)");
	ks_buf_adds(&m, what);
	ks_buf_addc(&m, '\0');
	ks_aattr(a, fd, "message", m.failed ? "" : m.p, false);
	ks_buf_free(&m);
}

/* Says which rule a session falls under, and why, into what. */
typedef const struct ks_rule_info *(*session_rule_fn)(struct ks_actx *a,
    const struct ks_sock *s, char *what, size_t n);

/* One finding per rule, service and party, with every session's line. */
static void
check_sessions(struct ks_actx *a, unsigned flags, session_rule_fn pick)
{
	struct ks_map *m = ks_agroups(a);
	struct ks_buf key;
	char what[KS_NET_HOST + 160], buf[16];
	bool fresh;

	ks_buf_init(&key);
	for (size_t i = 0; i < a->t->n && m != NULL; i++) {
		const struct ks_sock *s = &a->t->v[i];
		const struct ks_rule_info *r;
		struct ks_finding *fd;

		if (!session_of(a, s, flags) ||
		    (r = pick(a, s, what, sizeof(what))) == NULL)
			continue;
		session_key(&key, r, s);
		if ((fd = ks_agroup(a, m, &key, r, &fresh)) == NULL)
			break;
		if (fresh) {
			ks_aparty(a, fd, true, &s->remote);
			ks_aparty(a, fd, false, &s->local);
			ks_aset(a, fd, KS_F_NETWORK_PROTOCOL,
			    ks_port_text(s->local.port, buf, sizeof(buf)));
			add_process(a, fd, s);
			session_message(a, fd, s, what);
		}
		ks_aevidence(a, fd, s);
	}
	ks_buf_free(&key);
	ks_map_free(m);
}

/* The outside login sessions: the scan finding names them. */
static void
find_controllers(struct ks_actx *a)
{
	for (size_t i = 0; i < a->t->n; i++) {
		const struct ks_sock *s = &a->t->v[i];

		if (!session_of(a, s, KS_SVC_LOGIN) ||
		    ks_remote_local(a, &s->remote))
			continue;
		if (a->controller == NULL)
			a->controller = s;
		else if (strcmp(a->controller->remote.host, s->remote.host) != 0)
			a->ncontrollers = 2;
		a->ncontrollers = a->ncontrollers > 1 ? 2 : 1;
	}
}

static const struct ks_rule_info *
login_rule(struct ks_actx *a, const struct ks_sock *s, char *what, size_t n)
{
	if (ks_remote_local(a, &s->remote)) {
		snprintf(what, n, ", inside %s%s: likely the administrator's "
		    "own", s->remote.is_ip || a->domain[0] == '\0' ?
		    "the local networks" : "this host's own domain ",
		    s->remote.is_ip || a->domain[0] == '\0' ? "" : a->domain);
		return &rule_login_local;
	}
	if (a->nscans > 0) {
		char buf[16];

		snprintf(what, n, ", from outside the local networks, while "
		    "this host scans %zu hosts on %s: the likely intruder",
		    a->scans[0].hosts, ks_port_text(a->scans[0].port, buf,
		    sizeof(buf)));
		return &rule_intruder;
	}
	snprintf(what, n, ", from outside the local networks");
	return &rule_login_outside;
}

static const struct ks_rule_info *
mail_rule(struct ks_actx *a, const struct ks_sock *s, char *what, size_t n)
{
	if (ks_remote_local(a, &s->remote))
		return NULL;
	snprintf(what, n, ", from outside the local networks%s%s",
	    ks_name_dialup(s->remote.host) ?
	    "; the name is a dial-up pool's" : "",
	    s->remote.cut && !s->remote.is_ip ?
	    "; its domain is not known" : "");
	return &rule_mail_outside;
}

static bool
loopback(const struct ks_endpoint *e)
{
	return strcmp(e->host, "localhost") == 0 ||
	    strncmp(e->host, "127.", 4) == 0 || strcmp(e->host, "::1") == 0;
}

/* Ports the kernel hands out to clients (Linux's ip_local_port_range). */
#define KS_EPHEMERAL_LOW 32768
#define KS_EPHEMERAL_HIGH 60999

bool
ks_sock_listener(const struct ks_sock *s)
{
	if (s->local.port <= 0 || loopback(&s->local))
		return false;
	if (s->kind == KS_SOCK_TCP)
		return s->state == KS_ST_LISTEN;
	return s->kind == KS_SOCK_UDP && s->remote.host[0] == '\0' &&
	    s->state != KS_ST_CONNECTED &&
	    (s->local.port < KS_EPHEMERAL_LOW ||
	    s->local.port > KS_EPHEMERAL_HIGH);
}

static bool
unusual_listener(const struct ks_actx *a, const struct ks_sock *s)
{
	const char *proto = s->kind == KS_SOCK_TCP ? "tcp" : "udp";

	return ks_sock_listener(s) && !ks_service_common(s->local.port) &&
	    (a->o->known == NULL || !a->o->known(a->o->known_ctx, proto,
	    (unsigned)s->local.port, s->program));
}

static void
check_listeners(struct ks_actx *a)
{
	struct ks_map *m = ks_agroups(a);
	struct ks_buf key;
	char msg[160];
	bool fresh;

	ks_buf_init(&key);
	for (size_t i = 0; i < a->t->n && m != NULL; i++) {
		const struct ks_sock *s = &a->t->v[i];
		struct ks_finding *fd;

		if (!unusual_listener(a, s))
			continue;
		ks_buf_reset(&key);
		ks_buf_addf(&key, "%d %d", (int)s->kind, s->local.port);
		if ((fd = ks_agroup(a, m, &key, &rule_listener, &fresh)) == NULL)
			break;
		if (fresh) {
			ks_aparty(a, fd, false, &s->local);
			ks_aset(a, fd, KS_F_NETWORK_PROTOCOL, ks_sock_proto(s));
			add_process(a, fd, s);
			snprintf(msg, sizeof(msg), "%s port %d listens%s%s",
			    s->kind == KS_SOCK_TCP ? "TCP" : "UDP",
			    s->local.port, s->program[0] != '\0' ?
			    ", held by " : a->o->live ? "; no process in "
			    "sight holds it (the kernel, or another namespace)" :
			    "; the listing does not show its program",
			    s->program);
			ks_aattr(a, fd, "message", msg, false);
		}
		ks_aevidence(a, fd, s);
	}
	ks_buf_free(&key);
	ks_map_free(m);
}

static const struct ks_rule_info *
raw_rule(const struct ks_sock *s)
{
	if (s->kind != KS_SOCK_RAW && s->kind != KS_SOCK_PACKET)
		return NULL;
	if (s->program[0] == '\0')
		return &rule_raw_unowned;
	if (network_program(s->program))
		return NULL;
	return s->kind == KS_SOCK_PACKET ? &rule_sniffer : &rule_raw;
}

static void
raw_message(struct ks_actx *a, struct ks_finding *fd, const struct ks_sock *s)
{
	const char *pname = ks_ipproto_name(s->protocol);
	char msg[200];

	if (s->kind == KS_SOCK_PACKET)
		snprintf(msg, sizeof(msg), "packet socket for ethertype "
		    "0x%04x%s%s", s->protocol, s->program[0] ? " held by " : "",
		    s->program);
	else
		snprintf(msg, sizeof(msg), "raw socket for IP protocol %u "
		    "(%s)%s%s", s->protocol, pname ? pname : "?",
		    s->program[0] ? " held by " : "", s->program);
	ks_aattr(a, fd, "message", msg, false);
}

/* One finding per rule, program and protocol. */
static void
check_raw(struct ks_actx *a)
{
	struct ks_map *m = ks_agroups(a);
	struct ks_buf key;
	bool fresh;

	ks_buf_init(&key);
	for (size_t i = 0; i < a->t->n && m != NULL; i++) {
		const struct ks_sock *s = &a->t->v[i];
		const struct ks_rule_info *r = raw_rule(s);
		struct ks_finding *fd;

		if (r == NULL)
			continue;
		ks_buf_reset(&key);
		ks_buf_addf(&key, "%s %d %u %ld ", r->id, (int)s->kind,
		    s->protocol, s->pid);
		ks_buf_adds(&key, s->program);
		if ((fd = ks_agroup(a, m, &key, r, &fresh)) == NULL)
			break;
		if (fresh) {
			add_process(a, fd, s);
			raw_message(a, fd, s);
		}
		ks_aevidence(a, fd, s);
	}
	ks_buf_free(&key);
	ks_map_free(m);
}

/* The host's domain: given, or the parent of a local name in the table. */
static void
find_domain(struct ks_actx *a)
{
	const char *p = NULL;

	if (a->o->domain != NULL)
		p = a->o->domain;
	else if (strchr(a->host, '.') != NULL)
		p = ks_name_parent(a->host);
	for (size_t i = 0; p == NULL && i < a->t->n; i++) {
		const struct ks_endpoint *e = &a->t->v[i].local;

		if (!e->is_ip && !e->cut && strchr(e->host, '.') != NULL &&
		    strcmp(e->host, "localhost") != 0)
			p = ks_name_parent(e->host);
	}
	snprintf(a->domain, sizeof(a->domain), "%s", p != NULL ? p : "");
}

/*
 * A listing that names no host (no prompt): its first specific local
 * address that is not loopback stands for it.
 */
static const char *
listing_host(const struct ks_net_table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct ks_endpoint *e = &t->v[i].local;

		if (e->host[0] != '\0' && !loopback(e) &&
		    (t->v[i].kind == KS_SOCK_TCP || t->v[i].kind == KS_SOCK_UDP))
			return e->host;
	}
	return "unknown";
}

int
ks_net_analyze(const struct ks_net_table *t, const struct ks_net_opts *o,
    struct ks_findings *out, struct ks_err *err)
{
	struct ks_actx a;

	memset(&a, 0, sizeof(a));
	a.t = t;
	a.o = o;
	a.out = out;
	a.host = o->host != NULL ? o->host : t->host[0] != '\0' ? t->host :
	    listing_host(t);
	ks_buf_init(&a.tmp);
	if ((a.listening = calloc(65536 / 8, 1)) == NULL)
		return ks_err_set(err, "out of memory");
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].kind == KS_SOCK_TCP &&
		    t->v[i].state == KS_ST_LISTEN && t->v[i].local.port >= 0)
			a.listening[t->v[i].local.port / 8] |=
			    (uint8_t)(1 << (t->v[i].local.port % 8));
	collect_own(&a);
	find_domain(&a);
	find_controllers(&a);
	ks_check_scans(&a);
	check_sessions(&a, KS_SVC_LOGIN, login_rule);
	ks_check_groups(&a);
	check_sessions(&a, KS_SVC_MAIL | KS_SVC_AUTH, mail_rule);
	check_listeners(&a);
	check_raw(&a);
	ks_map_free(a.own);
	free(a.listening);
	free(a.scans);
	ks_buf_free(&a.tmp);
	if (a.failed)
		return ks_err_set(err, "out of memory");
	return 0;
}
