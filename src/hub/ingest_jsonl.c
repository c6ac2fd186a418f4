/*
 * ingest_jsonl.c - findings JSONL read line by line with yajl's event
 * parser: the hot path of `hub ingest`, where a DOM (jansson) spent a
 * malloc on every value of a million-line file to keep sixteen of them.
 *
 * Events are matched against the dotted names of ks_hub_ffs the way
 * ks_hub_jget looks them up (a flat key "source.ip" before a nested
 * source.ip), and only those values are copied, into one text buffer the
 * reader owns.  yajl's own allocations go to a pool reset every line.
 * Lines are written by attackers, so memory is bounded by the line (at
 * most KS_HUB_LINE_MAX, nesting at most KS_HUB_DEPTH_MAX), and a line is
 * accepted exactly when jansson would accept it: keys unique in their
 * object, strict UTF-8, \u escapes that are whole characters and not
 * NUL, numbers in range.  yajl is looser on the last three, so lines
 * with escapes or bytes past ASCII are checked once more here.
 */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "hub/hub_int.h"

/* yajl's memory of one line: a handle, its stacks and buffers. */
#define POOL_SIZE 16384

/* What a member holds: nothing yet, text, an integer, anything else. */
enum got_type { GOT_NONE, GOT_TEXT, GOT_INT, GOT_OTHER };

struct got {
	enum got_type type;
	unsigned rank;           /* the objects entered to reach it: the
	                            fewest wins, as in ks_hub_jget */
	size_t off;              /* text: where in p->text */
	int64_t v;               /* integer */
};

/* The place of an object among the dotted names: a prefix of one. */
struct node {
	int f;                   /* a member whose name has the prefix;
	                            -1: no name goes on below this object */
	unsigned len;            /* the prefix's length ("source." 7) */
	unsigned rank;
};

/* A key seen in an object of this line (generation gen), for duplicates. */
struct seen {
	uint32_t gen, obj;
	uint32_t off, len;       /* the key in p->text */
};

struct ks_hub_jsonl {
	locale_t c_locale;       /* numbers are read in the C locale */
	size_t namelen[KS_FF_N]; /* of ks_hub_ffs[].name */
	/* the line */
	yajl_handle y;
	size_t top_end;          /* where the top-level value ended */
	struct node frame[KS_HUB_DEPTH_MAX + 1];
	uint32_t obj[KS_HUB_DEPTH_MAX + 1];
	unsigned depth;
	uint32_t nobj;
	int key_f;               /* the member the last key named, or -1 */
	struct node key_node;    /* the object the last key leads into */
	bool top_object;
	bool oom;
	struct got got[KS_FF_N];
	/* copies of keys and values, and numbers to read */
	char *text;
	size_t textlen, textcap;
	/* the keys of the line: open addressing, stale generations empty */
	struct seen *seen;
	size_t nseen, capseen;
	uint32_t gen;
	struct ks_hash_key hk;
	/* yajl's memory */
	size_t pool_used;
	_Alignas(16) unsigned char pool[POOL_SIZE];
};

/* ---- yajl's allocator: the pool, the heap for what does not fit ------------ */

/* Before each block: its size, so that realloc can copy it. */
#define HDR 16

static bool
in_pool(const struct ks_hub_jsonl *p, const void *ptr)
{
	const unsigned char *c = ptr;

	return c >= p->pool && c < p->pool + POOL_SIZE;
}

static void *
pool_malloc(void *ctx, size_t n)
{
	struct ks_hub_jsonl *p = ctx;
	size_t need = HDR + ((n + 15) & ~(size_t)15);
	unsigned char *b;

	if (n <= POOL_SIZE && POOL_SIZE - p->pool_used >= need) {
		b = p->pool + p->pool_used;
		p->pool_used += need;
	} else if ((b = malloc(HDR + n)) == NULL) {
		return NULL;
	}
	memcpy(b, &n, sizeof(n));
	return b + HDR;
}

static void
pool_free(void *ctx, void *ptr)
{
	if (ptr != NULL && !in_pool(ctx, ptr))
		free((unsigned char *)ptr - HDR);
}

static void *
pool_realloc(void *ctx, void *ptr, size_t n)
{
	size_t old;
	void *d;

	if (ptr == NULL)
		return pool_malloc(ctx, n);
	memcpy(&old, (unsigned char *)ptr - HDR, sizeof(old));
	if ((d = pool_malloc(ctx, n)) == NULL)
		return NULL;
	memcpy(d, ptr, old < n ? old : n);
	pool_free(ctx, ptr);
	return d;
}

/* ---- text: the copies, as offsets (the buffer may move) --------------------- */

