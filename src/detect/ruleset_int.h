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

struct ks_dispatch {
	struct ks_prog_guard *prog;     /* per rule */
	struct ks_dispatch_entry *e;
	size_t ne;
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
};

int ks_dispatch_build(struct ks_ruleset *rs, struct ks_err *err);
void ks_dispatch_free(struct ks_dispatch *d, size_t nrules);
/* False when rule's process.name requirement rules the program out. */
bool ks_dispatch_program_ok(const struct ks_ruleset *rs, size_t rule,
    struct ks_str program);
/* The rules an event with this action may match, in rule order. */
const size_t *ks_dispatch_rules(const struct ks_ruleset *rs,
    struct ks_str action, size_t *n);

#endif
