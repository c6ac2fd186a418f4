/*
 * engine.c - rules applied to a stream of events, and the findings that
 * come out.
 *
 * Each event is matched against every detection rule.  A match either
 * becomes part of a finding directly (matches of one rule are gathered
 * per host, source and account into one finding with a count, first and
 * last time, and up to KS_EVIDENCE_MAX lines of evidence), or feeds the
 * correlations that name the rule.  A correlation keeps, per group (its
 * group-by values), the matches inside its time span on event time, and
 * fires when its condition holds; while the burst goes on, later matches
 * join the same finding.
 *
 * Besides the rules, each event is checked for signs of an altered log
 * (tamper.c); those become findings of built-in checks the same way.
 *
 * Memory is bounded: at most KS_GROUPS_MAX groups per correlation,
 * KS_CORR_ENTRIES_MAX matches per group,
 * KS_FINDINGS_MAX findings and KS_FINDINGS_PER_RULE of one rule, so that
 * a flood of one kind cannot crowd out the rest (further matches are
 * counted as dropped), and
 * evidence lines cut at KS_EVIDENCE_TEXT bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "detect/ruleset_int.h"

#define KS_GROUPS_MAX 20000
#define KS_FINDINGS_MAX 10000
#define KS_FINDINGS_PER_RULE 1000
#define KS_PENDING 8            /* evidence kept per group before firing */
#define GROUP_ENTRIES 2         /* a new group's room for matches */

struct entry {
	int64_t ts;
	uint64_t seq;           /* which event: one event may match twice */
	uint32_t ref;           /* position in the correlation's rule list */
	uint64_t vhash;         /* value_count: hash of the counted value */
};

/*
 * Evidence a group holds until it fires.  Most groups never fire (one
 * failed logon from each of thousands of addresses), so a pending line
 * costs no allocation of its own in the steady state: the text goes into
 * a buffer the slot keeps for its next line, the file is an index into
 * the engine's table of paths, and only a journal cursor is copied.
 */
struct pend {
	char *text;
	uint32_t n, cap;            /* bytes held, buffer size */
	uint32_t path;              /* index into ks_engine.paths */
	uint64_t line;
	char *cursor;               /* journal cursor, or NULL */
};

/*
 * Correlation state per group.  Attackers choose how many groups there
 * are (one per source address), so a group is kept small and what only
 * some groups need is allocated on use: the pending evidence grows from
 * 2 to KS_PENDING, the merged fields exist only for temporal types.  A
 * stale or evicted group's slot is reused with its buffers (group_reset),
 * so that a flood of new sources costs no malloc or free per event.
 */
struct group {
	struct entry *e;
	uint32_t n, cap;
	struct pend *pend;          /* a ring of pcap, oldest at phead */
	uint8_t npend, phead, pcap;
	uint8_t palloc;             /* slots allocated, pcap or more */
	bool touched;               /* given an event since made newest */
	char **field;               /* KS_F_COUNT first values, or NULL */
	uint64_t last_seq;          /* the last event given to this group */
	long finding;           /* the finding of the current burst, or -1 */
	int64_t last_ts;            /* the time of its latest event */
};

struct corr_state {
	struct ks_map *map;
	struct group *g;
	size_t n, cap;
	uint64_t fired;             /* times its condition held */
};

/* Which correlations a detection rule feeds, and as which reference. */
struct feed {
	size_t corr, ref;
};

struct ks_engine {
	const struct ks_ruleset *rs;
	struct ks_finding **f;
	size_t nf, capf;
	uint64_t dropped;
	struct ks_map *agg;
	struct corr_state *cs;
	struct feed **feeds;    /* per rule, terminated by corr == SIZE_MAX */
	struct ks_finding **view;   /* e->f sorted for the caller */
	struct ks_buf key;
	uint64_t seq;               /* events seen, numbering them */
	struct ks_tamper tamper;
	struct ks_pfscan pfscan;    /* this engine's Vectorscan scratch */
	struct ks_hash_key vkey;    /* for value_count's counted values */
	char **paths;               /* the files pending evidence names */
	uint32_t npaths;
	struct rule_count {         /* findings made per rule, for the cap */
		const struct ks_rule_info *info;
		size_t n;
	} *per_rule;
	size_t nper_rule;
};

