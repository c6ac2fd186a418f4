/*
 * dispatch.c - which rules an event can possibly match, found before any
 * rule is evaluated.
 *
 * Nearly every rule requires event.action to be one of a few values: a
 * failed logon rule cannot match a cron line.  At load time each rule's
 * condition tree is read for such a requirement (conservatively: only an
 * exact, positive, literal test of event.action that every way of
 * satisfying the condition passes through); at run time the event's
 * action picks the list of rules to evaluate: those requiring it, and
 * those with no requirement, in rule order.  A line thus costs the rules
 * that concern it, not all of them.  A rule with no such requirement on
 * the action may have one on process.name (a sendmail rule), checked
 * before the rule itself.
 */
#include <stdlib.h>
#include <string.h>

#include "detect/ruleset_int.h"

/* A set of required literals; any == true: no requirement. */
struct need {
	bool any;
	const struct ks_lit **lit;
	size_t n;
};

static void
need_free(struct need *nd)
{
	free(nd->lit);
	nd->lit = NULL;
	nd->n = 0;
}

static int
need_add(struct need *nd, const struct ks_lit *l)
{
	const struct ks_lit **v;

	for (size_t i = 0; i < nd->n; i++)
		if (nd->lit[i]->len == l->len &&
		    memcmp(nd->lit[i]->text, l->text, l->len) == 0)
			return 0;
	if ((v = realloc(nd->lit, (nd->n + 1) * sizeof(*v))) == NULL)
		return -1;
	v[nd->n++] = l;
	nd->lit = v;
	return 0;
}

/* What one map requires of the field (event.action or process.name). */
static int
map_need(const struct ks_map *m, int field, struct need *nd)
{
	for (size_t j = 0; j < m->n; j++) {
		const struct ks_match *x = &m->m[j];

		if (x->field != field || x->mod != KS_MOD_GLOB ||
		    x->all || x->cased || x->n == 0)
			continue;
		for (size_t v = 0; v < x->n; v++)
			if (x->lit[v].kind != KS_LIT_EXACT)
				goto next;
		nd->any = false;
		for (size_t v = 0; v < x->n; v++)
			if (need_add(nd, &x->lit[v]) < 0)
				return -1;
		return 0;
next:
		;
	}
	nd->any = true;
	return 0;
}

/* A selection requires the union of its maps' needs, if all have one. */
static int
sel_need(const struct ks_sel *s, int field, struct need *nd)
{
	struct need m = { 0 };

	nd->any = s->n == 0;
	for (size_t i = 0; i < s->n && !nd->any; i++) {
		if (map_need(&s->maps[i], field, &m) < 0)
			return -1;
		if (m.any)
			nd->any = true;
		for (size_t k = 0; k < m.n && !nd->any; k++)
			if (need_add(nd, m.lit[k]) < 0) {
				need_free(&m);
				return -1;
			}
		need_free(&m);
	}
	if (nd->any)
		need_free(nd);
	return 0;
}

static int cond_need(const struct ks_rule *r, const struct ks_cond *c,
    int field, struct need *nd);

/* Union of several needs: any when one of them is any. */
static int
union_need(struct need *nd, const struct need *b)
{
	if (nd->any || b->any) {
		need_free(nd);
		nd->any = true;
		return 0;
	}
	for (size_t k = 0; k < b->n; k++)
		if (need_add(nd, b->lit[k]) < 0)
			return -1;
	return 0;
}

static int
cond_need(const struct ks_rule *r, const struct ks_cond *c, int field,
    struct need *nd)
{
	struct need a = { 0 }, b = { 0 };
	int rc = 0;

