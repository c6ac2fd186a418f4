/*
 * related.c - `hub related`: which reports are related to a report or
 * to an address, and why.
 *
 * Strong reasons: the same source address (or domain, or account);
 * a source address inside the networks another reporter declared as
 * its own (that reporter's host is a stepping stone, seed 004), seen
 * from either side.  Weaker: the same /24 (/48) or AS, only within the
 * time window.  Noise is kept out as MISP keeps it out of correlation:
 * warninglisted values never link; private and documentation addresses
 * link only when both sides are one site (the same reporter, or an
 * address a site declared as its own); a value that would link more
 * reports than the cap (max_links) links none, and is reported as such.
 *
 * The work is a few indexed queries: one self-join of the indicators
 * for every value shared with other reports, one range query per
 * network the reporter declared, and the declared networks of all
 * reporters held in memory (they are few) for the sources.
 */
#include <stdlib.h>
#include <string.h>

#include "hub/hub_int.h"
#include "util/i18n.h"

#define ROWS_MAX 100000

/* The columns describing the other report, after three of the caller's. */
#define OTHER_COLS "r.id, r.reporter_id, p.site, r.reported_us," \
	" COALESCE(r.first_us, r.reported_us)," \
	" COALESCE(r.last_us, r.reported_us), r.category"
#define OTHER_JOIN " JOIN reports r ON r.id = o.report_id" \
	" JOIN reporters p ON p.id = r.reporter_id"

struct cand {
	enum ks_why why;
	enum ks_ind kind;
	char *value, *detail;
	int64_t report, reporter;
	char *site;
	int64_t reported_us, first_us, last_us;
	enum ks_cat cat;
	bool drop;
};

struct rel {
	struct ks_hub *h;
	int64_t self, self_reporter;
	int64_t first, last;        /* the window's centre span */
	bool windowed;
	struct ks_hub_net *nets;
	size_t nnets;
	struct cand *c;
	size_t nc, capc;
	bool oom;
	bool truncated;             /* more shared values than ROWS_MAX */
	struct ks_hub_links *out;
};

static const char *const why_names[] = {
	[KS_WHY_SAME_SOURCE] = "same-source",
	[KS_WHY_SOURCE_IN_SITE] = "stepping-stone",
	[KS_WHY_SITE_HAS_SOURCE] = "stepping-stone",
	[KS_WHY_SAME_DOMAIN] = "same-domain",
	[KS_WHY_SAME_ACCOUNT] = "same-account",
	[KS_WHY_SAME_NETWORK] = "same-network",
	[KS_WHY_SAME_AS] = "same-as",
};

const char *
ks_why_name(enum ks_why w)
{
	return why_names[w];
}

bool
ks_why_weak(enum ks_why w)
{
	return w == KS_WHY_SAME_NETWORK || w == KS_WHY_SAME_AS;
}

/* ---- the declared networks ------------------------------------------------ */

int
ks_hub_nets_load(struct ks_hub *h, struct ks_hub_net **out, size_t *n,
    struct ks_err *err)
{
	struct ks_stmt *st;
	struct ks_hub_net *v = NULL;
	size_t cap = 0;
	int rc;
	bool ok = true;