static int
evidence_set(struct ks_evidence *e, const struct ks_event *ev)
{
	size_t n = ev->raw.n > KS_EVIDENCE_TEXT ? KS_EVIDENCE_TEXT : ev->raw.n;

	memset(e, 0, sizeof(*e));
	e->line = ev->line;
	if ((e->path = strdup(ev->path ? ev->path : "")) == NULL ||
	    (ev->cursor && (e->cursor = strdup(ev->cursor)) == NULL) ||
	    (e->text = malloc(n + 1)) == NULL) {
		ks_evidence_free(e);
		return -1;
	}
	memcpy(e->text, ev->raw.p, n);
	e->text[n] = '\0';
	return 0;
}

static char *
dup_str(struct ks_str s)
{
	char *p = malloc(s.n + 1);

	if (p != NULL) {
		memcpy(p, s.p, s.n);
		p[s.n] = '\0';
	}
	return p;
}

/* A new finding of rule info for event ev; NULL when the table is full. */
static struct ks_finding *
finding_new(struct ks_engine *e, const struct ks_rule_info *info,
    const struct ks_event *ev, const struct ks_fields *f, long *index)
{
	struct ks_finding *fd, **nv;
	struct rule_count *rc = NULL, *nrc;

	if (e->nf >= KS_FINDINGS_MAX)
		return NULL;
	for (size_t i = 0; i < e->nper_rule && rc == NULL; i++)
		if (e->per_rule[i].info == info)
			rc = &e->per_rule[i];
	if (rc == NULL) {
		nrc = realloc(e->per_rule, (e->nper_rule + 1) * sizeof(*nrc));
		if (nrc == NULL)
			return NULL;
		e->per_rule = nrc;
		rc = &e->per_rule[e->nper_rule++];
		*rc = (struct rule_count){ info, 0 };
	}
	if (rc->n >= KS_FINDINGS_PER_RULE)
		return NULL;
	if (e->nf == e->capf) {
		size_t cap = e->capf ? e->capf * 2 : 64;

		if ((nv = realloc(e->f, cap * sizeof(*nv))) == NULL)
			return NULL;
		e->f = nv;
		e->capf = cap;
	}
	if ((fd = calloc(1, sizeof(*fd))) == NULL)
		return NULL;
	fd->rule = info;
	fd->first_us = fd->last_us = ev->ts_us;
	fd->first_off = fd->last_off = ev->utc_off;
	if ((fd->host = dup_str(ev->host)) == NULL)
		goto fail;
	for (int k = 0; f != NULL && k < KS_F_COUNT; k++)
		if (f->v[k].n > 0 && (fd->field[k] = dup_str(f->v[k])) == NULL)
			goto fail;
	*index = (long)e->nf;
	e->f[e->nf++] = fd;
	rc->n++;
	return fd;
fail:
	ks_finding_free(fd);
	return NULL;
}

static void
finding_time(struct ks_finding *fd, const struct ks_event *ev)
{
	ks_finding_seen(fd, ev->ts_us, ev->utc_off);
}

static int
finding_add(struct ks_finding *fd, const struct ks_event *ev)
{
	fd->count++;
	finding_time(fd, ev);
	if (fd->nev < KS_EVIDENCE_MAX) {
		if (evidence_set(&fd->ev[fd->nev], ev) < 0)
			return -1;
		fd->nev++;
	}
	return 0;
}

static void
key_field(struct ks_buf *b, struct ks_str s)
{
	ks_buf_add(b, s.p, s.n);
	ks_buf_addc(b, '\x1f');
}

/*
 * One rule's matches, gathered per host, source and account; the built-in
 * checks' per host and file.  The key starts with the rule's address,
 * unique for the engine's life.
 */
