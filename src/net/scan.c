/*
 * scan.c - this host connecting out to many hosts on one service (seed
 * 000: SYN_SENT to the telnet port of one *.arl.mil host after another),
 * and the parties of the listing grouped by domain or network, so that a
 * person sees whom to tell (a run of .mil targets, one network's
 * addresses) without reading every line.
 *
 * A host counts once however many connections it has; a name the listing
 * cut short ("casino16.arl.mi") is grouped with the full domain seen
 * elsewhere in the listing ("arl.mil").  Services that clients use all
 * day (web, DNS, NTP) only count connections still in SYN_SENT, and need
 * four times as many hosts, so that a busy browser is no scan.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "geo/geo.h"
#include "net/analyze_int.h"
#include "util/i18n.h"

#define KS_FANOUT_DEFAULT 5
#define KS_TARGETS_LISTED 40    /* hosts named in kansatsu.targets */
/* Full names a cut one is compared with, at most (bounds the work). */
#define KS_MERGE_MAX 1024

static const struct ks_rule_info rule_scan = {
	.id = "net-outbound-scan",
	.title = N_("This host connects to many hosts on one service: a scan "
	    "launched from here, the host used as a stepping stone"),
	.severity = "high", .taxonomy = "intrusions",
	.type = "system-compromise", .outcome = "likely-success",
	.advice = N_("Find the process (kansatsu netstat on the host shows it), "
	    "cut the host off, tell the targets' network owners (see the "
	    "net-scan-targets findings) and rebuild the host."),
};

static const struct ks_rule_info rule_targets = {
	.id = "net-scan-targets",
	.title = N_("Targets of the scan from this host, by domain or network"),
	.severity = "medium", .taxonomy = "information-gathering",
	.type = "scanner",
	.advice = N_("Tell the abuse contact or CSIRT of these targets that "
	    "the scan came from your host, and when."),
};

static const struct ks_rule_info rule_official = {
	.id = "net-remote-official",
	.title = N_("Connections with a government or military domain"),
	.severity = "medium", .taxonomy = "other", .type = "undetermined",
	.advice = N_("Expect a complaint if the connections were not wanted; "
	    "find out what they were."),
};

struct target {
	int port;
	const char *host;
	bool cut;
	size_t sock;
};

static int
target_cmp(const void *x, const void *y)
{
	const struct target *a = x, *b = y;

	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	return strcasecmp(a->host, b->host);
}

/* An outbound connection that counts towards a scan of its port. */
static bool
scan_candidate(const struct ks_actx *a, const struct ks_sock *s)
{
	if (ks_sock_dir(a, s) != KS_DIR_OUT || s->state == KS_ST_LISTEN)
		return false;
	if ((ks_service_flags(s->remote.port) & KS_SVC_CLIENT) != 0)
		return s->state == KS_ST_SYN_SENT;
	return true;
}

/* A cut name that a full name of the run starts with is that host. */
static bool
same_as_full(const struct target *v, size_t n, size_t i)
{
	size_t len = strlen(v[i].host);

	if (!v[i].cut)
		return false;
	for (size_t j = 0; j < n && j < KS_MERGE_MAX; j++)
		if (j != i && !v[j].cut && strlen(v[j].host) > len &&
		    strncasecmp(v[j].host, v[i].host, len) == 0)
			return true;
	return false;
}

/* Distinct hosts of a run (sorted by host), cut names merged. */
static size_t
distinct_hosts(const struct target *v, size_t n)
{
	size_t d = 0;

	for (size_t i = 0; i < n; i++)
		if ((i == 0 || strcasecmp(v[i].host, v[i - 1].host) != 0) &&
		    !same_as_full(v, n, i))
			d++;
	return d;
}

static size_t
threshold(const struct ks_actx *a, int port)
{
	size_t f = a->o->fanout ? a->o->fanout : KS_FANOUT_DEFAULT;

	return (ks_service_flags(port) & KS_SVC_CLIENT) != 0 ? 4 * f : f;
}