	*out = NULL;
	*n = 0;
	if (ks_store_prepare(h->s, "SELECT n.lo, n.hi, n.reporter_id, p.site,"
	    " n.value FROM reporter_networks n JOIN reporters p"
	    " ON p.id = n.reporter_id ORDER BY n.reporter_id, n.value", &st,
	    err) < 0)
		return -1;
	while ((rc = ks_stmt_step(st, err)) > 0) {
		const void *lo, *hi;
		size_t ln, hn;

		if (!ks_hub_grow((void **)&v, &cap, *n, sizeof(*v))) {
			ok = false;
			break;
		}
		lo = ks_stmt_blob(st, 0, &ln);
		memcpy(v[*n].lo, lo, ln == 16 ? 16 : 0);
		hi = ks_stmt_blob(st, 1, &hn);
		memcpy(v[*n].hi, hi, hn == 16 ? 16 : 0);
		if (ln != 16 || hn != 16)
			continue;
		v[*n].reporter_id = ks_stmt_int(st, 2);
		v[*n].site = ks_hub_strdup(ks_stmt_text(st, 3), &ok);
		v[*n].value = ks_hub_strdup(ks_stmt_text(st, 4), &ok);
		(*n)++;
	}
	ks_stmt_free(st);
	*out = v;
	if (!ok)
		rc = ks_err_set(err, "out of memory");
	if (rc < 0) {
		ks_hub_nets_free(v, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void
ks_hub_nets_free(struct ks_hub_net *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].site);
		free(v[i].value);
	}
	free(v);
}

size_t
ks_hub_nets_find(const struct ks_hub_net *nets, size_t n, size_t from,
    const unsigned char ip[16])
{
	for (size_t i = from; i < n; i++)
		if (memcmp(ip, nets[i].lo, 16) >= 0 &&
		    memcmp(ip, nets[i].hi, 16) <= 0)
			return i;
	return n;
}

/* ---- candidates ------------------------------------------------------------ */

static struct cand *
cand_add(struct rel *x, enum ks_why why, enum ks_ind kind, const char *value,
    const char *detail)
{
	struct cand *c;
	bool ok = true;

	if (!ks_hub_grow((void **)&x->c, &x->capc, x->nc, sizeof(*x->c))) {
		x->oom = true;
		return NULL;
	}
	c = &x->c[x->nc];
	memset(c, 0, sizeof(*c));
	c->why = why;
	c->kind = kind;
	c->value = ks_hub_strdup(value, &ok);
	c->detail = ks_hub_strdup(detail, &ok);
	if (!ok) {
		free(c->value);
		free(c->detail);
		x->oom = true;
		return NULL;
	}
	x->nc++;
	return c;
}

/* Fills the other report's columns, starting at column col. */
static void
cand_other(struct cand *c, struct ks_stmt *st, int col, bool *ok)
{
	c->report = ks_stmt_int(st, col);
	c->reporter = ks_stmt_int(st, col + 1);
	c->site = ks_hub_strdup(ks_stmt_text(st, col + 2), ok);
	c->reported_us = ks_stmt_int(st, col + 3);
	c->first_us = ks_stmt_int(st, col + 4);
	c->last_us = ks_stmt_int(st, col + 5);
	c->cat = (enum ks_cat)ks_stmt_int(st, col + 6);
	if ((unsigned)c->cat >= KS_CAT_COUNT)
		c->cat = KS_CAT_OTHER;
}

/* The reason a shared value of (kind, our role) gives. */
static enum ks_why
why_of(enum ks_ind kind, enum ks_role role)
{
	switch (kind) {
	case KS_IND_IP:
		return role == KS_ROLE_SOURCE ? KS_WHY_SAME_SOURCE :
		    KS_WHY_SITE_HAS_SOURCE;
	case KS_IND_DOMAIN: return KS_WHY_SAME_DOMAIN;
	case KS_IND_ACCOUNT: return KS_WHY_SAME_ACCOUNT;
	case KS_IND_NETWORK: return KS_WHY_SAME_NETWORK;
	default: return KS_WHY_SAME_AS;
	}
}

/*
 * Rows of (kind, value, role, OTHER_COLS) as candidates; role_why: the
 * reason depends on our role (report mode), else on theirs.
 */
static int
collect(struct rel *x, struct ks_stmt *st, const char *detail,
    struct ks_err *err)
{
	int rc;
	size_t rows = 0;
	bool ok = true;