static int
aggregate(struct ks_engine *e, const struct ks_rule_info *info, bool by_file,
    const struct ks_event *ev, const struct ks_fields *f, struct ks_err *err)
{
	struct ks_finding *fd;
	size_t idx;
	long li;

	ks_buf_reset(&e->key);
	ks_buf_add(&e->key, (const char *)&info, sizeof(info));
	key_field(&e->key, ev->host);
	if (by_file)
		key_field(&e->key, ks_str_make(ev->path ? ev->path : "",
		    ev->path ? strlen(ev->path) : 0));
	else {
		key_field(&e->key, f->v[KS_F_SOURCE_IP]);
		key_field(&e->key, f->v[KS_F_SOURCE_DOMAIN]);
		key_field(&e->key, f->v[KS_F_USER_NAME]);
	}
	if (ks_buf_failed(&e->key))
		return ks_err_set(err, "out of memory");
	if (ks_map_get(e->agg, e->key.p, e->key.len, &idx))
		return finding_add(e->f[idx], ev) < 0 ?
		    ks_err_set(err, "out of memory") : 0;
	if ((fd = finding_new(e, info, ev, by_file ? NULL : f,
	    &li)) == NULL || ks_map_put(e->agg, e->key.p, e->key.len,
	    (size_t)li, NULL) < 0) {
		e->dropped++;
		return 0;
	}
	return finding_add(fd, ev) < 0 ? ks_err_set(err, "out of memory") : 0;
}

/*
 * Forgets the group's matches and evidence, keeping the buffers a new
 * group needs at first (two pending lines, GROUP_ENTRIES entries): what
 * a busy group grew beyond that goes (but for the small ring of pending
 * slots), so that reused slots stay small.
 */
static void
group_reset(struct group *g)
{
	for (size_t i = 0; i < g->pcap; i++) {
		free(g->pend[i].cursor);
		g->pend[i].cursor = NULL;
		g->pend[i].n = 0;
		if (i >= 2) {
			free(g->pend[i].text);
			g->pend[i] = (struct pend){ 0 };
		}
	}
	if (g->pcap > 2)
		g->pcap = 2;
	if (g->cap > GROUP_ENTRIES) {
		free(g->e);
		g->e = NULL;
		g->cap = 0;
	}
	for (int k = 0; g->field != NULL && k < KS_F_COUNT; k++) {
		free(g->field[k]);
		g->field[k] = NULL;
	}
	g->n = 0;
	g->npend = g->phead = 0;
	g->last_seq = 0;
	g->finding = -1;
	g->touched = false;
}

static void
group_free(struct group *g)
{
	group_reset(g);
	for (size_t i = 0; i < g->palloc; i++)
		free(g->pend[i].text);
	free(g->pend);
	free(g->e);
	free(g->field);
}

/*
 * A full table takes in each new group where the oldest was: under a
 * flood of new sources that is nearly every event, and the slot, its
 * arrays and its evidence buffer are memory untouched for as long as the
 * table took to turn over.  Groups are created in slot order and each
 * new one takes the evicted one's slot and the newest place, so the
 * victims come in slot order too: the next one's memory is asked for
 * now, and the wait for it hides behind the work done until then.
 */
static void
prefetch_next(const struct corr_state *cs, size_t idx)
{
	const struct group *g1 = &cs->g[(idx + 1) % cs->n];
	const struct group *g2 = &cs->g[(idx + 2) % cs->n];

	ks_map_prefetch_oldest(cs->map);
	/* three steps: the group three victims on, whose pointers the step
	 * after will read; the arrays the victim after next will need; and
	 * the text the next one's array (asked for last time) points to; a
	 * load of memory not yet here would stall on the spot */
	__builtin_prefetch(&cs->g[(idx + 3) % cs->n], 1);
	__builtin_prefetch(g2->e, 1);
	__builtin_prefetch(g2->pend, 1);
	if (g1->pend != NULL)
		__builtin_prefetch(g1->pend[0].text, 1);
}

/*
 * Whether group g can no longer take part in a match at time ts: its
 * latest event lies more than the timespan before.  A group whose
 * events lie after ts (time ran backwards, or an older file follows)
 * stays: it is only as many as were live then, and one file of
 * mixed clocks keeps its groups.
 */