static void
targets_attr(struct ks_actx *a, struct ks_finding *fd, const struct target *v,
    size_t n, size_t hosts)
{
	struct ks_buf b;
	size_t listed = 0;
	char num[24];

	ks_buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		if ((i > 0 && strcasecmp(v[i].host, v[i - 1].host) == 0) ||
		    same_as_full(v, n, i))
			continue;
		if (listed++ == KS_TARGETS_LISTED) {
			ks_buf_adds(&b, ", ...");
			break;
		}
		if (b.len > 0)
			ks_buf_adds(&b, ", ");
		ks_buf_adds(&b, v[i].host);
	}
	ks_buf_addc(&b, '\0');
	ks_aattr(a, fd, "kansatsu.targets", b.failed ? "" : b.p, false);
	snprintf(num, sizeof(num), "%zu", hosts);
	ks_aattr(a, fd, "kansatsu.target_count", num, true);
	ks_buf_free(&b);
}

static int
size_cmp(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;

	return (a > b) - (a < b);
}

/* The lines of the targets' sockets as evidence, in the listing's order. */
static void
evidence_in_order(struct ks_actx *a, struct ks_finding *fd,
    const struct target *v, size_t n)
{
	size_t *idx = calloc(n + 1, sizeof(*idx));

	if (idx == NULL) {
		a->failed = true;
		return;
	}
	for (size_t i = 0; i < n; i++)
		idx[i] = v[i].sock;
	qsort(idx, n, sizeof(*idx), size_cmp);
	for (size_t i = 0; i < n; i++)
		ks_aevidence(a, fd, &a->t->v[idx[i]]);
	free(idx);
}

static void
scan_finding(struct ks_actx *a, const struct target *v, size_t n,
    size_t hosts)
{
	struct ks_finding *fd = ks_afinding(a, &rule_scan);
	char buf[16], msg[KS_NET_HOST + 200], port[16];
	const char *svc = ks_port_text(v[0].port, buf, sizeof(buf));

	if (fd == NULL)
		return;
	snprintf(port, sizeof(port), "%d", v[0].port);
	ks_aset(a, fd, KS_F_DESTINATION_PORT, port);
	ks_aset(a, fd, KS_F_NETWORK_PROTOCOL, svc);
	snprintf(msg, sizeof(msg), "%s connects to %zu hosts on %s",
	    a->host, hosts, svc);
	if (a->ncontrollers == 1) {
		const struct ks_endpoint *c = &a->controller->remote;

		ks_aset(a, fd, c->is_ip ? KS_F_SOURCE_IP : KS_F_SOURCE_DOMAIN,
		    c->host);
		snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg),
		    " while %s is logged in from outside over %s", c->host,
		    ks_port_text(a->controller->local.port, buf, sizeof(buf)));
	}
	ks_aattr(a, fd, "message", msg, false);
	targets_attr(a, fd, v, n, hosts);
	evidence_in_order(a, fd, v, n);
	ks_aadd(a, fd);
}

static bool
add_scan(struct ks_actx *a, int port, size_t hosts)
{
	struct ks_scan *s = realloc(a->scans, (a->nscans + 1) * sizeof(*s));

	if (s == NULL)
		return false;
	a->scans = s;
	a->scans[a->nscans++] = (struct ks_scan){ port, hosts };
	return true;
}

static int
scan_cmp(const void *x, const void *y)
{
	const struct ks_scan *a = x, *b = y;

	return a->hosts != b->hosts ? (a->hosts > b->hosts ? -1 : 1) :
	    (a->port > b->port) - (a->port < b->port);
}

void
ks_check_scans(struct ks_actx *a)
{
	struct target *v = calloc(a->t->n + 1, sizeof(*v));
	size_t n = 0, i, j, hosts;

	if (v == NULL) {
		a->failed = true;
		return;
	}
	for (i = 0; i < a->t->n; i++)
		if (scan_candidate(a, &a->t->v[i]))
			v[n++] = (struct target){ a->t->v[i].remote.port,
			    a->t->v[i].remote.host, a->t->v[i].remote.cut, i };
	qsort(v, n, sizeof(*v), target_cmp);
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && v[j].port == v[i].port; j++)
			;
		hosts = distinct_hosts(v + i, j - i);
		if (hosts < threshold(a, v[i].port))
			continue;
		if (!add_scan(a, v[i].port, hosts)) {
			a->failed = true;
			break;
		}
		scan_finding(a, v + i, j - i, hosts);
	}
	if (a->nscans > 1)
		qsort(a->scans, a->nscans, sizeof(*a->scans), scan_cmp);
	free(v);
}