	while ((rc = ks_stmt_step(st, err)) > 0) {
		if (rows++ == ROWS_MAX) {
			/* said in a note by finish(): never cut in silence */
			x->truncated = true;
			break;
		}
		enum ks_ind kind = (enum ks_ind)ks_stmt_int(st, 0);
		enum ks_role role = (enum ks_role)ks_stmt_int(st, 2);
		enum ks_why why = why_of(kind, role);
		struct cand *c;

		if (x->self == 0 && kind == KS_IND_IP && role != KS_ROLE_SOURCE)
			why = KS_WHY_SOURCE_IN_SITE;
		c = cand_add(x, why, kind, ks_stmt_text(st, 1), detail);
		if (c == NULL)
			break;
		cand_other(c, st, 3, &ok);
	}
	ks_stmt_reset(st);
	if (rc > 0)
		rc = 0;
	if (rc < 0)
		return -1;
	if (x->oom || !ok)
		return ks_err_set(err, "out of memory");
	return 0;
}

/* Every value of the report shared with another report. */
static int
shared_values(struct rel *x, struct ks_err *err)
{
	struct ks_stmt *st;
	int rc;

	/*
	 * CROSS JOIN: SQLite then walks the report's own indicators and
	 * looks each up in the index, never the other way round (the
	 * planner, without statistics, may choose to scan the index by
	 * kind); PostgreSQL plans it as the inner join it is.
	 */
	if (ks_store_prepare(x->h->s, "SELECT n.kind, n.value, n.role, "
	    OTHER_COLS " FROM indicators n CROSS JOIN indicators o" OTHER_JOIN
	    " WHERE n.report_id = ? AND o.kind = n.kind AND o.ikey = n.ikey"
	    " AND o.report_id <> n.report_id AND"
	    " ((n.kind IN (0, 1, 2, 3) AND n.role IN (0, 2) AND o.role = 0)"
	    " OR (n.kind = 4 AND o.role = n.role)) LIMIT 100001", &st,
	    err) < 0)
		return -1;
	ks_stmt_bind_int(st, 1, x->self);
	rc = collect(x, st, NULL, err);
	ks_stmt_free(st);
	return rc;
}

/* Reports of a reporter: with a window, those near the span. */
static int
site_reports(struct rel *x, const struct ks_hub_net *net, const char *value,
    struct ks_err *err)
{
	struct ks_stmt *st;
	struct cand *c;
	int rc;
	bool ok = true;

	/* the site itself, even when it has reported nothing yet */
	if ((c = cand_add(x, KS_WHY_SOURCE_IN_SITE, KS_IND_IP, value,
	    net->value)) == NULL)
		return ks_err_set(err, "out of memory");
	c->reporter = net->reporter_id;
	c->site = ks_hub_strdup(net->site, &ok);
	if (ks_store_prepare(x->h->s, "SELECT " OTHER_COLS " FROM reports r"
	    " JOIN reporters p ON p.id = r.reporter_id WHERE r.reporter_id = ?"
	    " AND r.id <> ? ORDER BY r.reported_us DESC LIMIT ?", &st,
	    err) < 0)
		return -1;
	ks_stmt_bind_int(st, 1, net->reporter_id);
	ks_stmt_bind_int(st, 2, x->self);
	ks_stmt_bind_int(st, 3, (int64_t)x->h->max_links + 1);
	while ((rc = ks_stmt_step(st, err)) > 0) {
		if ((c = cand_add(x, KS_WHY_SOURCE_IN_SITE, KS_IND_IP, value,
		    net->value)) == NULL)
			break;
		cand_other(c, st, 0, &ok);
	}
	ks_stmt_free(st);
	if (rc < 0)
		return -1;
	return x->oom || !ok ? ks_err_set(err, "out of memory") : 0;
}