static bool
stale(const struct ks_corr *c, const struct group *g, int64_t ts)
{
	return ts - g->last_ts > c->span_us;
}

/*
 * A slot for a new group: a stale group's, one never used while the
 * table has room, or else the oldest live group's, evicted and counted.
 * The map's ring holds the groups oldest first.  A stale one there is
 * reused without a notice: its time is over.  One given an event since
 * it was last made newest gets a second chance (CLOCK): it is made
 * newest again and the next is looked at.  Each renewal answers one
 * event given to a group, so the loop costs O(1) amortised; and the
 * table holds about what the last timespan brought, while a long attack
 * outlives a flood of one-shot sources.
 */
static bool
group_slot(struct corr_state *cs, const struct ks_corr *c, int64_t ts,
    size_t *idx)
{
	while (ks_map_oldest(cs->map, idx)) {
		struct group *g = &cs->g[*idx];

		if (stale(c, g, ts)) {
			ks_map_expire_oldest(cs->map, idx);
			return true;
		}
		if (!g->touched)
			break;
		g->touched = false;
		ks_map_renew_oldest(cs->map);
	}
	if (cs->n < KS_GROUPS_MAX)
		return false;
	ks_map_evict_oldest(cs->map, idx);
	return true;
}

/* The group for the current key, created (reusing a slot) if new. */
static struct group *
group_get(struct ks_engine *e, struct corr_state *cs, const struct ks_corr *c,
    uint64_t h, int64_t ts, struct ks_err *err)
{
	size_t idx;
	struct group *ng;

	if (ks_map_get_h(cs->map, h, e->key.p, e->key.len, &idx)) {
		cs->g[idx].touched = true;
		return &cs->g[idx];
	}
	if (group_slot(cs, c, ts, &idx)) {
		group_reset(&cs->g[idx]);
		prefetch_next(cs, idx);
	} else {
		if (cs->n == cs->cap) {
			size_t cap = cs->cap ? cs->cap * 2 : 64;

			if (cap > KS_GROUPS_MAX)
				cap = KS_GROUPS_MAX;
			if ((ng = realloc(cs->g, cap * sizeof(*ng))) == NULL) {
				ks_err_set(err, "out of memory");
				return NULL;
			}
			cs->g = ng;
			cs->cap = cap;
		}
		idx = cs->n++;
		memset(&cs->g[idx], 0, sizeof(cs->g[idx]));
		cs->g[idx].finding = -1;
	}
	if (ks_map_put_h(cs->map, h, e->key.p, e->key.len, idx, err) < 0)
		return NULL;
	cs->g[idx].last_ts = ts;
	return &cs->g[idx];
}

/* Drops entries older than the span before ts; inserts in time order. */
static int
group_insert(struct group *g, const struct ks_corr *c, struct entry en)
{
	size_t i, keep = 0;
	struct entry *ne;

	for (i = 0; i < g->n; i++)
		if (g->e[i].ts >= en.ts - c->span_us)
			g->e[keep++] = g->e[i];
	g->n = keep;
	if (g->n == KS_CORR_ENTRIES_MAX) {
		memmove(g->e, g->e + 1, (g->n - 1) * sizeof(*g->e));
		g->n--;
	}
	if (g->n == g->cap) {
		uint32_t cap = g->cap ? g->cap * 2 : GROUP_ENTRIES;

		if ((ne = realloc(g->e, cap * sizeof(*ne))) == NULL)
			return -1;
		g->e = ne;
		g->cap = cap;
	}
	for (i = g->n; i > 0 && g->e[i - 1].ts > en.ts; i--)
		g->e[i] = g->e[i - 1];
	g->e[i] = en;
	g->n++;
	return 0;
}

static bool
compare(const struct ks_corr *c, uint64_t v)
{
	switch (c->op) {
	case KS_CORR_GT: return v > c->threshold;
	case KS_CORR_EQ: return v == c->threshold;
	default: return v >= c->threshold;
	}
}

static uint64_t
distinct(const struct group *g)
{
	uint64_t d = 0;

	for (size_t i = 0; i < g->n; i++) {
		size_t j;

		for (j = 0; j < i && g->e[j].vhash != g->e[i].vhash; j++)
			;
		d += j == i;
	}
	return d;
}