static bool
text_add(struct ks_hub_jsonl *p, const void *s, size_t n, size_t *off)
{
	char *t;
	size_t cap;

	if (p->textcap - p->textlen <= n) {
		cap = p->textcap ? p->textcap : 4096;
		while (cap - p->textlen <= n)
			cap *= 2;
		if ((t = realloc(p->text, cap)) == NULL) {
			p->oom = true;
			return false;
		}
		p->text = t;
		p->textcap = cap;
	}
	*off = p->textlen;
	memcpy(p->text + p->textlen, s, n);
	p->text[p->textlen + n] = '\0';
	p->textlen += n + 1;
	return true;
}

/* ---- duplicate keys ---------------------------------------------------------- */

/*
 * Keys are the attacker's, up to a megabyte of them on a line: hashed
 * with the reader's SipHash key (ks_hash), so that no line can be made
 * of keys that all collide.
 */
static uint32_t
key_hash(const struct ks_hub_jsonl *p, uint32_t obj, const unsigned char *k,
    size_t n)
{
	return (uint32_t)ks_hash(&p->hk, (const char *)k, n) ^
	    obj * 2654435761u;
}

static bool
seen_grow(struct ks_hub_jsonl *p)
{
	size_t cap = p->capseen ? p->capseen * 2 : 256;
	struct seen *v = calloc(cap, sizeof(*v)), *old = p->seen;

	if (v == NULL)
		return false;
	for (size_t i = 0; i < p->capseen; i++) {
		size_t j;

		if (old[i].gen != p->gen)
			continue;
		j = key_hash(p, old[i].obj, (const unsigned char *)p->text +
		    old[i].off, old[i].len) & (cap - 1);
		while (v[j].gen == p->gen)
			j = (j + 1) & (cap - 1);
		v[j] = old[i];
	}
	free(old);
	p->seen = v;
	p->capseen = cap;
	return true;
}

/* False for a key already in the current object (or out of memory). */
static bool
key_new(struct ks_hub_jsonl *p, const unsigned char *k, size_t n)
{
	uint32_t obj = p->obj[p->depth];
	size_t j, off;

	if ((p->nseen + 1) * 2 > p->capseen && !seen_grow(p)) {
		p->oom = true;
		return false;
	}
	j = key_hash(p, obj, k, n) & (p->capseen - 1);
	for (; p->seen[j].gen == p->gen; j = (j + 1) & (p->capseen - 1))
		if (p->seen[j].obj == obj && p->seen[j].len == n &&
		    memcmp(p->text + p->seen[j].off, k, n) == 0)
			return false;
	if (!text_add(p, k, n, &off))
		return false;
	p->seen[j] = (struct seen){ p->gen, obj, (uint32_t)off, (uint32_t)n };
	p->nseen++;
	return true;
}

/* ---- matching keys to the names ------------------------------------------------ */

static const struct node no_node = { -1, 0, 0 };

/*
 * The key k inside the object at node: the member it names there
 * (*f), and the object below it that names still go on into (*below).
 * Called for every key of every line: names are told apart by their
 * lengths and first letters before any bytes are compared.
 */
static void
match_key(const struct ks_hub_jsonl *p, const struct node *at,
    const char *k, size_t n, int *f, struct node *below)
{
	char first = n > 0 ? k[0] : '\0';

	*f = -1;
	*below = no_node;
	if (at->f < 0)
		return;
	for (int i = 0; i < KS_FF_N; i++) {
		const char *name = ks_hub_ffs[i].name, *rest = name + at->len;

		if (p->namelen[i] < at->len + n || rest[0] != first ||
		    memcmp(rest, k, n) != 0 || (at->len > 0 &&
		    memcmp(name, ks_hub_ffs[at->f].name, at->len) != 0))
			continue;
		if (p->namelen[i] == at->len + n)
			*f = i;
		else if (rest[n] == '.' && memchr(k, '.', n) == NULL)
			*below = (struct node){ i, at->len + (unsigned)n + 1,
			    at->rank + 1 };
	}
}

/* A value for the member the last key named (if any). */
static void
got(struct ks_hub_jsonl *p, enum got_type type, size_t off, int64_t v)
{
	struct got *g;

	if (p->key_f < 0)
		return;
	g = &p->got[p->key_f];
	if (g->type == GOT_NONE || p->frame[p->depth].rank < g->rank)
		*g = (struct got){ type, p->frame[p->depth].rank, off, v };
	p->key_f = -1;
}

/* ---- yajl's events ----------------------------------------------------------------- */

/* A scalar one level below the open containers: jansson counts it too. */
static int
scalar_ok(struct ks_hub_jsonl *p)
{
	return p->depth + 1 <= KS_HUB_DEPTH_MAX;
}

static int
on_null(void *ctx)
{
	struct ks_hub_jsonl *p = ctx;

	got(p, GOT_OTHER, 0, 0);
	return scalar_ok(p);
}

