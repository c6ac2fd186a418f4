/*
 * prefilter.c - every rule's tests on the message, run as one Vectorscan
 * scan per line.
 *
 * Rules test the whole message with keywords, `message|contains` and
 * `message|re`; evaluated one by one, each is a pass over the line (and
 * a caseless `contains` is a slow one).  At load time all of them become
 * one Vectorscan database; at run time the message is scanned once, the
 * first time a rule needs it, and each test reads its pattern's bit:
 *
 *   - a literal substring (`contains`, keywords) is answered by the bit
 *     alone: Vectorscan's caseless matching folds ASCII as Sigma does;
 *   - every other test (exact, prefix, suffix, glob, regular expression)
 *     is skipped when its bit is clear and confirmed by the exact matcher
 *     when it is set, so that anchors, PCRE2 corner cases and patterns
 *     Vectorscan can only approximate (HS_FLAG_PREFILTER) never change a
 *     result;
 *   - a pattern Vectorscan cannot take at all is left to the matcher.
 *
 * A regular expression whose matches can only start with some bytes
 * (struct ks_gate: the overflow rule's runs of ^X, #ooo, %x, control
 * bytes) is not in the database: its gate (gate.c) rules it out on
 * nearly every line, and PCRE2 answers the rest.  Such bounded repeats made the database slow to
 * build (a third of the start-up) and slow to scan on every daemon line;
 * without them it holds literals, which Vectorscan finds fastest.
 *
 * The database is immutable and shared; the scratch space and the bitmap
 * of hits belong to whoever scans (the engine), one per thread.
 */
#include <stdlib.h>
#include <string.h>

#include <hs.h>

#include "detect/ruleset_int.h"

struct ks_prefilter {
	hs_database_t *db;
	size_t npat;
	bool *exact;                /* per pattern id: a hit is a match */
};

/* Patterns being collected, as expressions for hs_compile_multi. */
struct patlist {
	char **expr;
	unsigned *flags, *ids;
	bool *exact;
	size_t n, cap;
};

static void
patlist_free(struct patlist *pl)
{
	for (size_t i = 0; i < pl->n; i++)
		free(pl->expr[i]);
	free(pl->expr);
	free(pl->flags);
	free(pl->ids);
	free(pl->exact);
}

static bool
patlist_grow(struct patlist *pl)
{
	size_t cap = pl->cap ? pl->cap * 2 : 64;
	char **e = realloc(pl->expr, cap * sizeof(*e));

	if (e != NULL)
		pl->expr = e;
	unsigned *f = realloc(pl->flags, cap * sizeof(*f));
	if (f != NULL)
		pl->flags = f;
	unsigned *id = realloc(pl->ids, cap * sizeof(*id));
	if (id != NULL)
		pl->ids = id;
	bool *x = realloc(pl->exact, cap * sizeof(*x));
	if (x != NULL)
		pl->exact = x;
	if (e == NULL || f == NULL || id == NULL || x == NULL)
		return false;
	pl->cap = cap;
	return true;
}

/* Appends byte c to b as a regex atom matching exactly that byte. */
static void
add_byte(struct ks_buf *b, unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == ' ')
		ks_buf_addc(b, (char)c);
	else
		ks_buf_addf(b, "\\x%02x", c);
}

/*
 * A Sigma glob ('*', '?', backslash escapes) as an unanchored regex that
 * matches wherever the glob could: its parts in order.
 */
static void
glob_regex(struct ks_buf *b, const char *pat, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (pat[i] == '\\' && i + 1 < n && (pat[i + 1] == '*' ||
		    pat[i + 1] == '?' || pat[i + 1] == '\\'))
			add_byte(b, (unsigned char)pat[++i]);
		else if (pat[i] == '*')
			ks_buf_adds(b, ".*");
		else if (pat[i] == '?')
			ks_buf_addc(b, '.');
		else
			add_byte(b, (unsigned char)pat[i]);
	}
}