/*
 * Whether the group's matches satisfy the correlation, now that entry
 * `last` (the event just inserted) joined them.
 */
static bool
condition(const struct ks_corr *c, const struct group *g,
    const struct entry *last)
{
	size_t next = 0, i, r;

	switch (c->type) {
	case KS_CORR_UNPRECEDED:
		if (last->ref != c->nrefs - 1)
			return false;
		for (i = 0; i < g->n; i++)
			if (g->e[i].ref != c->nrefs - 1 && g->e[i].ts <= last->ts)
				return false;
		return true;
	case KS_CORR_EVENT_COUNT:
		return compare(c, g->n);
	case KS_CORR_VALUE_COUNT:
		return compare(c, distinct(g));
	case KS_CORR_TEMPORAL:
		for (r = 0; r < c->nrefs; r++) {
			for (i = 0; i < g->n && g->e[i].ref != r; i++)
				;
			if (i == g->n)
				return false;
		}
		return true;
	case KS_CORR_TEMPORAL_ORDERED:
		for (i = 0; i < g->n && next < c->nrefs; i++)
			if (g->e[i].ref == next)
				next++;
		return next == c->nrefs;
	}
	return false;
}

/*
 * The index of ev's file in the engine's table of paths.  Events come
 * file by file, so the last entry nearly always answers.
 */
static int
path_index(struct ks_engine *e, const char *path, uint32_t *out)
{
	char **np;

	if (path == NULL)
		path = "";
	for (uint32_t i = e->npaths; i > 0; i--)
		if (strcmp(e->paths[i - 1], path) == 0) {
			*out = i - 1;
			return 0;
		}
	if ((np = realloc(e->paths, (e->npaths + 1) * sizeof(*np))) == NULL)
		return -1;
	e->paths = np;
	if ((np[e->npaths] = strdup(path)) == NULL)
		return -1;
	*out = e->npaths++;
	return 0;
}

/* Copies ev into pending slot p, reusing its text buffer. */
static int
pend_set(struct ks_engine *e, struct pend *p, const struct ks_event *ev)
{
	size_t n = ev->raw.n > KS_EVIDENCE_TEXT ? KS_EVIDENCE_TEXT : ev->raw.n;

	if (p->cap < n + 1) {
		/* rounded up, so that the slot's next line likely fits */
		uint32_t cap = n < 192 ? 192 : ((uint32_t)n + 64) & ~63u;
		char *t = realloc(p->text, cap);

		if (t == NULL)
			return -1;
		p->text = t;
		p->cap = cap;
	}
	memcpy(p->text, ev->raw.p, n);
	p->text[n] = '\0';
	p->n = (uint32_t)n;
	p->line = ev->line;
	free(p->cursor);
	p->cursor = NULL;
	if (ev->cursor != NULL && (p->cursor = strdup(ev->cursor)) == NULL)
		return -1;
	return path_index(e, ev->path, &p->path);
}

/* Moves pending slot p into finding evidence x. */
static int
pend_take(const struct ks_engine *e, struct pend *p, struct ks_evidence *x)
{
	memset(x, 0, sizeof(*x));
	if ((x->path = strdup(e->paths[p->path])) == NULL)
		return -1;
	x->line = p->line;
	x->cursor = p->cursor;
	x->text = p->text;
	p->cursor = NULL;
	p->text = NULL;
	p->n = p->cap = 0;
	return 0;
}

/*
 * Keeps ev as pending evidence, the oldest dropped when KS_PENDING are
 * held.  The ring grows only while it is not full, so phead is 0 then
 * and the ring is contiguous.
 */