/* Our source addresses inside other reporters' declared networks. */
static int
sources_in_sites(struct rel *x, struct ks_err *err)
{
	struct ks_stmt *st;
	int rc;

	if (x->nnets == 0)
		return 0;
	if (ks_store_prepare(x->h->s, "SELECT ikey, value FROM indicators"
	    " WHERE report_id = ? AND kind = 0 AND role = 0", &st, err) < 0)
		return -1;
	ks_stmt_bind_int(st, 1, x->self);
	while ((rc = ks_stmt_step(st, err)) > 0) {
		size_t kn, i = 0;
		const unsigned char *ip = ks_stmt_blob(st, 0, &kn);
		char value[64];

		if (kn != 16)
			continue;
		snprintf(value, sizeof(value), "%s", ks_stmt_text(st, 1));
		while ((i = ks_hub_nets_find(x->nets, x->nnets, i, ip)) <
		    x->nnets) {
			if (x->nets[i].reporter_id != x->self_reporter &&
			    site_reports(x, &x->nets[i], value, err) < 0) {
				ks_stmt_free(st);
				return -1;
			}
			i++;
		}
	}
	ks_stmt_free(st);
	return rc < 0 ? -1 : 0;
}

/* Other reports' sources inside the networks our reporter declared. */
static int
sources_in_our_site(struct rel *x, struct ks_err *err)
{
	struct ks_stmt *st;
	int rc = 0;

	if (ks_store_prepare(x->h->s, "SELECT o.kind, o.value, 0, "
	    OTHER_COLS " FROM indicators o" OTHER_JOIN
	    " WHERE o.kind = 0 AND o.role = 0 AND o.ikey >= ? AND o.ikey <= ?"
	    " AND r.reporter_id <> ? LIMIT 100001", &st, err) < 0)
		return -1;
	for (size_t i = 0; i < x->nnets && rc == 0; i++) {
		if (x->nets[i].reporter_id != x->self_reporter)
			continue;
		ks_stmt_bind_blob(st, 1, x->nets[i].lo, 16);
		ks_stmt_bind_blob(st, 2, x->nets[i].hi, 16);
		ks_stmt_bind_int(st, 3, x->self_reporter);
		size_t from = x->nc;
		rc = collect(x, st, x->nets[i].value, err);
		for (size_t k = from; k < x->nc; k++)
			x->c[k].why = KS_WHY_SITE_HAS_SOURCE;
	}
	ks_stmt_free(st);
	return rc;
}

/* ---- filtering ---------------------------------------------------------------- */

static int
note(struct rel *x, const char *value, const char *reason)
{
	struct ks_hub_links *l = x->out;
	bool ok = true;

	for (size_t i = 0; i < l->nnotes; i++)
		if (strcmp(l->notes[i].value, value) == 0)
			return 0;
	if (!ks_hub_grow((void **)&l->notes, &l->capnotes, l->nnotes,
	    sizeof(*l->notes)))
		return -1;
	l->notes[l->nnotes].value = ks_hub_strdup(value, &ok);
	l->notes[l->nnotes].reason = ks_hub_strdup(reason, &ok);
	l->nnotes++;
	return ok ? 0 : -1;
}

static bool
owned(const struct rel *x, const struct cand *c)
{
	unsigned char ip[16];

	return c->kind == KS_IND_IP && ks_ip_parse(c->value, ip) == 0 &&
	    ks_hub_nets_find(x->nets, x->nnets, 0, ip) < x->nnets;
}

static bool
in_window(const struct rel *x, const struct cand *c)
{
	int64_t w = x->h->window_us;

	if (!x->windowed)
		return true;
	return c->last_us >= x->first - w && c->first_us <= x->last + w;
}

