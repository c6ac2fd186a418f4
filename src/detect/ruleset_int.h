/*
 * ruleset_int.h - the rule set as the engine sees it.
 */
#ifndef KS_RULESET_INT_H
#define KS_RULESET_INT_H

#include "detect/detect_int.h"

/* The rules to evaluate for one value of event.action (dispatch.c). */
struct ks_dispatch_entry {
	const char *text;           /* the value, lower case */
	size_t len;
	size_t *rules;              /* rule indexes, in order */
	size_t n;
};

/* The process names a rule requires; n == 0: none required. */
struct ks_prog_guard {
	const struct ks_lit **lit;
	size_t n;
};

/* A process name some rule requires, and the rules requiring it. */
struct ks_prog_name {
	const char *text;           /* lower case */
	size_t len;
	uint64_t *rules;            /* bit per rule */
};

/*
 * Lower-case names looked up in any case (dispatch.c): open addressing on
 * a hash of the case-folded bytes.  It is built from the rules alone, so
 * whatever name an attacker writes, a look-up costs one hash and at most
 * the table's longest run of probes.
 */
struct ks_name_index {
	struct ks_str *name;
	uint32_t *slot;             /* index into name, plus 1; 0: empty */
	size_t mask, maxlen;
};

struct ks_dispatch {
	struct ks_prog_guard *prog;     /* per rule */
	struct ks_prog_name *names;
	size_t nnames;
	struct ks_name_index nidx;      /* of names */
	struct ks_dispatch_entry *e;
	size_t ne;
	struct ks_name_index eidx;      /* of e */
	size_t *other;              /* for any other value: unguarded rules */
	size_t nother;
};

struct ks_ruleset {
	struct ks_rule **rules;
	size_t nrules, caprules;
	struct ks_corr **corrs;
	size_t ncorrs, capcorrs;
	bool *silent;       /* per detection rule: feeds correlations only */
	struct ks_dispatch dispatch;
	struct ks_prefilter *pf;    /* the message tests' Vectorscan database,
	                               or NULL when there are none */
};

/* Builds rs->pf from the rules' message tests (prefilter.c). */
int ks_prefilter_build(struct ks_ruleset *rs, struct ks_err *err);
void ks_prefilter_free(struct ks_prefilter *pf);
/* A scan state for one thread over pf (which may be NULL). */
int ks_pfscan_init(struct ks_pfscan *ps, const struct ks_prefilter *pf,
    struct ks_err *err);
void ks_pfscan_free(struct ks_pfscan *ps);

int ks_dispatch_build(struct ks_ruleset *rs, struct ks_err *err);
void ks_dispatch_free(struct ks_dispatch *d, size_t nrules);
/*
 * The rules whose process.name requirement the program meets (looked up
 * once per event), or NULL when it meets none.
 */
const uint64_t *ks_dispatch_program_bits(const struct ks_ruleset *rs,
    struct ks_str program);
/* False when rule's process.name requirement rules the program out. */
static inline bool
ks_dispatch_program_ok(const struct ks_ruleset *rs, size_t rule,
    const uint64_t *bits)
{
	return rs->dispatch.prog[rule].n == 0 || (bits != NULL &&
	    (bits[rule / 64] >> (rule % 64) & 1));
}
/* The rules an event with this action may match, in rule order. */
const size_t *ks_dispatch_rules(const struct ks_ruleset *rs,
    struct ks_str action, size_t *n);

#endif