static int
pend_push(struct ks_engine *e, struct group *g, const struct ks_event *ev)
{
	size_t slot;

	if (g->npend == g->pcap && g->pcap < KS_PENDING) {
		size_t cap = g->pcap ? g->pcap * 2u : 2u;

		if (cap > g->palloc) {
			struct pend *np = realloc(g->pend, cap * sizeof(*np));

			if (np == NULL)
				return -1;
			memset(np + g->palloc, 0, (cap - g->palloc) * sizeof(*np));
			g->pend = np;
			g->palloc = (uint8_t)cap;
		}
		g->pcap = (uint8_t)cap;
	}
	slot = (g->phead + g->npend) % g->pcap;
	if (g->npend == g->pcap) {
		slot = g->phead;
		g->phead = (uint8_t)((g->phead + 1) % g->pcap);
	} else
		g->npend++;
	return pend_set(e, &g->pend[slot], ev);
}

/* Keeps the first value of each field the group's events carry. */
static int
merge_fields(struct group *g, const struct ks_fields *f)
{
	if (g->field == NULL &&
	    (g->field = calloc(KS_F_COUNT, sizeof(*g->field))) == NULL)
		return -1;
	for (int k = 0; k < KS_F_COUNT; k++)
		if (g->field[k] == NULL && f->v[k].n > 0 &&
		    (g->field[k] = dup_str(f->v[k])) == NULL)
			return -1;
	return 0;
}

/* A new burst: a finding with the group's matches so far as evidence. */
static int
fire(struct ks_engine *e, const struct ks_corr *c, struct group *g,
    const struct ks_event *ev, const struct ks_fields *f)
{
	struct ks_finding *fd;
	long li;

	if ((fd = finding_new(e, &c->info, ev, f, &li)) == NULL) {
		e->dropped++;
		return 0;
	}
	/* an unpreceded match is about itself alone: the newest pending */
	if (c->type == KS_CORR_UNPRECEDED) {
		while (g->npend > 1) {
			g->phead = (uint8_t)((g->phead + 1) % g->pcap);
			g->npend--;
		}
		fd->count = 1;
	} else {
		fd->count = 0;
		for (size_t i = 0; i < g->n; i++)
			fd->count += i == 0 || g->e[i].seq != g->e[i - 1].seq;
		fd->first_us = g->e[0].ts;
	}
	for (int k = 0; g->field != NULL && k < KS_F_COUNT; k++)
		if (g->field[k] != NULL) {
			free(fd->field[k]);
			fd->field[k] = g->field[k];
			g->field[k] = NULL;
		}
	for (size_t i = 0; i < g->npend; i++)
		if (pend_take(e, &g->pend[(g->phead + i) % g->pcap],
		    &fd->ev[fd->nev++]) < 0)
			return -1;
	g->npend = g->phead = 0;
	g->finding = li;
	return 0;
}