/* Warninglist and window: marks the candidates that must not link. */
static int
filter_noise(struct rel *x)
{
	char buf[160];

	for (size_t i = 0; i < x->nc; i++) {
		struct cand *c = &x->c[i];
		const char *reason = ks_warninglist_match(x->h->wl, c->kind,
		    c->value);
		bool stepping = c->why == KS_WHY_SOURCE_IN_SITE ||
		    c->why == KS_WHY_SITE_HAS_SOURCE;

		if (c->report != 0 && (stepping || ks_why_weak(c->why)) &&
		    !in_window(x, c))
			c->drop = true;
		if (reason == NULL || x->self == 0)
			continue;
		if (ks_warninglist_site_local(reason) && (stepping ||
		    c->reporter == x->self_reporter ||
		    (!ks_why_weak(c->why) && owned(x, c))))
			continue;
		c->drop = true;
		snprintf(buf, sizeof(buf), ks_warninglist_site_local(reason) ?
		    _("%s: links only within one site") : "%s", reason);
		if (note(x, c->value, buf) < 0)
			return -1;
	}
	return 0;
}

/* By value, reason, report: the groups filter_cap counts. */
static int
cand_value_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	int c = strcmp(x->value, y->value);

	if (c != 0)
		return c;
	if (x->why != y->why)
		return (int)x->why - (int)y->why;
	return x->report < y->report ? -1 : x->report > y->report;
}

/*
 * Values linking more distinct reports than the cap link none.  Sorted
 * by value, so each group is counted once: the candidates can be many.
 */
static int
filter_cap(struct rel *x)
{
	char buf[160];
	size_t i = 0, k, count;

	if (x->nc > 1)
		qsort(x->c, x->nc, sizeof(*x->c), cand_value_cmp);
	while (i < x->nc) {
		count = 0;
		for (k = i; k < x->nc && x->c[k].why == x->c[i].why &&
		    strcmp(x->c[k].value, x->c[i].value) == 0; k++)
			if (!x->c[k].drop && x->c[k].report != 0 &&
			    (k == i || x->c[k].report != x->c[k - 1].report))
				count++;
		if (count > x->h->max_links) {
			for (size_t j = i; j < k; j++)
				x->c[j].drop = true;
			snprintf(buf, sizeof(buf), _("would link %zu reports, "
			    "more than the cap of %u"), count, x->h->max_links);
			if (note(x, x->c[i].value, buf) < 0)
				return -1;
		}
		i = k;
	}
	return 0;
}

static int
id_cmp(const void *a, const void *b)
{
	const int64_t *x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

/*
 * The sorted ids of the reports linked strongly (reports) and of the
 * reporters with a linked report, shifted with the reason in the low
 * bits (sites): weak links to them, and bare site links, add nothing.
 */
static int
strong_sets(const struct rel *x, int64_t **reports, int64_t **sites,
    size_t *nr, size_t *ns)
{
	*nr = *ns = 0;
	*reports = calloc(x->nc + 1, sizeof(int64_t));
	*sites = calloc(x->nc + 1, sizeof(int64_t));
	if (*reports == NULL || *sites == NULL)
		return -1;
	for (size_t i = 0; i < x->nc; i++) {
		const struct cand *c = &x->c[i];

		if (c->drop || c->report == 0)
			continue;
		if (!ks_why_weak(c->why))
			(*reports)[(*nr)++] = c->report;
		(*sites)[(*ns)++] = c->reporter * 8 + c->why;
	}
	qsort(*reports, *nr, sizeof(int64_t), id_cmp);
	qsort(*sites, *ns, sizeof(int64_t), id_cmp);
	return 0;
}

static bool
in_set(const int64_t *v, size_t n, int64_t key)
{
	return bsearch(&key, v, n, sizeof(*v), id_cmp) != NULL;
}

/* By report, reason, value and site: equal neighbours are one link. */
static int
cand_key_cmp(const struct cand *x, const struct cand *y)
{
	int c;

	if (x->report != y->report)
		return x->report < y->report ? -1 : 1;
	if (x->why != y->why)
		return (int)x->why - (int)y->why;
	if ((c = strcmp(x->value, y->value)) != 0)
		return c;
	return strcmp(x->site ? x->site : "", y->site ? y->site : "");
}

/* The key, then the one naming its network first: that one is kept. */
static int
cand_link_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	int c = cand_key_cmp(x, y);

	if (c != 0)
		return c;
	return (x->detail == NULL) - (y->detail == NULL);
}

