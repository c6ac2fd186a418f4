/*
 * gate.c - what a subject must hold for a regular expression to match,
 * tested in one vector pass before PCRE2 is asked.
 *
 * PCRE2 knows, for most patterns, the least length of a match and the
 * bytes a match can start with.  The overflow rule's runs of ^X, #ooo,
 * %x or control bytes start with bytes an ordinary line does not hold,
 * and are tested on every daemon line: the test must cost next to
 * nothing when it fails.  The start bytes are kept as a few ranges (a
 * run of adjacent bytes is one; beyond KS_GATE_RANGES the closest ranges
 * are joined, which only lets more subjects through) and the subject is
 * compared with all of them sixteen bytes at a time, always KS_GATE_RANGES
 * comparisons (a gate with fewer ranges repeats its first), so that the
 * loop is unrolled with every range in a register, or, when every range
 * is a single byte ('%', a letter in both cases), searched with memchr.
 * A gate that lets a subject through proves nothing; one that stops it
 * proves there is no match.
 *
 * A selection that lists several regexes on one field (the overflow
 * rule's five kinds of garbage) is asked once, through the union of its
 * regexes' gates (struct ks_selgate), instead of a pass for each.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detect/detect_int.h"

/* A range of bytes while the gate is made. */
struct range {
	unsigned lo, hi;
};

/* Appends [lo, hi] to the n ranges at r, joining the closest two if full. */
static void
range_add(struct range *r, size_t *n, unsigned lo, unsigned hi)
{
	size_t i, best = 0;
	unsigned best_gap = UINT32_MAX;

	if (*n == KS_GATE_RANGES) {
		for (i = 0; i + 1 < *n; i++)
			if (r[i + 1].lo - r[i].hi < best_gap) {
				best_gap = r[i + 1].lo - r[i].hi;
				best = i;
			}
		r[best].hi = r[best + 1].hi;
		memmove(&r[best + 1], &r[best + 2],
		    (*n - best - 2) * sizeof(*r));
		(*n)--;
	}
	r[(*n)++] = (struct range){ lo, hi };
}

/* Adds g's ranges to set (a superset of its start bytes when joined). */
static void
set_add_gate(uint8_t set[256], const struct ks_gate *g)
{
	for (size_t r = 0; r < g->nrange; r++)
		for (unsigned c = g->lo[r][0]; c <= g->lo[r][0] +
		    (unsigned)g->span[r][0]; c++)
			set[c] = 1;
}

/* Turns the set of start bytes into ascending ranges in g. */
static void
ranges_from_set(struct ks_gate *g, const uint8_t set[256])
{
	struct range r[KS_GATE_RANGES];
	size_t n = 0;

	for (unsigned c = 0; c < 256; c++) {
		unsigned hi = c;

		if (!set[c])
			continue;
		while (hi + 1 < 256 && set[hi + 1])
			hi++;
		range_add(r, &n, c, hi);
		c = hi;
	}
	/* a full set stops nothing: no gate */
	if (n == 1 && r[0].lo == 0 && r[0].hi == 255)
		return;
	g->pad = (uint8_t)(r[0].lo > 0 ? 0 : r[0].hi + 1);
	g->single = true;
	for (size_t i = 0; i < n; i++)
		g->single = g->single && r[i].hi == r[i].lo;
	g->nrange = (uint8_t)n;
	/* every vector test is made, the unused ones a repeat of the first */
	for (size_t i = 0; i < KS_GATE_RANGES; i++) {
		const struct range *x = &r[i < n ? i : 0];

		g->lo[i] = (ks_v16){ 0 } + (uint8_t)x->lo;
		g->span[i] = (ks_v16){ 0 } + (uint8_t)(x->hi - x->lo);
	}
}