	memset(nd, 0, sizeof(*nd));
	switch (c->op) {
	case KS_C_SEL:
		return sel_need(&r->sels[c->sel], field, nd);
	case KS_C_NOT:
		nd->any = true;
		return 0;
	case KS_C_AND:
		/* either side's requirement is necessary: take a specific one */
		if ((rc = cond_need(r, c->a, field, nd)) < 0 || !nd->any)
			return rc;
		return cond_need(r, c->b, field, nd);
	case KS_C_OR:
		if (cond_need(r, c->a, field, &a) < 0 ||
		    cond_need(r, c->b, field, &b) < 0)
			rc = -1;
		else {
			*nd = a;
			a.lit = NULL;
			rc = union_need(nd, &b);
		}
		need_free(&a);
		need_free(&b);
		return rc;
	case KS_C_ONE_OF:
	case KS_C_ALL_OF:
		for (size_t i = 0; i < c->nsels; i++) {
			if (sel_need(&r->sels[c->sels[i]], field, &a) < 0)
				return -1;
			if (c->op == KS_C_ALL_OF && !a.any) {
				need_free(nd);
				*nd = a;
				return 0;
			}
			if (i == 0) {
				*nd = a;
				a.lit = NULL;
			} else if (union_need(nd, &a) < 0)
				rc = -1;
			need_free(&a);
		}
		if (c->op == KS_C_ALL_OF) {
			need_free(nd);
			nd->any = true;
		}
		return rc;
	}
	nd->any = true;
	return 0;
}

/* The entry for literal l, created if new; -1 when out of memory. */
static long
entry_for(struct ks_dispatch *d, const struct ks_lit *l)
{
	struct ks_dispatch_entry *v;

	for (size_t i = 0; i < d->ne; i++)
		if (d->e[i].len == l->len && memcmp(d->e[i].text, l->text,
		    l->len) == 0)
			return (long)i;
	if ((v = realloc(d->e, (d->ne + 1) * sizeof(*v))) == NULL)
		return -1;
	d->e = v;
	memset(&d->e[d->ne], 0, sizeof(d->e[d->ne]));
	d->e[d->ne].text = l->text;
	d->e[d->ne].len = l->len;
	return (long)d->ne++;
}

static int
push(size_t **v, size_t *n, size_t x)
{
	size_t *nv = realloc(*v, (*n + 1) * sizeof(**v));

	if (nv == NULL)
		return -1;
	nv[(*n)++] = x;
	*v = nv;
	return 0;
}

/*
 * s equals the lower-case text t of length n, ignoring ASCII case.  The
 * names looked up (a decoder's action, most programs) are usually in
 * lower case already, which one memcmp tells.
 */
static bool
eq_lower(const char *t, size_t n, struct ks_str s)
{
	if (s.n != n)
		return false;
	if (memcmp(t, s.p, n) == 0)
		return true;
	for (size_t j = 0; j < n; j++) {
		unsigned char c = (unsigned char)s.p[j];

		if (c >= 'A' && c <= 'Z')
			c |= 0x20;
		if (c != (unsigned char)t[j])
			return false;
	}
	return true;
}

/*
 * Whether match x of `field` is true of every event the requirement lets
 * in: an exact, caseless test naming every literal the requirement does.
 */
static bool
covers(const struct ks_match *x, int field, const struct ks_lit *const *lit,
    size_t n)
{
	if (x->field != field || x->mod != KS_MOD_GLOB || x->all || x->cased)
		return false;
	for (size_t v = 0; v < x->n; v++)
		if (x->lit[v].kind != KS_LIT_EXACT)
			return false;
	for (size_t k = 0; k < n; k++) {
		size_t v;

		for (v = 0; v < x->n; v++)
			if (x->lit[v].len == lit[k]->len &&
			    memcmp(x->lit[v].text, lit[k]->text, lit[k]->len) == 0)
				break;
		if (v == x->n)
			return false;
	}
	return true;
}

/*
 * Marks the rule's tests that the requirement on field makes true, so
 * that the engine, which lets the rule in only when the event meets the
 * requirement, does not test them again (event.action: logon-failed of a
 * rule dispatched on logon-failed; the overflow rule's list of daemons).
 */