/* ---- groups of parties ---------------------------------------------- */

/* The distinct parent domains of the full names, at most KS_MERGE_MAX. */
struct parents {
	const char *v[KS_MERGE_MAX];
	size_t n;
};

static void
collect_parents(const struct ks_actx *a, struct parents *ps)
{
	const char *p;
	size_t k;

	ps->n = 0;
	for (size_t i = 0; i < a->t->n && ps->n < KS_MERGE_MAX; i++) {
		const struct ks_endpoint *o = &a->t->v[i].remote;

		if (o->is_ip || o->cut || (p = ks_name_parent(o->host)) == NULL)
			continue;
		for (k = 0; k < ps->n && strcasecmp(ps->v[k], p) != 0; k++)
			;
		if (k == ps->n)
			ps->v[ps->n++] = p;
	}
}

struct party {
	const char *group;      /* in the arena */
	const char *host;
	size_t sock;
	bool scanned;           /* outbound to a port scanned from here */
};

static int
party_cmp(const void *x, const void *y)
{
	const struct party *a = x, *b = y;
	int c = strcasecmp(a->group, b->group);

	return c != 0 ? c : strcasecmp(a->host, b->host);
}

static bool
scanned_port(const struct ks_actx *a, const struct ks_sock *s)
{
	if (!scan_candidate(a, s))
		return false;
	for (size_t i = 0; i < a->nscans; i++)
		if (a->scans[i].port == s->remote.port)
			return true;
	return false;
}

/*
 * A name's group: its parent domain, or for a cut name the full domain of
 * another name in the table that it fits ("cardassian.arl." -> arl.mil).
 * An address's: its network in the location database, or itself.
 */
static void
group_of(struct ks_actx *a, const struct parents *ps,
    const struct ks_endpoint *e, struct ks_buf *b)
{
	const char *p;
	struct ks_geo_info gi;

	if (e->is_ip) {
		if (a->o->geo != NULL && ks_geo_lookup(a->o->geo, e->host, &gi) &&
		    gi.cidr[0] != '\0')
			ks_buf_adds(b, gi.cidr);
		else
			ks_buf_adds(b, e->host);
		return;
	}
	for (size_t i = 0; e->cut && i < ps->n; i++)
		if (ks_name_in_domain(e->host, true, ps->v[i])) {
			ks_buf_adds(b, ps->v[i]);
			return;
		}
	p = ks_name_parent(e->host);
	ks_buf_adds(b, p != NULL ? p : e->host);
}

/* Distinct hosts of a group (sorted by host) that were scanned. */
static size_t
scanned_hosts(const struct party *v, size_t n)
{
	size_t d = 0;

	for (size_t i = 0; i < n; i++)
		if (v[i].scanned && (i == 0 || !v[i - 1].scanned ||
		    strcasecmp(v[i].host, v[i - 1].host) != 0))
			d++;
	return d;
}

/* lead: the party the finding names (a scanned one, when any). */
static void
group_message(struct ks_actx *a, struct ks_finding *fd,
    const struct party *v, size_t n, size_t hosts, const struct party *lead)
{
	const char *official = ks_domain_official(v[0].group);
	const struct ks_sock *s = &a->t->v[lead->sock];
	struct ks_geo_info gi;
	struct ks_buf m;
	char buf[16];

	ks_buf_init(&m);
	ks_buf_addf(&m, "%zu host%s in %s", hosts, hosts == 1 ? "" : "s",
	    v[0].group);
	if (official != NULL)
		ks_buf_addf(&m, " (%s)", official);
	else if (s->remote.is_ip && a->o->geo != NULL &&
	    ks_geo_lookup(a->o->geo, s->remote.host, &gi) && gi.found) {
		ks_buf_adds(&m, " (");
		ks_geo_describe(&m, &gi);
		ks_buf_addc(&m, ')');
	}
	if (lead->scanned && scanned_hosts(v, n) == hosts)
		ks_buf_addf(&m, ", scanned from here on %s",
		    ks_port_text(s->remote.port, buf, sizeof(buf)));
	else if (lead->scanned)
		ks_buf_addf(&m, ", %zu of them scanned from here on %s",
		    scanned_hosts(v, n), ks_port_text(s->remote.port, buf,
		    sizeof(buf)));
	ks_buf_addc(&m, '\0');
	ks_aattr(a, fd, "message", m.failed ? "" : m.p, false);
	ks_buf_free(&m);
}