void
ks_gate_compile(struct ks_gate *g, const pcre2_code *re)
{
	const uint8_t *map = NULL;
	uint32_t type = 0, unit = 0, len = 0;
	uint8_t set[256] = { 0 };
	bool any = false;

	memset(g, 0, sizeof(*g));
	if (pcre2_pattern_info(re, PCRE2_INFO_MINLENGTH, &len) == 0)
		g->minlen = len;
	if (pcre2_pattern_info(re, PCRE2_INFO_FIRSTCODETYPE, &type) != 0)
		return;
	if (type == 1 &&
	    pcre2_pattern_info(re, PCRE2_INFO_FIRSTCODEUNIT, &unit) == 0 &&
	    unit < 256) {
		set[unit] = 1;
		/* a caseless first letter ((?i) too) is reported in one case */
		if ((unit | 0x20) >= 'a' && (unit | 0x20) <= 'z')
			set[unit ^ 0x20] = 1;
		any = true;
	} else if (type == 0 &&
	    pcre2_pattern_info(re, PCRE2_INFO_FIRSTBITMAP, &map) == 0 &&
	    map != NULL)
		for (unsigned c = 0; c < 256; c++)
			if (map[c / 8] & (1u << (c % 8))) {
				set[c] = 1;
				any = true;
			}
	if (any)
		ranges_from_set(g, set);
}

_Static_assert(KS_GATE_RANGES == 4, "block_hits tests four ranges");

/* Whether any of the sixteen bytes at p lies in one of g's ranges. */
static inline bool
block_hits(const struct ks_gate *g, const char *p)
{
	ks_v16 x, hit;
	uint64_t w[2];

	memcpy(&x, p, sizeof(x));
	hit = (ks_v16)(x - g->lo[0] <= g->span[0]) |
	    (ks_v16)(x - g->lo[1] <= g->span[1]) |
	    (ks_v16)(x - g->lo[2] <= g->span[2]) |
	    (ks_v16)(x - g->lo[3] <= g->span[3]);
	memcpy(w, &hit, sizeof(w));
	return (w[0] | w[1]) != 0;
}

bool
ks_gate_open(const struct ks_gate *g, struct ks_str v)
{
	size_t i = 0;

	if (v.n < g->minlen)
		return false;
	if (g->nrange == 0)
		return true;
	/* a byte or two: the C library's memchr is the fastest search */
	if (g->single) {
		for (size_t r = 0; r < g->nrange; r++)
			if (memchr(v.p, g->lo[r][0], v.n) != NULL)
				return true;
		return false;
	}
	if (v.n < sizeof(ks_v16)) {
		char tail[sizeof(ks_v16)];

		memset(tail, g->pad, sizeof(tail));
		memcpy(tail, v.p, v.n);
		return block_hits(g, tail);
	}
	for (; i + sizeof(ks_v16) <= v.n; i += sizeof(ks_v16))
		if (block_hits(g, v.p + i))
			return true;
	/* the last bytes in a block that overlaps the one before */
	return i < v.n && block_hits(g, v.p + v.n - sizeof(ks_v16));
}

/* The regex test a map is made of alone, or NULL. */
static const struct ks_match *
lone_regex(const struct ks_map *m)
{
	if (m->n != 1 || m->m[0].mod != KS_MOD_RE || m->m[0].all)
		return NULL;
	return &m->m[0];
}

int
ks_selgate_make(struct ks_sel *s)
{
	struct ks_selgate *sg;
	uint8_t set[256] = { 0 };
	const struct ks_match *m;

	s->gate = NULL;
	if (s->n < 2 || (m = lone_regex(&s->maps[0])) == NULL)
		return 0;
	if ((sg = malloc(sizeof(*sg))) == NULL)
		return -1;
	memset(sg, 0, sizeof(*sg));
	sg->field = m->field;
	sg->any_min = SIZE_MAX;
	sg->bytes.minlen = SIZE_MAX;
	for (size_t i = 0; i < s->n; i++) {
		if ((m = lone_regex(&s->maps[i])) == NULL ||
		    m->field != sg->field) {
			free(sg);
			return 0;
		}
		for (size_t k = 0; k < m->n; k++) {
			const struct ks_gate *g = &m->gate[k];

			if (g->nrange == 0) {
				if (g->minlen < sg->any_min)
					sg->any_min = g->minlen;
				continue;
			}
			set_add_gate(set, g);
			if (g->minlen < sg->bytes.minlen)
				sg->bytes.minlen = g->minlen;
		}
	}
	ranges_from_set(&sg->bytes, set);
	/* every byte may start a match: only the length tells */
	if (sg->bytes.nrange == 0 && sg->bytes.minlen < sg->any_min)
		sg->any_min = sg->bytes.minlen;
	s->gate = sg;
	return 0;
}

bool
ks_selgate_open(const struct ks_selgate *sg, struct ks_str v)
{
	return v.n >= sg->any_min ||
	    (sg->bytes.nrange > 0 && ks_gate_open(&sg->bytes, v));
}