static int
on_boolean(void *ctx, int v)
{
	(void)v;
	return on_null(ctx);
}

/*
 * A number as jansson reads it: an integer (no fraction, no exponent)
 * within 64 bits, else a real that does not overflow.
 */
static int
on_number(void *ctx, const char *s, size_t n)
{
	struct ks_hub_jsonl *p = ctx;
	size_t off;
	char *end;
	long long i;
	double d;
	int ok;

	if (!scalar_ok(p) || !text_add(p, s, n, &off))
		return 0;
	errno = 0;
	if (memchr(s, '.', n) == NULL && memchr(s, 'e', n) == NULL &&
	    memchr(s, 'E', n) == NULL) {
		i = strtoll(p->text + off, &end, 10);
		ok = errno != ERANGE;
		got(p, GOT_INT, 0, i);
	} else {
		d = strtod_l(p->text + off, &end, p->c_locale);
		ok = !(errno == ERANGE && isinf(d));
		got(p, GOT_OTHER, 0, 0);
	}
	/* the number's copy is not kept */
	p->textlen = off;
	return ok;
}

static int
on_string(void *ctx, const unsigned char *s, size_t n)
{
	struct ks_hub_jsonl *p = ctx;
	size_t off;

	if (!scalar_ok(p))
		return 0;
	if (p->key_f >= 0) {
		if (!text_add(p, s, n, &off))
			return 0;
		got(p, GOT_TEXT, off, 0);
	}
	return 1;
}

/* Opens an object or an array at the node the last key led into. */
static int
open_container(struct ks_hub_jsonl *p, bool object)
{
	struct node at = p->depth == 0 ? (struct node){ 0, 0, 0 } :
	    p->key_node;

	if (p->depth + 1 > KS_HUB_DEPTH_MAX)
		return 0;
	got(p, GOT_OTHER, 0, 0);
	if (p->depth == 0)
		p->top_object = object;
	p->depth++;
	p->frame[p->depth] = object ? at : no_node;
	p->obj[p->depth] = p->nobj++;
	p->key_node = no_node;
	return 1;
}

static int
on_start_map(void *ctx)
{
	return open_container(ctx, true);
}

static int
on_start_array(void *ctx)
{
	return open_container(ctx, false);
}

static int
on_end(void *ctx)
{
	struct ks_hub_jsonl *p = ctx;

	if (--p->depth == 0)
		p->top_end = yajl_get_bytes_consumed(p->y);
	p->key_f = -1;
	p->key_node = no_node;
	return 1;
}

static int
on_map_key(void *ctx, const unsigned char *k, size_t n)
{
	struct ks_hub_jsonl *p = ctx;

	if (!key_new(p, k, n))
		return 0;
	match_key(p, &p->frame[p->depth], (const char *)k, n, &p->key_f,
	    &p->key_node);
	return 1;
}

static const yajl_callbacks callbacks = {
	.yajl_null = on_null,
	.yajl_boolean = on_boolean,
	.yajl_number = on_number,
	.yajl_string = on_string,
	.yajl_start_map = on_start_map,
	.yajl_map_key = on_map_key,
	.yajl_end_map = on_end,
	.yajl_start_array = on_start_array,
	.yajl_end_array = on_end,
};

/* ---- what jansson refuses and yajl does not ------------------------------------- */

/* The 4 hex digits after "\u" at s (of n bytes), or -1. */
static long
hex4(const unsigned char *s, size_t n)
{
	long v = 0;

	if (n < 6 || s[0] != '\\' || s[1] != 'u')
		return -1;
	for (int i = 2; i < 6; i++) {
		int c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v |= (c | 0x20) - 'a' + 10;
		else
			return -1;
	}
	return v;
}

/*
 * False when the line has what jansson refuses in a string (invalid
 * UTF-8, \u0000, a surrogate not in a pair) or a vertical tab or form
 * feed (white space to yajl, not to JSON).  Strings are told apart well
 * enough: where this misreads, the line is no JSON and yajl refuses it.
 */
static bool
strict(const unsigned char *s, size_t n)
{
	bool in = false;
	size_t i = 0, len;
	long v, w;

	while (i < n) {
		if (s[i] == '\v' || s[i] == '\f')
			return false;
		if (!in || s[i] == '"') {
			/* a quote opens a string outside one, closes one inside */
			in = !in && s[i] == '"';
			i++;
		} else if (s[i] == '\\' && i + 1 < n && s[i + 1] == 'u') {
			if ((v = hex4(s + i, n - i)) <= 0 ||
			    (v >= 0xdc00 && v <= 0xdfff))
				return false;
			i += 6;
			if (v >= 0xd800 && v <= 0xdbff) {
				w = hex4(s + i, n - i);
				if (w < 0xdc00 || w > 0xdfff)
					return false;
				i += 6;
			}
		} else if (s[i] == '\\') {
			i += 2;
		} else {
			if ((len = ks_utf8_seq(s + i, n - i)) == 0)
				return false;
			i += len;
		}
	}
	return true;
}