static int
correlate(struct ks_engine *e, size_t ci, size_t ref,
    const struct ks_event *ev, const struct ks_fields *f, struct ks_err *err)
{
	const struct ks_corr *c = e->rs->corrs[ci];
	struct corr_state *cs = &e->cs[ci];
	struct ks_str v;
	char num[24];
	struct entry en = { ev->ts_us, e->seq, (uint32_t)ref, 0 };
	uint64_t h;
	bool again;
	struct group *g;
	struct ks_finding *fd;

	ks_buf_reset(&e->key);
	for (size_t i = 0; i < c->ngroup; i++) {
		if (!ks_field_value(c->group_by[i], ev, f, num, sizeof(num), &v))
			return 0;
		key_field(&e->key, v);
	}
	if (c->type == KS_CORR_VALUE_COUNT) {
		if (!ks_field_value(c->value_field, ev, f, num, sizeof(num), &v))
			return 0;
		en.vhash = ks_hash(&e->vkey, v.p, v.n);
	}
	if (ks_buf_failed(&e->key))
		return ks_err_set(err, "out of memory");
	/* an ordered sequence can only start with its first rule: a later
	 * rule's match with no group yet (every delivered mail, for the
	 * sendmail rules) would only fill the table */
	h = ks_map_hash(cs->map, e->key.p, e->key.len);
	if (c->type == KS_CORR_TEMPORAL_ORDERED && ref != 0 &&
	    !ks_map_get_h(cs->map, h, e->key.p, e->key.len, &(size_t){ 0 }))
		return 0;
	if ((g = group_get(e, cs, c, h, ev->ts_us, err)) == NULL ||
	    group_insert(g, c, en) < 0)
		return ks_err_set(err, "out of memory");
	again = g->last_seq == e->seq;
	g->last_seq = e->seq;
	if (ev->ts_us > g->last_ts)
		g->last_ts = ev->ts_us;
	/* a burst goes on: later matches join its finding (an unpreceded
	 * match stands alone, each judged by what came before it) */
	if (c->type != KS_CORR_UNPRECEDED && g->finding >= 0 &&
	    (size_t)g->finding < e->nf &&
	    e->f[g->finding]->rule == &c->info &&
	    ev->ts_us - e->f[g->finding]->last_us <= c->span_us) {
		fd = e->f[g->finding];
		return again || finding_add(fd, ev) == 0 ? 0 :
		    ks_err_set(err, "out of memory");
	}
	g->finding = -1;
	/* fields of earlier events matter only when they are other rules'
	 * (the sender's address of a sendmail sequence); a count's events
	 * share the group's fields, which the firing event carries */
	if (!again && !c->quiet && (pend_push(e, g, ev) < 0 ||
	    ((c->type == KS_CORR_TEMPORAL ||
	    c->type == KS_CORR_TEMPORAL_ORDERED) && merge_fields(g, f) < 0)))
		return ks_err_set(err, "out of memory");
	if (condition(c, g, &en) && !(c->quiet && again)) {
		cs->fired++;
		/* a quiet one only feeds those naming it, once per match */
		if (!c->quiet && fire(e, c, g, ev, f) < 0)
			return ks_err_set(err, "out of memory");
		/* a correlation that fired is a match for those naming it */
		for (const struct feed *fe = e->feeds[e->rs->nrules + ci];
		    fe->corr != SIZE_MAX; fe++)
			if (correlate(e, fe->corr, fe->ref, ev, f, err) < 0)
				return -1;
	}
	if (g->finding >= 0)
		finding_time(e->f[g->finding], ev);
	return 0;
}

int
ks_engine_event(struct ks_engine *e, const struct ks_event *ev,
    const struct ks_fields *f, struct ks_err *err)
{
	const struct ks_ruleset *rs = e->rs;
	const size_t *cand;
	const uint64_t *prog;
	size_t ncand;
	unsigned signs;

	e->seq++;
	signs = ks_tamper_check(&e->tamper, ev);
	for (int k = KS_TAMPER_BACKWARDS; signs != 0 && k <= KS_TAMPER_GAP; k++)
		if ((signs & (1u << k)) && aggregate(e,
		    ks_tamper_info((enum ks_tamper_kind)k), true, ev, f, err) < 0)
			return -1;
	cand = ks_dispatch_rules(rs, f->v[KS_F_EVENT_ACTION], &ncand);
	prog = ks_dispatch_program_bits(rs, ev->program);
	ks_pfscan_next(&e->pfscan);
	for (size_t c = 0; c < ncand; c++) {
		size_t i = cand[c];

		if (!ks_dispatch_program_ok(rs, i, prog) ||
		    !ks_rule_match_pf(rs->rules[i], ev, f, &e->pfscan))
			continue;
		if (!rs->silent[i] && aggregate(e, ks_rule_info(rs->rules[i]),
		    false, ev, f, err) < 0)
			return -1;
		for (const struct feed *fe = e->feeds[i]; fe->corr != SIZE_MAX;
		    fe++)
			if (correlate(e, fe->corr, fe->ref, ev, f, err) < 0)
				return -1;
	}
	return 0;
}