static int
emit(struct rel *x, bool strong_only)
{
	struct ks_hub_links *l = x->out;
	int64_t *reports, *sites;
	size_t nr, ns;
	const struct cand *prev = NULL;
	bool oom = false;

	if (strong_sets(x, &reports, &sites, &nr, &ns) < 0) {
		free(reports);
		free(sites);
		return -1;
	}
	if (x->nc > 1)
		qsort(x->c, x->nc, sizeof(*x->c), cand_link_cmp);
	for (size_t i = 0; i < x->nc; i++) {
		struct cand *c = &x->c[i];
		struct ks_hub_link *k;
		bool weak = ks_why_weak(c->why);

		if (c->drop || (weak && (strong_only ||
		    in_set(reports, nr, c->report))) ||
		    (c->report == 0 && in_set(sites, ns, c->reporter * 8 +
		    c->why)) || (prev != NULL && cand_key_cmp(prev, c) == 0))
			continue;
		prev = c;
		if (!ks_hub_grow((void **)&l->v, &l->cap, l->n, sizeof(*l->v))) {
			oom = true;
			break;
		}
		k = &l->v[l->n++];
		k->report_id = c->report;
		k->why = c->why;
		k->reported_us = c->reported_us;
		k->cat = c->cat;
		/* the strings are copied: prev still compares with them */
		k->site = strdup(c->site ? c->site : "");
		k->value = strdup(c->value);
		k->detail = c->detail ? strdup(c->detail) : NULL;
		if (k->site == NULL || k->value == NULL ||
		    (c->detail != NULL && k->detail == NULL)) {
			oom = true;
			break;
		}
	}
	free(reports);
	free(sites);
	return oom ? -1 : 0;
}

static int
link_cmp(const void *a, const void *b)
{
	const struct ks_hub_link *x = a, *y = b;

	if (ks_why_weak(x->why) != ks_why_weak(y->why))
		return ks_why_weak(x->why) ? 1 : -1;
	if (x->report_id != y->report_id)
		return x->report_id < y->report_id ? -1 : 1;
	return (int)x->why - (int)y->why;
}

static void
rel_free(struct rel *x)
{
	for (size_t i = 0; i < x->nc; i++) {
		free(x->c[i].value);
		free(x->c[i].detail);
		free(x->c[i].site);
	}
	free(x->c);
	ks_hub_nets_free(x->nets, x->nnets);
}

static int
finish(struct rel *x, bool strong_only, struct ks_err *err)
{
	if (filter_noise(x) < 0 || filter_cap(x) < 0 ||
	    emit(x, strong_only) < 0 || (x->truncated && note(x, "*",
	    _("more than 100000 shared values: the rest was not examined")) <
	    0))
		return ks_err_set(err, "out of memory");
	if (x->out->n > 1)
		qsort(x->out->v, x->out->n, sizeof(*x->out->v), link_cmp);
	return 0;
}

void
ks_hub_links_free(struct ks_hub_links *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].site);
		free(l->v[i].value);
		free(l->v[i].detail);
	}
	for (size_t i = 0; i < l->nnotes; i++) {
		free(l->notes[i].value);
		free(l->notes[i].reason);
	}
	free(l->v);
	free(l->notes);
	memset(l, 0, sizeof(*l));
}

/* ---- the two questions ---------------------------------------------------------- */

