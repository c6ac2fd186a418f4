/*
 * detect_int.h - the compiled form of a Sigma rule, shared by the loader
 * (sigma.c), the condition parser (cond.c) and the matcher (match.c).
 */
#ifndef KS_DETECT_INT_H
#define KS_DETECT_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "detect/detect.h"

/* Event fields that are not decoded fields: after the KS_F_* range. */
enum {
	KS_EF_MESSAGE = KS_F_COUNT,
	KS_EF_PROCESS_NAME,
	KS_EF_PROCESS_PID,
	KS_EF_HOST_NAME,
	KS_EF_LOG_PATH,
	KS_EF_COUNT
};

enum ks_mod {
	KS_MOD_GLOB,        /* plain value, contains, startswith, endswith */
	KS_MOD_RE,
	KS_MOD_CIDR,
	KS_MOD_NULL,        /* the field is absent */
};

/*
 * Most Sigma values are plain strings, prefixes, suffixes or substrings
 * once the affixes are applied: those are matched as literals (a length
 * check and one compare), and only the rest through the glob matcher.
 */
enum ks_lit_kind { KS_LIT_EXACT, KS_LIT_PREFIX, KS_LIT_SUFFIX,
	KS_LIT_CONTAINS, KS_LIT_GLOB };

struct ks_lit {
	enum ks_lit_kind kind;
	char *text;                 /* unescaped; lower case unless cased */
	size_t len;
};

/*
 * What PCRE2 knows a subject needs for a pattern to match: a length, and
 * (when nrange > 0) a byte in one of the ranges a match can start with
 * (gate.c).  The overflow rule's "runs of ^X, #ooo, %x or control bytes"
 * need bytes an ordinary line does not hold.
 */
#define KS_GATE_RANGES 4
typedef uint8_t ks_v16 __attribute__((vector_size(16)));
struct ks_gate {
	ks_v16 lo[KS_GATE_RANGES];  /* bytes lo to lo + span, each byte of */
	ks_v16 span[KS_GATE_RANGES];/* the vector the same */
	uint8_t nrange;             /* 0: any byte */
	bool single;                /* every range is one byte */
	uint8_t pad;                /* a byte in no range */
	size_t minlen;
};

/* One field's test: any (or, with |all, every) value must match. */
struct ks_match {
	int field;                  /* KS_F_* or KS_EF_* */
	enum ks_mod mod;
	bool all;
	bool cased;
	size_t n;
	char **glob;                /* KS_MOD_GLOB: patterns, '*' '?' */
	size_t *glen;
	struct ks_lit *lit;         /* KS_MOD_GLOB: the same, classified */
	pcre2_code **re;            /* KS_MOD_RE (JIT-compiled when possible) */
	char **re_src;              /* ... and their source, for Vectorscan */
	struct ks_gate *gate;       /* ... and what a subject needs to match */
	pcre2_match_data *md;       /* scratch for them, made once at load */
	struct ks_cidr *cidr;       /* KS_MOD_CIDR */
	int *pf;                    /* message tests: each value's prefilter
	                               pattern id, or -1 (prefilter.c) */
	bool implied;               /* true whenever the engine's dispatch
	                               lets the rule in (dispatch.c) */
};

/* A map: every match must hold. */
struct ks_map {
	struct ks_match *m;
	size_t n;
};

/*
 * A selection that is a list of regular expressions on one field (the
 * overflow rule's "garbage"): the union of their gates, asked once before
 * each is tried.  It opens when the subject is at least any_min long (a
 * pattern with no start bytes), or holds one of bytes' start bytes and is
 * at least bytes.minlen long.
 */
struct ks_selgate {
	int field;
	size_t any_min;             /* SIZE_MAX: every pattern has start bytes */
	struct ks_gate bytes;
};

/* A search identifier: any map holds (keywords: one map per keyword). */
struct ks_sel {
	char *name;
	struct ks_map *maps;
	size_t n;
	struct ks_selgate *gate;    /* or NULL */
};

enum ks_cond_op { KS_C_SEL, KS_C_NOT, KS_C_AND, KS_C_OR, KS_C_ONE_OF,
	KS_C_ALL_OF };

struct ks_cond {
	enum ks_cond_op op;
	struct ks_cond *a, *b;      /* NOT: a; AND/OR: a, b */
	size_t sel;                 /* KS_C_SEL */
	size_t *sels;               /* ONE_OF/ALL_OF: the selections named */
	size_t nsels;
};

struct ks_rule {
	struct ks_rule_info info;
	struct ks_sel *sels;
	size_t nsels;
	struct ks_cond *cond;
};

/*
 * The four Sigma correlation types, and one of kansatsu's own:
 * unpreceded fires on the last rule's match when none of the other rules
 * matched in the same group within the timespan before it (a boot with no
 * shutdown before it: an unplanned reboot), which Sigma cannot say.
 */
