/*
 * detect.h - Sigma rules: loading, and matching one event.
 *
 * A rule is read from Sigma YAML into a small compiled form: search
 * identifiers (selections: OR of maps, each map an AND of field matches;
 * or keyword lists matched against the message), and a condition tree
 * over them.  Matching an event walks the tree and evaluates only the
 * selections it needs.  String matching follows Sigma: case-insensitive
 * unless |cased, '*' and '?' wildcards in plain values, the modifiers
 * contains, startswith, endswith, all, re (PCRE2), cidr; `null` for an
 * absent field.
 *
 * Fields are those of the decoders (source.ip, user.name, ...) and of the
 * event itself (message, process.name, process.pid, host.name,
 * log.file.path).  A rule naming a field kansatsu does not know is
 * refused at load time, with the file and the field in the message:
 * a rule that silently never fires is worse than no rule.
 *
 * Each rule also carries what a finding needs (classification, severity,
 * outcome, advice) from its `level` and a `kansatsu:` block.
 */
#ifndef KS_DETECT_H
#define KS_DETECT_H

#include <stdbool.h>
#include <stddef.h>

#include "decode/decode.h"
#include "finding/finding.h"
#include "frame/frame.h"
#include "util/util.h"

struct ks_rule;

/* Loads one rule file; -1 with the file name and the reason in err. */
int ks_rule_load(struct ks_rule **out, const char *path, struct ks_err *err);
/* The same from memory (name is used in messages). */
int ks_rule_parse(struct ks_rule **out, const char *name, const char *text,
    size_t len, struct ks_err *err);
void ks_rule_free(struct ks_rule *r);

/* True when the event (with its decoded fields) satisfies the rule. */
bool ks_rule_match(const struct ks_rule *r, const struct ks_event *ev,
    const struct ks_fields *f);

const struct ks_rule_info *ks_rule_info(const struct ks_rule *r);

/* ---- rule sets and the engine ---------------------------------------- */

/*
 * A rule set: detection rules and Sigma correlation rules (event_count,
 * value_count, temporal, temporal_ordered) over them.  A detection rule
 * that a correlation refers to produces no findings of its own unless the
 * correlation says `generate: true`.
 */
struct ks_ruleset;

int ks_ruleset_new(struct ks_ruleset **out, struct ks_err *err);
/* Adds one file, or every *.yml / *.yaml below a directory. */
int ks_ruleset_add_path(struct ks_ruleset *rs, const char *path,
    struct ks_err *err);
int ks_ruleset_add_text(struct ks_ruleset *rs, const char *name,
    const char *text, size_t len, struct ks_err *err);
/* Resolves the correlations' references; call once after adding. */
int ks_ruleset_finish(struct ks_ruleset *rs, struct ks_err *err);
size_t ks_ruleset_size(const struct ks_ruleset *rs);
/* Whether detection rule i matches (false for correlations). */
bool ks_ruleset_rule_matches(const struct ks_ruleset *rs, size_t i,
    const struct ks_event *ev, const struct ks_fields *f);
/* Info of rule i (detection rules first, then correlations). */
const struct ks_rule_info *ks_ruleset_info(const struct ks_ruleset *rs,
    size_t i);
void ks_ruleset_free(struct ks_ruleset *rs);

/*
 * Runs rule i's samples (see selftest.c); appends a line to report for
 * each failure.  Returns the number of failures, -1 when out of memory.
 */
int ks_ruleset_selftest(const struct ks_ruleset *rs, size_t i,
    struct ks_buf *report, struct ks_err *err);

struct ks_engine;

int ks_engine_new(struct ks_engine **out, const struct ks_ruleset *rs,
    struct ks_err *err);
/* Feeds one event; -1 only when out of memory. */
int ks_engine_event(struct ks_engine *e, const struct ks_event *ev,
    const struct ks_fields *f, struct ks_err *err);
/*
 * The findings so far, most severe first, then by first time; the array
 * is the engine's and valid until the next call.  An empty result with
 * findings pending means out of memory.
 */
size_t ks_engine_findings(struct ks_engine *e,
    const struct ks_finding *const **out);
/* How often correlation corr (an index of the rule set's) held. */
uint64_t ks_engine_fired(const struct ks_engine *e, size_t corr);
/* Correlation groups dropped because the group table was full. */
uint64_t ks_engine_evicted(const struct ks_engine *e);
/* Matches not reported because the finding table was full. */
uint64_t ks_engine_dropped(const struct ks_engine *e);
void ks_engine_free(struct ks_engine *e);

/* Sigma wildcard matching ('*', '?', with \ escapes); exposed for tests. */
bool ks_glob_match(const char *pat, size_t plen, const char *s, size_t n,
    bool cased);

#endif