/* Past KS_NET_GROUPS_MAX groups: one finding of rule counts the rest. */
static void
group_overflow(struct ks_actx *a, struct ks_finding **more,
    const struct ks_rule_info *rule, const struct target *tv, size_t n)
{
	if (*more == NULL) {
		if ((*more = ks_afinding(a, rule)) == NULL)
			return;
		ks_aattr(a, *more, "message", KS_NET_MORE, false);
		ks_aadd(a, *more);
	}
	if (!a->failed)
		evidence_in_order(a, *more, tv, n);
}

/* One group's finding: its parties, hosts and lines. */
static void
group_finding(struct ks_actx *a, struct party *v, size_t n, size_t *made,
    struct ks_finding **more)
{
	bool scanned = false;
	size_t hosts = 0, first = 0;
	struct target *tv = calloc(n, sizeof(*tv));
	struct ks_finding *fd;

	if (tv == NULL) {
		a->failed = true;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (v[i].scanned && !scanned) {
			scanned = true;
			first = i;
		}
		tv[i] = (struct target){ 0, v[i].host,
		    a->t->v[v[i].sock].remote.cut, v[i].sock };
	}
	hosts = distinct_hosts(tv, n);
	if (!scanned && ks_domain_official(v[0].group) == NULL) {
		free(tv);
		return;
	}
	if (++*made > KS_NET_GROUPS_MAX)
		group_overflow(a, &more[scanned], scanned ? &rule_targets :
		    &rule_official, tv, n);
	else if ((fd = ks_afinding(a, scanned ? &rule_targets :
	    &rule_official)) != NULL) {
		const struct party *lead = &v[first];
		bool ip = a->t->v[lead->sock].remote.is_ip;

		ks_aset(a, fd, ip ? (scanned ? KS_F_DESTINATION_IP :
		    KS_F_SOURCE_IP) : (scanned ? KS_F_DESTINATION_DOMAIN :
		    KS_F_SOURCE_DOMAIN), ip ? lead->host : lead->group);
		group_message(a, fd, v, n, hosts, lead);
		targets_attr(a, fd, tv, n, hosts);
		evidence_in_order(a, fd, tv, n);
		ks_aadd(a, fd);
	}
	free(tv);
}

void
ks_check_groups(struct ks_actx *a)
{
	struct party *v = calloc(a->t->n + 1, sizeof(*v));
	size_t *off = calloc(a->t->n + 1, sizeof(*off));
	struct parents *ps = malloc(sizeof(*ps));
	struct ks_finding *more[2] = { NULL, NULL };
	struct ks_buf arena;
	size_t n = 0, i, j, made = 0;

	ks_buf_init(&arena);
	if (ps != NULL)
		collect_parents(a, ps);
	for (i = 0; v != NULL && off != NULL && ps != NULL && i < a->t->n; i++) {
		const struct ks_sock *s = &a->t->v[i];

		if ((s->kind != KS_SOCK_TCP && s->kind != KS_SOCK_UDP) ||
		    ks_remote_local(a, &s->remote))
			continue;
		off[n] = arena.len;
		group_of(a, ps, &s->remote, &arena);
		ks_buf_addc(&arena, '\0');
		v[n++] = (struct party){ NULL, s->remote.host, i,
		    scanned_port(a, s) };
	}
	if (v == NULL || off == NULL || ps == NULL || arena.failed) {
		a->failed = true;
		n = 0;
	}
	for (i = 0; i < n; i++)
		v[i].group = arena.p + off[i];
	if (n > 1)
		qsort(v, n, sizeof(*v), party_cmp);
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && strcasecmp(v[j].group, v[i].group) == 0; j++)
			;
		group_finding(a, v + i, j - i, &made, more);
	}
	ks_buf_free(&arena);
	free(ps);
	free(off);
	free(v);
}
