/*
 * finding.h - a finding: what every analysing command of kansatsu
 * produces and what shared/contract/findings.md prints.
 *
 * Log rules, host checks, netstat analysis and file verification all
 * speak in findings, so that one writer (report/) prints them and `scan`
 * can merge them.  A finding names the rule or check that made it (its
 * classification, severity and advice live there, not in each finding),
 * the host, the parties as ECS fields, the time span, a count, and up to
 * KS_EVIDENCE_MAX pieces of evidence.  Fields beyond the decoders' own
 * (process.pid, file.path, source.geo.*) are attributes: dotted ECS names
 * with a value.  A finding owns all of its strings.
 */
#ifndef KS_FINDING_H
#define KS_FINDING_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/decode.h"
#include "util/util.h"

/* What a rule or a built-in check says of itself. */
struct ks_rule_info {
	const char *id;            /* Sigma id, the file's base name, or the
	                              check's stable name */
	const char *name;          /* Sigma name (for correlation), or NULL */
	const char *title;
	const char *severity;      /* info, low, medium, high, critical */
	const char *taxonomy;      /* RSIT classification.taxonomy */
	const char *type;          /* RSIT classification.type */
	const char *outcome;       /* attempt, likely-success, ... or NULL */
	const char *advice;        /* or NULL */
	const char *path;          /* the file (or name) it was read from */
	/*
	 * kansatsu.samples: log text that must make the rule fire, and text
	 * that must not.  For a detection rule each sample is one line; for
	 * a correlation, a block of lines that together must (not) fire it.
	 * Built-in checks have none.
	 */
	char **match, **nomatch;
	size_t nmatch, nnomatch;
};

/*
 * Frees the strings of a rule info that owns them (rules read from YAML,
 * from findings files); the struct itself is the caller's.
 */
void ks_rule_info_free_strings(struct ks_rule_info *in);

/* Severity rank: info 0 .. critical 4, -1 for an unknown name. */
int ks_severity_rank(const char *severity);

#define KS_EVIDENCE_MAX 20
#define KS_EVIDENCE_TEXT 1024      /* longer evidence text is cut */
#define KS_ATTR_MAX 24

struct ks_evidence {
	char *path;
	uint64_t line;          /* 0: none (the journal, a /proc file) */
	char *cursor;           /* journal cursor, or NULL */
	char *text;             /* cut at KS_EVIDENCE_TEXT */
};

/* Frees the evidence's strings and clears it. */
void ks_evidence_free(struct ks_evidence *e);

struct ks_attr {
	char *key;              /* dotted ECS name, e.g. "process.pid" */
	char *val;
	bool num;               /* written as a JSON number when all digits */
};

struct ks_finding {
	const struct ks_rule_info *rule;
	char *host;
	char *field[KS_F_COUNT];   /* decoded fields (source.ip, ...) */
	struct ks_attr attr[KS_ATTR_MAX];
	size_t nattr;
	int64_t first_us, last_us;
	int32_t first_off, last_off;
	uint64_t count;
	struct ks_evidence ev[KS_EVIDENCE_MAX];
	size_t nev;
};

/* A finding of rule for host with count 0 and no time; NULL: no memory. */
struct ks_finding *ks_finding_new(const struct ks_rule_info *rule,
    const char *host);
void ks_finding_free(struct ks_finding *fd);
/* A deep copy, for a list that outlives the source's owner; NULL: no memory. */
struct ks_finding *ks_finding_copy(const struct ks_finding *src);

/* Sets (or replaces) a decoded field; false when out of memory. */
bool ks_finding_set(struct ks_finding *fd, enum ks_field k, const char *v,
    size_t n);
/*
 * Sets (or replaces) an attribute; false when out of memory or when
 * KS_ATTR_MAX attributes are set already.
 */
bool ks_finding_attr(struct ks_finding *fd, const char *key, const char *v,
    bool num);
/* The attribute's value, or NULL. */
const char *ks_finding_get_attr(const struct ks_finding *fd,
    const char *key);
/* Widens the time span to include ts_us (at UTC offset off, seconds). */
void ks_finding_seen(struct ks_finding *fd, int64_t ts_us, int32_t off);
/*
 * Adds one piece of evidence (text of n bytes, cut at KS_EVIDENCE_TEXT)
 * when fewer than KS_EVIDENCE_MAX are held; counting is the caller's.
 * false only when out of memory.
 */
bool ks_finding_evidence(struct ks_finding *fd, const char *path,
    uint64_t line, const char *cursor, const char *text, size_t n);

/* Most severe first, then by first time: for qsort of finding pointers. */
int ks_finding_cmp(const void *a, const void *b);

/* A list of findings that owns them. */
struct ks_findings {
	struct ks_finding **v;
	size_t n, cap;
};

void ks_findings_init(struct ks_findings *l);
/* Takes fd; on failure (out of memory) frees it and returns false. */
bool ks_findings_add(struct ks_findings *l, struct ks_finding *fd);
void ks_findings_sort(struct ks_findings *l);
void ks_findings_free(struct ks_findings *l);

#endif
