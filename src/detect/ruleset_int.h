/*
 * ruleset_int.h - the rule set as the engine sees it.
 */
#ifndef KS_RULESET_INT_H
#define KS_RULESET_INT_H

#include "detect/detect_int.h"

struct ks_ruleset {
	struct ks_rule **rules;
	size_t nrules, caprules;
	struct ks_corr **corrs;
	size_t ncorrs, capcorrs;
	bool *silent;       /* per detection rule: feeds correlations only */
};

#endif