/* The expression for value i of m; *exact when a hit is a match. */
static char *
expression(const struct ks_match *m, size_t i, bool *exact, unsigned *flags)
{
	struct ks_buf b;
	uint32_t opts = 0;

	ks_buf_init(&b);
	*flags = HS_FLAG_SINGLEMATCH | HS_FLAG_ALLOWEMPTY | HS_FLAG_DOTALL;
	*exact = false;
	if (m->mod == KS_MOD_RE) {
		ks_buf_adds(&b, m->re_src[i]);
		pcre2_pattern_info(m->re[i], PCRE2_INFO_ARGOPTIONS, &opts);
		*flags &= ~(unsigned)HS_FLAG_DOTALL;
		if (opts & PCRE2_CASELESS)
			*flags |= HS_FLAG_CASELESS;
	} else {
		const struct ks_lit *l = &m->lit[i];

		if (l->kind == KS_LIT_GLOB)
			glob_regex(&b, m->glob[i], m->glen[i]);
		else
			for (size_t j = 0; j < l->len; j++)
				add_byte(&b, (unsigned char)l->text[j]);
		*exact = l->kind == KS_LIT_CONTAINS;
		if (!m->cased)
			*flags |= HS_FLAG_CASELESS;
	}
	ks_buf_addc(&b, '\0');
	return b.p;
}

/* Whether Vectorscan takes expr alone with flags (prefiltering or not). */
static bool
compiles(const char *expr, unsigned flags)
{
	hs_database_t *db = NULL;
	hs_compile_error_t *ce = NULL;

	if (hs_compile(expr, flags, HS_MODE_BLOCK, NULL, &db, &ce) !=
	    HS_SUCCESS) {
		hs_free_compile_error(ce);
		return false;
	}
	hs_free_database(db);
	return true;
}

/*
 * A counted repeat of 100 or more ("x{200}", "{1024,}") in a regex:
 * Vectorscan runs those as large NFAs that slow every scan down, while
 * PCRE2 rejects a short line at once by its minimum length, so such a
 * regex is left to PCRE2.
 */
static bool
long_repeat(const char *re)
{
	for (const char *p = re; (p = strchr(p, '{')) != NULL; p++) {
		unsigned long n = 0;
		const char *q = p + 1;

		if (p > re && p[-1] == '\\')
			continue;
		for (; *q >= '0' && *q <= '9' && n < 100; q++)
			n = n * 10 + (unsigned long)(*q - '0');
		if (n >= 100)
			return true;
	}
	return false;
}

/* Gives m's message tests pattern ids (or -1: not prefiltered). */
static int
collect_match(struct ks_match *m, struct patlist *pl)
{
	if (m->field != KS_EF_MESSAGE || (m->mod != KS_MOD_GLOB &&
	    m->mod != KS_MOD_RE) || m->n == 0)
		return 0;
	if ((m->pf = malloc(m->n * sizeof(*m->pf))) == NULL)
		return -1;
	for (size_t i = 0; i < m->n; i++) {
		bool exact;
		unsigned flags;
		char *expr;

		m->pf[i] = -1;
		if (m->mod == KS_MOD_RE && (long_repeat(m->re_src[i]) ||
		    m->gate[i].nrange > 0))
			continue;
		if (pl->n == pl->cap && !patlist_grow(pl))
			return -1;
		if ((expr = expression(m, i, &exact, &flags)) == NULL)
			return -1;
		/* literals and globs always compile; regexes are tried */
		if (m->mod == KS_MOD_RE && !compiles(expr, flags)) {
			flags |= HS_FLAG_PREFILTER;
			exact = false;
			if (!compiles(expr, flags)) {
				free(expr);
				continue;
			}
		}
		pl->expr[pl->n] = expr;
		pl->flags[pl->n] = flags;
		pl->ids[pl->n] = (unsigned)pl->n;
		pl->exact[pl->n] = exact;
		m->pf[i] = (int)pl->n++;
	}
	return 0;
}