static void
mark_implied(struct ks_rule *r, int field, const struct ks_lit *const *lit,
    size_t n)
{
	for (size_t s = 0; s < r->nsels; s++)
		for (size_t k = 0; k < r->sels[s].n; k++) {
			struct ks_map *mp = &r->sels[s].maps[k];

			for (size_t j = 0; j < mp->n; j++)
				if (covers(&mp->m[j], field, lit, n))
					mp->m[j].implied = true;
		}
}

/* The process names a rule without an action requirement needs, if any. */
static int
prog_guard(struct ks_rule *r, struct ks_prog_guard *g)
{
	struct need nd;

	if (cond_need(r, r->cond, KS_EF_PROCESS_NAME, &nd) < 0)
		return -1;
	if (nd.any)
		return 0;
	g->lit = nd.lit;
	g->n = nd.n;
	mark_implied(r, KS_EF_PROCESS_NAME, g->lit, g->n);
	return 0;
}

static inline uint32_t
fold(char c)
{
	return (uint32_t)(unsigned char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
}

/*
 * A hash of the length and three case-folded bytes: enough to spread the
 * rules' few dozen names, and as cheap for a long name as for a short.
 */
static inline uint32_t
fold_hash(struct ks_str s)
{
	uint32_t h = (uint32_t)s.n;

	if (s.n > 0)
		h ^= fold(s.p[0]) << 8 | fold(s.p[s.n / 2]) << 16 |
		    fold(s.p[s.n - 1]) << 24;
	return (h * 2654435761u) >> 16;
}

/* An empty index with room for n names. */
static int
index_init(struct ks_name_index *x, size_t n)
{
	size_t size = 8;

	while (size < 4 * n)
		size *= 2;
	if ((x->name = calloc(n ? n : 1, sizeof(*x->name))) == NULL ||
	    (x->slot = calloc(size, sizeof(*x->slot))) == NULL)
		return -1;
	x->mask = size - 1;
	return 0;
}

/* Adds text (lower case, not yet in x) as name i. */
static void
index_add(struct ks_name_index *x, size_t i, const char *text, size_t len)
{
	size_t h;

	x->name[i] = ks_str_make(text, len);
	for (h = fold_hash(x->name[i]) & x->mask; x->slot[h] != 0;
	    h = (h + 1) & x->mask)
		;
	x->slot[h] = (uint32_t)i + 1;
	if (len > x->maxlen)
		x->maxlen = len;
}

/* The index of s among x's names, ignoring ASCII case; -1: none. */
static long
index_find(const struct ks_name_index *x, struct ks_str s)
{
	size_t h;

	if (x->slot == NULL || s.n == 0 || s.n > x->maxlen)
		return -1;
	for (h = fold_hash(s) & x->mask; x->slot[h] != 0;
	    h = (h + 1) & x->mask) {
		const struct ks_str *t = &x->name[x->slot[h] - 1];

		if (eq_lower(t->p, t->n, s))
			return (long)x->slot[h] - 1;
	}
	return -1;
}

static void
index_free(struct ks_name_index *x)
{
	free(x->name);
	free(x->slot);
}

/* The table of guard names, each with the rules it lets in, indexed. */
static int
build_names(struct ks_ruleset *rs)
{
	struct ks_dispatch *d = &rs->dispatch;
	size_t words = (rs->nrules + 63) / 64, k;

	for (size_t r = 0; r < rs->nrules; r++)
		for (size_t i = 0; i < d->prog[r].n; i++) {
			const struct ks_lit *l = d->prog[r].lit[i];
			struct ks_prog_name *v;

			for (k = 0; k < d->nnames; k++)
				if (d->names[k].len == l->len &&
				    memcmp(d->names[k].text, l->text, l->len) == 0)
					break;
			if (k == d->nnames) {
				v = realloc(d->names, (k + 1) * sizeof(*v));
				if (v == NULL)
					return -1;
				d->names = v;
				v[k] = (struct ks_prog_name){ l->text, l->len,
				    calloc(words, sizeof(uint64_t)) };
				if (v[k].rules == NULL)
					return -1;
				d->nnames++;
			}
			d->names[k].rules[r / 64] |= (uint64_t)1 << (r % 64);
		}
	if (index_init(&d->nidx, d->nnames) < 0)
		return -1;
	for (k = 0; k < d->nnames; k++)
		index_add(&d->nidx, k, d->names[k].text, d->names[k].len);
	return 0;
}

const uint64_t *
ks_dispatch_program_bits(const struct ks_ruleset *rs, struct ks_str program)
{
	long k = index_find(&rs->dispatch.nidx, program);

	return k < 0 ? NULL : rs->dispatch.names[k].rules;
}

int
ks_dispatch_build(struct ks_ruleset *rs, struct ks_err *err)
{
	struct ks_dispatch *d = &rs->dispatch;
	struct need nd;
	long k;

	if ((d->prog = calloc(rs->nrules ? rs->nrules : 1,
	    sizeof(*d->prog))) == NULL)
		return ks_err_set(err, "out of memory");
	for (size_t i = 0; i < rs->nrules; i++) {
		if (cond_need(rs->rules[i], rs->rules[i]->cond, KS_F_EVENT_ACTION,
		    &nd) < 0)
			return ks_err_set(err, "out of memory");
		/* every list holds the unguarded rules, so keep rule order by
		 * adding each rule to every list it belongs to, in turn */
		if (nd.any) {
			need_free(&nd);
			if (prog_guard(rs->rules[i], &d->prog[i]) < 0 ||
			    push(&d->other, &d->nother, i) < 0)
				goto oom;
			for (size_t e = 0; e < d->ne; e++)
				if (push(&d->e[e].rules, &d->e[e].n, i) < 0)
					goto oom;
			continue;
		}
		mark_implied(rs->rules[i], KS_F_EVENT_ACTION, nd.lit, nd.n);
		for (size_t j = 0; j < nd.n; j++) {
			size_t before = d->ne;

			if ((k = entry_for(d, nd.lit[j])) < 0)
				goto oom;
			/* a new entry starts with the unguarded rules so far */
			if ((size_t)k == before)
				for (size_t o = 0; o < d->nother; o++)
					if (push(&d->e[k].rules, &d->e[k].n,
					    d->other[o]) < 0)
						goto oom;
			if (push(&d->e[k].rules, &d->e[k].n, i) < 0)
				goto oom;
		}
		need_free(&nd);
	}
	if (build_names(rs) < 0 || index_init(&d->eidx, d->ne) < 0)
		return ks_err_set(err, "out of memory");
	for (size_t e = 0; e < d->ne; e++)
		index_add(&d->eidx, e, d->e[e].text, d->e[e].len);
	return 0;
oom:
	need_free(&nd);
	return ks_err_set(err, "out of memory");
}

void
ks_dispatch_free(struct ks_dispatch *d, size_t nrules)
{
	for (size_t i = 0; d->prog != NULL && i < nrules; i++)
		free(d->prog[i].lit);
	free(d->prog);
	for (size_t i = 0; i < d->nnames; i++)
		free(d->names[i].rules);
	free(d->names);
	index_free(&d->nidx);
	index_free(&d->eidx);
	for (size_t i = 0; i < d->ne; i++)
		free(d->e[i].rules);
	free(d->e);
	free(d->other);
	memset(d, 0, sizeof(*d));
}

const size_t *
ks_dispatch_rules(const struct ks_ruleset *rs, struct ks_str action,
    size_t *n)
{
	const struct ks_dispatch *d = &rs->dispatch;
	long k = index_find(&d->eidx, action);

	if (k >= 0) {
		*n = d->e[k].n;
		return d->e[k].rules;
	}
	*n = d->nother;
	return d->other;
}
