/*
 * geo.c - look-ups in the IPFire location database through libloc, with a
 * cache in front.
 *
 * libloc answers one look-up in some 20 microseconds (it walks a tree in
 * the mapped file and allocates a network object each time), which would
 * make attribution the slowest stage of `kansatsu logs` on a big file.
 * Logs repeat their addresses, so a direct-mapped cache of answers keyed
 * by the 16-byte address takes nearly all look-ups: it is bounded
 * (KS_GEO_SETS sets of KS_GEO_WAYS entries, some 7 MB, a new answer
 * replacing the oldest of its set) and needs no eviction list.  AS and country names are interned once each,
 * so a cached answer holds pointers, not copies; the interned set is
 * bounded by what the database holds.
 *
 * libloc logs to stderr by default: a silent log function is installed,
 * because below src/cli nothing prints.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libloc/libloc.h>
#include <libloc/as.h>
#include <libloc/country.h>
#include <libloc/database.h>
#include <libloc/network.h>

#include "geo/geo.h"

#define KS_GEO_SETS 16384       /* a power of two */
#define KS_GEO_WAYS 4

struct slot {
	struct in6_addr a;
	bool used;
	struct ks_geo_info info;
};

struct set {
	struct slot s[KS_GEO_WAYS];
	uint8_t next;           /* the oldest slot: replaced next */
};

/* An interned name: key is an AS number, or a country code packed. */
struct name {
	uint32_t key;
	char *s;                /* NULL: free slot */
};

struct names {
	struct name *v;
	size_t cap, n;
};

struct ks_geo {
	struct loc_ctx *ctx;
	struct loc_database *db;
	struct set *cache;
	struct names as, countries;
	uint64_t hits, misses;
};

static void
silent_log(struct loc_ctx *ctx, int priority, const char *file, int line,
    const char *fn, const char *format, va_list args)
{
	(void)ctx; (void)priority; (void)file; (void)line; (void)fn;
	(void)format; (void)args;
}

int
ks_geo_open(struct ks_geo **out, const char *path, struct ks_err *err)
{
	struct ks_geo *g;
	FILE *f;

	*out = NULL;
	if (path == NULL)
		path = KS_GEO_DEFAULT_DB;
	if ((f = fopen(path, "re")) == NULL)
		return ks_err_set(err, "no location database at %s (%s): "
		    "addresses are not attributed", path, strerror(errno));
	if ((g = calloc(1, sizeof(*g))) == NULL ||
	    (g->cache = calloc(KS_GEO_SETS, sizeof(*g->cache))) == NULL) {
		fclose(f);
		ks_geo_close(g);
		return ks_err_set(err, "out of memory");
	}
	if (loc_new(&g->ctx) != 0) {
		fclose(f);
		ks_geo_close(g);
		return ks_err_set(err, "libloc could not start: addresses are "
		    "not attributed");
	}
	loc_set_log_fn(g->ctx, silent_log);
	if (loc_database_new(g->ctx, &g->db, f) != 0) {
		fclose(f);
		ks_geo_close(g);
		return ks_err_set(err, "%s is not a location database: "
		    "addresses are not attributed", path);
	}
	fclose(f);
	*out = g;
	return 0;
}

static void
names_free(struct names *t)
{
	for (size_t i = 0; i < t->cap; i++)
		free(t->v[i].s);
	free(t->v);
}

void
ks_geo_close(struct ks_geo *g)
{
	if (g == NULL)
		return;
	if (g->db != NULL)
		loc_database_unref(g->db);
	if (g->ctx != NULL)
		loc_unref(g->ctx);
	names_free(&g->as);
	names_free(&g->countries);
	free(g->cache);
	free(g);
}

int64_t
ks_geo_created(const struct ks_geo *g)
{
	return (int64_t)loc_database_created_at(g->db);
}

void
ks_geo_stats(const struct ks_geo *g, uint64_t *hits, uint64_t *misses)
{
	*hits = g != NULL ? g->hits : 0;
	*misses = g != NULL ? g->misses : 0;
}

static size_t
name_slot(const struct names *t, uint32_t key)
{
	size_t i = (size_t)(key * 2654435761u) & (t->cap - 1);

	while (t->v[i].s != NULL && t->v[i].key != key)
		i = (i + 1) & (t->cap - 1);
	return i;
}

static bool
names_grow(struct names *t)
{
	struct names old = *t;

	t->cap = old.cap ? old.cap * 2 : 64;
	if ((t->v = calloc(t->cap, sizeof(*t->v))) == NULL) {
		*t = old;
		return false;
	}
	for (size_t i = 0; i < old.cap; i++)
		if (old.v[i].s != NULL)
			t->v[name_slot(t, old.v[i].key)] = old.v[i];
	free(old.v);
	return true;
}