static int
collect(struct ks_ruleset *rs, struct patlist *pl)
{
	for (size_t r = 0; r < rs->nrules; r++) {
		struct ks_rule *rule = rs->rules[r];

		for (size_t s = 0; s < rule->nsels; s++)
			for (size_t k = 0; k < rule->sels[s].n; k++) {
				struct ks_map *mp = &rule->sels[s].maps[k];

				for (size_t j = 0; j < mp->n; j++)
					if (collect_match(&mp->m[j], pl) < 0)
						return -1;
			}
	}
	return 0;
}

int
ks_prefilter_build(struct ks_ruleset *rs, struct ks_err *err)
{
	struct patlist pl = { 0 };
	struct ks_prefilter *pf;
	hs_compile_error_t *ce = NULL;
	int rc = -1;

	if (collect(rs, &pl) < 0) {
		ks_err_set(err, "out of memory");
		goto out;
	}
	rc = 0;
	if (pl.n == 0)
		goto out;
	if ((pf = calloc(1, sizeof(*pf))) == NULL) {
		rc = ks_err_set(err, "out of memory");
		goto out;
	}
	if (hs_compile_multi((const char *const *)pl.expr, pl.flags, pl.ids,
	    (unsigned)pl.n, HS_MODE_BLOCK, NULL, &pf->db, &ce) != HS_SUCCESS) {
		rc = ks_err_set(err, "Vectorscan: %s", ce && ce->message ?
		    ce->message : "compile error");
		hs_free_compile_error(ce);
		free(pf);
		goto out;
	}
	pf->npat = pl.n;
	pf->exact = pl.exact;
	pl.exact = NULL;
	rs->pf = pf;
out:
	patlist_free(&pl);
	return rc;
}

void
ks_prefilter_free(struct ks_prefilter *pf)
{
	if (pf == NULL)
		return;
	hs_free_database(pf->db);
	free(pf->exact);
	free(pf);
}

/* ---- scanning ----------------------------------------------------------- */

int
ks_pfscan_init(struct ks_pfscan *ps, const struct ks_prefilter *pf,
    struct ks_err *err)
{
	memset(ps, 0, sizeof(*ps));
	ps->pf = pf;
	if (pf == NULL)
		return 0;
	if (hs_alloc_scratch(pf->db, &ps->scratch) != HS_SUCCESS)
		return ks_err_set(err, "Vectorscan: cannot allocate scratch");
	if ((ps->hit = calloc((pf->npat + 63) / 64, sizeof(*ps->hit))) ==
	    NULL) {
		hs_free_scratch(ps->scratch);
		ps->scratch = NULL;
		return ks_err_set(err, "out of memory");
	}
	return 0;
}

void
ks_pfscan_free(struct ks_pfscan *ps)
{
	if (ps->scratch != NULL)
		hs_free_scratch(ps->scratch);
	free(ps->hit);
	memset(ps, 0, sizeof(*ps));
}

static int
on_hit(unsigned id, unsigned long long from, unsigned long long to,
    unsigned flags, void *ctx)
{
	uint64_t *hit = ctx;

	(void)from;
	(void)to;
	(void)flags;
	hit[id / 64] |= (uint64_t)1 << (id % 64);
	return 0;
}

/* Scans the message once per event, on first need. */
static bool
scan(struct ks_pfscan *ps, struct ks_str msg)
{
	if (ps->scanned)
		return ps->ok;
	memset(ps->hit, 0, (ps->pf->npat + 63) / 64 * sizeof(*ps->hit));
	ps->ok = msg.n <= UINT32_MAX && hs_scan(ps->pf->db,
	    msg.p ? msg.p : "", (unsigned)msg.n, 0, ps->scratch, on_hit,
	    ps->hit) == HS_SUCCESS;
	ps->scanned = true;
	return ps->ok;
}

void
ks_pfscan_next(struct ks_pfscan *ps)
{
	ps->scanned = false;
}

int
ks_pfscan_test(struct ks_pfscan *ps, int id, struct ks_str msg)
{
	if (ps == NULL || ps->pf == NULL || id < 0 || !scan(ps, msg))
		return -1;
	if (!(ps->hit[id / 64] & ((uint64_t)1 << (id % 64))))
		return 0;
	return ps->pf->exact[id] ? 1 : -1;
}