/* Eight bytes of b each. */
#define BYTES8(b) ((uint64_t)(b) * 0x0101010101010101ull)

/* True when some byte of w is zero. */
static bool
has_zero(uint64_t w)
{
	return ((w - BYTES8(1)) & ~w & BYTES8(0x80)) != 0;
}

/*
 * True when the line needs strict(): escapes, bytes past ASCII, VT, FF.
 * Eight bytes at a time: every line is scanned, few need it.
 */
static bool
needs_strict(const unsigned char *s, size_t n)
{
	size_t i = 0;
	uint64_t w;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		if ((w & BYTES8(0x80)) != 0 || has_zero(w ^ BYTES8('\\')) ||
		    has_zero(w ^ BYTES8('\v')) || has_zero(w ^ BYTES8('\f')))
			return true;
	}
	for (; i < n; i++)
		if (s[i] >= 0x80 || s[i] == '\\' || s[i] == '\v' ||
		    s[i] == '\f')
			return true;
	return false;
}

/*
 * True for JSON's white space alone.  yajl ends a line well that ends
 * in an unfinished string after the value: it waits for the rest of it.
 */
static bool
only_space(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return false;
	return true;
}

/* ---- the reader ---------------------------------------------------------------------- */

int
ks_hub_jsonl_new(struct ks_hub_jsonl **out)
{
	struct ks_hub_jsonl *p;

	*out = NULL;
	if ((p = malloc(sizeof(*p))) == NULL)
		return -1;
	memset(p, 0, offsetof(struct ks_hub_jsonl, pool));
	for (int i = 0; i < KS_FF_N; i++)
		p->namelen[i] = strlen(ks_hub_ffs[i].name);
	ks_hash_key_init(&p->hk);
	if ((p->c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0)) ==
	    (locale_t)0) {
		free(p);
		return -1;
	}
	*out = p;
	return 0;
}

void
ks_hub_jsonl_free(struct ks_hub_jsonl *p)
{
	if (p == NULL)
		return;
	freelocale(p->c_locale);
	free(p->text);
	free(p->seen);
	free(p);
}

/* The members found, into f. */
static void
fields(struct ks_hub_jsonl *p, struct ks_hub_fields *f)
{
	memset(f, 0, sizeof(*f));
	for (int i = 0; i < KS_FF_N; i++) {
		const struct got *g = &p->got[i];
		enum ks_hub_ff_type t = ks_hub_ffs[i].type;

		if (g->type == GOT_TEXT && t != KS_FF_INT) {
			f->s[i] = p->text + g->off;
		} else if (g->type == GOT_INT && t == KS_FF_TEXT_OR_INT) {
			snprintf(f->num, sizeof(f->num), "%lld",
			    (long long)g->v);
			f->s[i] = f->num;
		} else if (g->type == GOT_INT && t == KS_FF_INT) {
			f->has_count = true;
			f->count = g->v;
		}
	}
}

int
ks_hub_jsonl_read(struct ks_hub_jsonl *p, const char *line, size_t n,
    struct ks_hub_fields *f)
{
	const unsigned char *s = (const unsigned char *)line;
	yajl_alloc_funcs af = { pool_malloc, pool_realloc, pool_free, p };
	bool ok;

	if (n > KS_HUB_LINE_MAX || (needs_strict(s, n) && !strict(s, n)))
		return 0;
	p->depth = 0;
	p->nobj = 0;
	p->key_f = -1;
	p->key_node = no_node;
	p->top_object = false;
	p->top_end = n;
	p->oom = false;
	p->textlen = 0;
	p->nseen = 0;
	p->pool_used = 0;
	/* a new generation empties the table of keys; at the wrap, really */
	if (++p->gen == 0) {
		if (p->seen != NULL)
			memset(p->seen, 0, p->capseen * sizeof(*p->seen));
		p->gen = 1;
	}
	memset(p->got, 0, sizeof(p->got));
	if ((p->y = yajl_alloc(&callbacks, &af, p)) == NULL)
		return -1;
	ok = yajl_parse(p->y, s, n) == yajl_status_ok &&
	    yajl_complete_parse(p->y) == yajl_status_ok;
	yajl_free(p->y);
	p->y = NULL;
	if (p->oom)
		return -1;
	if (!ok || !p->top_object || !only_space(s + p->top_end,
	    n - p->top_end))
		return 0;
	fields(p, f);
	return 1;
}