static int
load_self(struct rel *x, struct ks_err *err)
{
	struct ks_stmt *st;
	int rc;

	if (ks_store_prepare(x->h->s, "SELECT reporter_id,"
	    " COALESCE(first_us, reported_us), COALESCE(last_us, reported_us)"
	    " FROM reports WHERE id = ?", &st, err) < 0)
		return -1;
	ks_stmt_bind_int(st, 1, x->self);
	if ((rc = ks_stmt_step(st, err)) > 0) {
		x->self_reporter = ks_stmt_int(st, 0);
		x->first = ks_stmt_int(st, 1);
		x->last = ks_stmt_int(st, 2);
		x->windowed = true;
	}
	ks_stmt_free(st);
	if (rc == 0)
		return ks_err_set(err, _("no report %lld"), (long long)x->self);
	return rc < 0 ? -1 : 0;
}

static int
related_report(struct ks_hub *h, int64_t id, bool strong_only,
    struct ks_hub_links *out, struct ks_err *err)
{
	struct rel x = { .h = h, .self = id, .out = out };
	int rc;

	memset(out, 0, sizeof(*out));
	rc = load_self(&x, err) < 0 ||
	    ks_hub_nets_load(h, &x.nets, &x.nnets, err) < 0 ||
	    sources_in_our_site(&x, err) < 0 ||
	    sources_in_sites(&x, err) < 0 || shared_values(&x, err) < 0 ||
	    finish(&x, strong_only, err) < 0 ? -1 : 0;
	rel_free(&x);
	if (rc < 0)
		ks_hub_links_free(out);
	return rc;
}

int
ks_hub_related_report(struct ks_hub *h, int64_t id,
    struct ks_hub_links *out, struct ks_err *err)
{
	return related_report(h, id, false, out, err);
}

int
ks_hub_strong_links(struct ks_hub *h, int64_t id, struct ks_hub_links *out,
    struct ks_err *err)
{
	return related_report(h, id, true, out, err);
}

/* Reports naming the address itself, or its network as a source. */
static int
address_rows(struct rel *x, const unsigned char *key, size_t keylen,
    enum ks_ind kind, struct ks_err *err)
{
	struct ks_stmt *st;
	int rc;

	if (ks_store_prepare(x->h->s, "SELECT o.kind, o.value, o.role, "
	    OTHER_COLS " FROM indicators o" OTHER_JOIN
	    " WHERE o.kind = ? AND o.ikey = ? AND (o.kind = 0 OR o.role = 0)"
	    " LIMIT 100001", &st, err) < 0)
		return -1;
	ks_stmt_bind_int(st, 1, kind);
	ks_stmt_bind_blob(st, 2, key, keylen);
	rc = collect(x, st, NULL, err);
	ks_stmt_free(st);
	return rc;
}

int
ks_hub_related_address(struct ks_hub *h, const char *address,
    struct ks_hub_links *out, struct ks_err *err)
{
	struct rel x = { .h = h, .out = out };
	unsigned char ip[16], net[17];
	char canon[64], ntext[72];
	const char *reason;
	size_t i = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (ks_ip_parse(address, ip) < 0)
		return ks_err_set(err, _("'%.80s' is not an address"), address);
	ks_addr_format(ip, canon);
	ks_hub_network_of(ip, net, ntext, sizeof(ntext));
	if (ks_hub_nets_load(h, &x.nets, &x.nnets, err) < 0)
		rc = -1;
	/* first the sites owning it: their links carry the network */
	while (rc == 0 && (i = ks_hub_nets_find(x.nets, x.nnets, i, ip)) <
	    x.nnets) {
		rc = site_reports(&x, &x.nets[i], canon, err);
		i++;
	}
	if (rc == 0 && (address_rows(&x, ip, 16, KS_IND_IP, err) < 0 ||
	    address_rows(&x, net, 17, KS_IND_NETWORK, err) < 0))
		rc = -1;
	if (rc == 0 && (reason = ks_warninglist_match(h->wl, KS_IND_IP,
	    canon)) != NULL && note(&x, canon, reason) < 0)
		rc = ks_err_set(err, "out of memory");
	if (rc == 0)
		rc = finish(&x, false, err);
	rel_free(&x);
	if (rc < 0)
		ks_hub_links_free(out);
	return rc;
}