/* The interned copy of s under key; "" when out of memory. */
static const char *
intern(struct names *t, uint32_t key, const char *s)
{
	size_t i;

	if ((t->n + 1) * 2 > t->cap && !names_grow(t))
		return "";
	i = name_slot(t, key);
	if (t->v[i].s == NULL) {
		if ((t->v[i].s = strdup(s != NULL ? s : "")) == NULL)
			return "";
		t->v[i].key = key;
		t->n++;
	}
	return t->v[i].s;
}

static const char *
as_name(struct ks_geo *g, uint32_t asn)
{
	struct loc_as *as = NULL;
	const char *s;
	size_t i;

	if (g->as.cap > 0 && g->as.v[i = name_slot(&g->as, asn)].s != NULL)
		return g->as.v[i].s;
	if (loc_database_get_as(g->db, &as, asn) != 0 || as == NULL)
		return intern(&g->as, asn, "");
	s = intern(&g->as, asn, loc_as_get_name(as));
	loc_as_unref(as);
	return s;
}

static const char *
country_name(struct ks_geo *g, const char *cc)
{
	struct loc_country *c = NULL;
	uint32_t key = (uint32_t)(unsigned char)cc[0] << 8 |
	    (unsigned char)cc[1];
	const char *s;
	size_t i;

	if (g->countries.cap > 0 &&
	    g->countries.v[i = name_slot(&g->countries, key)].s != NULL)
		return g->countries.v[i].s;
	if (loc_database_get_country(g->db, &c, cc) != 0 || c == NULL)
		return intern(&g->countries, key, "");
	s = intern(&g->countries, key, loc_country_get_name(c));
	loc_country_unref(c);
	return s;
}

static void
ask_libloc(struct ks_geo *g, const struct in6_addr *a, struct ks_geo_info *o)
{
	struct loc_network *net = NULL;
	const char *cc, *cidr;

	if (loc_database_lookup(g->db, a, &net) != 0 || net == NULL)
		return;
	o->found = true;
	cc = loc_network_get_country_code(net);
	if (cc != NULL && strlen(cc) == 2) {
		memcpy(o->cc, cc, 3);
		o->country = country_name(g, cc);
	}
	if ((o->asn = loc_network_get_asn(net)) != 0)
		o->as_name = as_name(g, o->asn);
	if ((cidr = loc_network_str(net)) != NULL)
		snprintf(o->cidr, sizeof(o->cidr), "%s", cidr);
	o->flags = (loc_network_has_flag(net, LOC_NETWORK_FLAG_ANONYMOUS_PROXY) ?
	    KS_GEO_ANONYMOUS_PROXY : 0) |
	    (loc_network_has_flag(net, LOC_NETWORK_FLAG_SATELLITE_PROVIDER) ?
	    KS_GEO_SATELLITE : 0) |
	    (loc_network_has_flag(net, LOC_NETWORK_FLAG_ANYCAST) ?
	    KS_GEO_ANYCAST : 0) |
	    (loc_network_has_flag(net, LOC_NETWORK_FLAG_DROP) ? KS_GEO_DROP : 0);
	loc_network_unref(net);
}

static size_t
cache_set(const struct in6_addr *a)
{
	uint64_t hi, lo;

	memcpy(&hi, a->s6_addr, 8);
	memcpy(&lo, a->s6_addr + 8, 8);
	lo ^= hi * 0x9e3779b97f4a7c15ULL;
	lo *= 0xff51afd7ed558ccdULL;
	return (size_t)(lo >> 32) & (KS_GEO_SETS - 1);
}

bool
ks_geo_lookup_addr(struct ks_geo *g, const struct in6_addr *a,
    struct ks_geo_info *out)
{
	struct set *set;
	struct slot *s;

	memset(out, 0, sizeof(*out));
	out->country = out->as_name = "";
	if ((out->scope = ks_geo_scope_of(a)) != KS_SCOPE_GLOBAL || g == NULL)
		return true;
	set = &g->cache[cache_set(a)];
	for (int i = 0; i < KS_GEO_WAYS; i++) {
		s = &set->s[i];
		if (s->used && memcmp(&s->a, a, sizeof(*a)) == 0) {
			g->hits++;
			*out = s->info;
			return true;
		}
	}
	g->misses++;
	ask_libloc(g, a, out);
	s = &set->s[set->next];
	set->next = (uint8_t)((set->next + 1) % KS_GEO_WAYS);
	s->a = *a;
	s->used = true;
	s->info = *out;
	return true;
}

bool
ks_geo_lookup(struct ks_geo *g, const char *s, struct ks_geo_info *out)
{
	struct in6_addr a;

	memset(out, 0, sizeof(*out));
	out->country = out->as_name = "";
	if (!ks_geo_parse(s, &a))
		return false;
	return ks_geo_lookup_addr(g, &a, out);
}