static int
build_feeds(struct ks_engine *e, struct ks_err *err)
{
	const struct ks_ruleset *rs = e->rs;

	/* detection rules feed correlations, and so do correlations that
	 * other correlations name (index nrules + correlation) */
	if ((e->feeds = calloc(rs->nrules + rs->ncorrs + 1,
	    sizeof(*e->feeds))) == NULL)
		return ks_err_set(err, "out of memory");
	for (size_t i = 0; i < rs->nrules + rs->ncorrs; i++) {
		size_t n = 0;

		for (size_t c = 0; c < rs->ncorrs; c++)
			for (size_t r = 0; r < rs->corrs[c]->nrefs; r++)
				n += rs->corrs[c]->rules[r] == i;
		if ((e->feeds[i] = calloc(n + 1, sizeof(struct feed))) == NULL)
			return ks_err_set(err, "out of memory");
		n = 0;
		for (size_t c = 0; c < rs->ncorrs; c++)
			for (size_t r = 0; r < rs->corrs[c]->nrefs; r++)
				if (rs->corrs[c]->rules[r] == i)
					e->feeds[i][n++] = (struct feed){ c, r };
		e->feeds[i][n].corr = SIZE_MAX;
	}
	return 0;
}

int
ks_engine_new(struct ks_engine **out, const struct ks_ruleset *rs,
    struct ks_err *err)
{
	struct ks_engine *e;

	*out = NULL;
	if (rs->silent == NULL)
		return ks_err_set(err, "rule set not finished");
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return ks_err_set(err, "out of memory");
	e->rs = rs;
	ks_buf_init(&e->key);
	ks_hash_key_init(&e->vkey);
	if (ks_map_new(&e->agg, KS_FINDINGS_MAX, err) < 0 ||
	    ks_pfscan_init(&e->pfscan, rs->pf, err) < 0 ||
	    build_feeds(e, err) < 0 ||
	    (e->cs = calloc(rs->ncorrs ? rs->ncorrs : 1, sizeof(*e->cs))) == NULL) {
		ks_engine_free(e);
		return err && err->msg[0] ? -1 : ks_err_set(err, "out of memory");
	}
	e->pfscan.dispatched = true;
	for (size_t c = 0; c < rs->ncorrs; c++)
		if (ks_map_new(&e->cs[c].map, KS_GROUPS_MAX, err) < 0) {
			ks_engine_free(e);
			return -1;
		}
	*out = e;
	return 0;
}

void
ks_engine_free(struct ks_engine *e)
{
	if (e == NULL)
		return;
	for (size_t i = 0; i < e->nf; i++)
		ks_finding_free(e->f[i]);
	free(e->f);
	free(e->view);
	free(e->per_rule);
	ks_pfscan_free(&e->pfscan);
	ks_map_free(e->agg);
	if (e->cs != NULL)
		for (size_t c = 0; c < e->rs->ncorrs; c++) {
			for (size_t g = 0; g < e->cs[c].n; g++)
				group_free(&e->cs[c].g[g]);
			free(e->cs[c].g);
			ks_map_free(e->cs[c].map);
		}
	free(e->cs);
	for (uint32_t i = 0; i < e->npaths; i++)
		free(e->paths[i]);
	free(e->paths);
	if (e->feeds != NULL)
		for (size_t i = 0; i < e->rs->nrules + e->rs->ncorrs; i++)
			free(e->feeds[i]);
	free(e->feeds);
	ks_buf_free(&e->key);
	free(e);
}

size_t
ks_engine_findings(struct ks_engine *e, const struct ks_finding *const **out)
{
	struct ks_finding **v;

	*out = NULL;
	if (e->nf == 0)
		return 0;
	/* a sorted copy: e->f keeps the indexes the maps and groups hold */
	if ((v = realloc(e->view, e->nf * sizeof(*v))) == NULL)
		return 0;
	e->view = v;
	memcpy(v, e->f, e->nf * sizeof(*v));
	qsort(v, e->nf, sizeof(*v), ks_finding_cmp);
	*out = (const struct ks_finding *const *)v;
	return e->nf;
}

uint64_t
ks_engine_dropped(const struct ks_engine *e)
{
	return e->dropped;
}

uint64_t
ks_engine_fired(const struct ks_engine *e, size_t corr)
{
	return corr < e->rs->ncorrs ? e->cs[corr].fired : 0;
}

uint64_t
ks_engine_evicted(const struct ks_engine *e)
{
	uint64_t n = 0;

	for (size_t c = 0; c < e->rs->ncorrs; c++)
		n += ks_map_evicted(e->cs[c].map);
	return n;
}