enum ks_corr_type { KS_CORR_EVENT_COUNT, KS_CORR_VALUE_COUNT,
	KS_CORR_TEMPORAL, KS_CORR_TEMPORAL_ORDERED, KS_CORR_UNPRECEDED };
enum ks_corr_op { KS_CORR_GT, KS_CORR_GTE, KS_CORR_EQ };

/* Most entries one correlation group keeps inside its time span. */
#define KS_CORR_ENTRIES_MAX 1024

/* A Sigma correlation rule, with its references resolved by the set. */
struct ks_corr {
	struct ks_rule_info info;
	enum ks_corr_type type;
	char **refs;                /* rule ids or names, as written */
	size_t nrefs;
	size_t *rules;              /* the detection rules they name */
	int *group_by;              /* KS_F_* / KS_EF_* */
	size_t ngroup;
	int64_t span_us;
	enum ks_corr_op op;
	uint64_t threshold;
	int value_field;            /* value_count: the field counted */
	bool generate;              /* the referenced rules report too */
	bool quiet;                 /* kansatsu.quiet: a building block for
	                               other correlations, never a finding */
};

/*
 * Parses a Sigma document: a detection rule (*rule set) or a correlation
 * (*corr set); the other is left NULL.
 */
int ks_sigma_parse(const char *name, const char *text, size_t len,
    struct ks_rule **rule, struct ks_corr **corr, struct ks_err *err);
void ks_corr_free(struct ks_corr *c);
int ks_sigma_field_id(const char *name, size_t n);

/* ---- tamper.c: signs of an altered log, from the events' order ---- */

enum ks_tamper_kind { KS_TAMPER_BACKWARDS, KS_TAMPER_NUL, KS_TAMPER_GAP };

#define KS_TAMPER_RING 100

struct ks_tamper {
	const char *path;           /* the file the state is about */
	int64_t last_us;            /* the latest time seen in it */
	int64_t ring[KS_TAMPER_RING];   /* recent times: how busy it was */
	size_t n, head;
};

void ks_tamper_reset(struct ks_tamper *t, const char *path);
/* A bit (1 << kind) for each sign this event shows. */
unsigned ks_tamper_check(struct ks_tamper *t, const struct ks_event *ev);
const struct ks_rule_info *ks_tamper_info(enum ks_tamper_kind k);

int ks_cond_parse(struct ks_rule *r, const char *text, struct ks_err *err);
void ks_cond_free(struct ks_cond *c);
/*
 * The Vectorscan scan of one event's message, shared by every rule
 * evaluated on it (prefilter.c); NULL or pf == NULL: none.
 */
struct hs_scratch;
struct ks_prefilter;
struct ks_pfscan {
	const struct ks_prefilter *pf;
	struct hs_scratch *scratch;
	uint64_t *hit;              /* one bit per pattern */
	bool scanned, ok;           /* scanned: for the current event */
	bool dispatched;            /* rules reach the matcher through the
	                               engine's dispatch: implied tests hold */
};

/* Forgets the last event's scan: a new event comes. */
void ks_pfscan_next(struct ks_pfscan *ps);
/* 1: pattern id matches msg; 0: it cannot; -1: ask the matcher. */
int ks_pfscan_test(struct ks_pfscan *ps, int id, struct ks_str msg);

bool ks_cond_eval(const struct ks_rule *r, const struct ks_cond *c,
    const struct ks_event *ev, const struct ks_fields *f,
    struct ks_pfscan *ps);
bool ks_rule_match_pf(const struct ks_rule *r, const struct ks_event *ev,
    const struct ks_fields *f, struct ks_pfscan *ps);

bool ks_match_eval(const struct ks_match *m, const struct ks_event *ev,
    const struct ks_fields *f, struct ks_pfscan *ps);
/*
 * The value of field k (KS_F_* or KS_EF_*) of an event; false when it is
 * absent.  num (numlen bytes) holds the text of a number field.
 */
bool ks_field_value(int k, const struct ks_event *ev,
    const struct ks_fields *f, char *num, size_t numlen, struct ks_str *out);
void ks_match_free(struct ks_match *m);
/* Classifies glob i of m into m->lit[i]; -1 when out of memory. */
int ks_lit_compile(struct ks_match *m, size_t i);
/* Reads g from PCRE2's analysis of re. */
void ks_gate_compile(struct ks_gate *g, const pcre2_code *re);
/* Whether v can hold a match of g's pattern. */
bool ks_gate_open(const struct ks_gate *g, struct ks_str v);
/*
 * Sets s->gate: the union of the gates when s lists regexes on one field,
 * else NULL; -1 when out of memory.
 */
int ks_selgate_make(struct ks_sel *s);
bool ks_selgate_open(const struct ks_selgate *sg, struct ks_str v);

#endif
