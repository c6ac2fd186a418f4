/*
 * report.h - findings written out, findings read back, and the incident
 * report a site sends to its CSIRT.
 *
 * Three layers, each usable alone:
 *
 *  1. Findings as JSON Lines by the findings contract
 *     (shared/contract/findings.md) or as text for a person
 *     (ks_finding_json, ks_finding_text), and read back from JSON Lines,
 *     nested or flat dotted (ks_findset_*).
 *  2. The reporter profile (docs/report-model.md), read from YAML
 *     (ks_profile_*).
 *  3. The report model (struct ks_report, docs/report-model.md): built
 *     from findings and a profile by ks_report_build, or element by
 *     element by other code (the hub's notification drafts) with
 *     ks_report_init and the ks_report_add_* calls; then written as JSON,
 *     text, Markdown, HTML, IODEF v2 (RFC 7970) or XARF v3.
 *
 * Building a report by hand and writing it as IODEF:
 *
 *	struct ks_report r;
 *	struct ks_system s = { .role = KS_ROLE_SOURCE, .ip = "192.0.2.1",
 *	    .country = "IL", .asn = 12400, .tlp = KS_TLP_GREEN };
 *	struct ks_buf b;
 *	struct ks_err err;
 *
 *	ks_report_init(&r);
 *	ks_report_set(&r.site, "ash");          ... and the other strings
 *	r.generated_us = now; r.generated_off = 32400;
 *	ks_report_add_class(&r, "intrusions", "system-compromise",
 *	    KS_JPCERT_INTRUSION);
 *	ks_report_add_system(&r, &s);           copies the strings
 *	ks_report_add_excerpt(&r, "messages", 12, NULL, "line", KS_TLP_AMBER);
 *	ks_buf_init(&b);
 *	if (ks_report_iodef(&b, &r, KS_TLP_RED, &err) < 0) ...
 *	ks_report_free(&r);
 *
 * Every writer takes `share`, the disclosure level of the audience: an
 * element whose TLP is stricter than share is left out, so an AMBER
 * excerpt never reaches a CLEAR export.  Everything that came from a log
 * or a findings file is escaped for the format written.
 */
#ifndef KS_REPORT_H
#define KS_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "detect/detect.h"
#include "report/tlp.h"
#include "util/util.h"

/* ---- findings out -------------------------------------------------- */

/* One finding as one JSON object and a newline. */
void ks_finding_json(struct ks_buf *b, const struct ks_finding *fd);

/*
 * One finding for a person: a headline with the severity, rule and title,
 * a line with host, parties, time and count, up to `lines` lines of
 * evidence, and the advice.  Everything from the logs is escaped; the
 * title and advice are translated (gettext) when the catalogue has them.
 */
void ks_finding_text(struct ks_buf *b, const struct ks_finding *fd,
    size_t lines);

/* ---- findings in ---------------------------------------------------- */

#define KS_FINDSET_MAX 100000      /* findings kept; more are counted */
#define KS_FINDSET_RULES 2048      /* distinct rule descriptions kept */
#define KS_FINDSET_LINE_MAX (1u << 20) /* longer lines are refused */

/*
 * Findings read from JSON Lines.  The set owns the findings and the rule
 * descriptions (struct ks_rule_info) they point to, one per distinct
 * rule, title, classification, severity, outcome and advice.  A line that
 * is not a finding is counted in `bad` (the first one's number and reason
 * kept), never guessed at; findings past KS_FINDSET_MAX, or of rules past
 * KS_FINDSET_RULES distinct ones, are counted in `dropped`; members a
 * finding cannot hold (arrays other
 * than evidence, attributes past KS_ATTR_MAX, evidence past
 * KS_EVIDENCE_MAX) are counted in `skipped`.
 */
struct ks_findset {
	struct ks_findings list;
	struct ks_rule_info **rules;
	size_t nrules, caprules;
	struct ks_map *rule_index;
	uint64_t lines, bad, skipped, dropped;
	uint64_t first_bad_line;
	char first_bad_path[256];
	struct ks_err first_bad;
};

int ks_findset_init(struct ks_findset *set, struct ks_err *err);
void ks_findset_free(struct ks_findset *set);
/*
 * Parses one line (without its newline) as a finding; 1 when one was
 * added, 0 when the line was blank, bad or dropped (counted), -1 when
 * out of memory.  path and lineno name the line in error reports.
 */
int ks_findset_line(struct ks_findset *set, const char *p, size_t n,
    const char *path, uint64_t lineno, struct ks_err *err);
/*
 * Reads JSON Lines from fd to its end; sha256 (65 bytes, hex) receives
 * the hash of every byte read.  -1 on a read error or out of memory.
 */
int ks_findset_read_fd(struct ks_findset *set, int fd, const char *path,
    char sha256[65], struct ks_err *err);

/*
 * Parses RFC 3339 with a zone ("1998-03-22T03:14:07+09:00", fraction and
 * Z allowed) into microseconds since the epoch and the offset in seconds.
 */
int ks_rfc3339_parse(const char *s, size_t n, int64_t *us, int32_t *off);

/* ---- disclosure, requests, classification ---------------------------- */


/* The request bits (KS_REQ_*) are in report/tlp.h. */
/* "investigate", "contact-source", "block", "nothing" for bit i. */
const char *ks_request_name(int i);
/* A comma-separated list of names, ORed into *req; -1 on a bad name. */
int ks_request_parse(const char *s, unsigned *req, struct ks_err *err);

/* The categories JPCERT/CC's reports use (see docs/report-model.md). */
enum ks_jpcert {
	KS_JPCERT_SCAN,            /* スキャン */
	KS_JPCERT_INTRUSION,       /* 不正侵入 */
	KS_JPCERT_STEPPING_STONE,  /* 踏み台 */
	KS_JPCERT_MAIL_RELAY,      /* メール不正中継 */
	KS_JPCERT_DEFACEMENT,      /* Web改ざん */
	KS_JPCERT_DOS,             /* DoS */
	KS_JPCERT_OTHER,           /* その他 */
};
#define KS_JPCERT_COUNT 7
/* The Japanese label (as the JSON model writes it, whatever the
   language) and the English msgid that gettext translates for text. */
const char *ks_jpcert_label(enum ks_jpcert c);
const char *ks_jpcert_msgid(enum ks_jpcert c);
/* The category of a finding's classification; hop: this host was used
   to reach others (destination.* set on a system compromise); web: the
   finding is about a web server (url.original, or protocol http), where
   an unauthorised modification is a defacement. */
enum ks_jpcert ks_jpcert_of(const char *taxonomy, const char *type,
    bool hop, bool web);

/* ---- the reporter profile -------------------------------------------- */

struct ks_profile {
	char *site, *organisation;
	char *contact_name, *contact_email, *contact_phone;
	enum ks_tlp contact_tlp;
	char *timezone;
	char **networks, **domains;
	size_t nnetworks, ndomains;
	enum ks_tlp tlp;                /* default of every element */
	/* per kind of element, defaulting to tlp (profile `disclosure:`) */
	enum ks_tlp tlp_source, tlp_target, tlp_intermediate, tlp_excerpt;
	unsigned request;               /* KS_REQ_* bits, 0: none said */
	char *language;                 /* "ja", "en" or NULL */
	char *discovery;
	char *recipient_name, *recipient_email;
};

/* An empty profile: AMBER everywhere, contact GREEN. */
void ks_profile_init(struct ks_profile *p);
void ks_profile_free(struct ks_profile *p);
/* Parses YAML text; on error p is left empty and err says where. */
int ks_profile_parse(struct ks_profile *p, const char *text, size_t n,
    struct ks_err *err);
int ks_profile_load(struct ks_profile *p, const char *path,
    struct ks_err *err);
/* The commented template of --init-profile (English msgid). */
const char *ks_profile_template(void);

/* ---- the report model ------------------------------------------------- */


struct ks_system {
	enum ks_role role;
	bool own;               /* the reporting site's own system */
	char *ip, *domain;      /* either may be NULL, not both */
	unsigned port;          /* 0: none */
	char *country;          /* ISO 3166 alpha-2, or NULL */
	uint32_t asn;           /* 0: unknown */
	char *as_org, *network;
	enum ks_tlp tlp;
};

struct ks_excerpt {
	char *path;
	uint64_t line;          /* 0: none */
	char *cursor;           /* journal cursor, or NULL */
	char *text;
	int64_t ts_us;          /* the finding's time, for the timeline */
	int32_t off;
	enum ks_tlp tlp;
};

struct ks_class {
	char *taxonomy, *type;
	enum ks_jpcert jpcert;
};

struct ks_input {
	char *path;
	char sha256[65];
};

struct ks_report {
	char id[72];                    /* "sha256:" + hex */
	int64_t generated_us;
	int32_t generated_off;
	char *version, *host;           /* generator */
	char *site, *organisation;
	char *contact_name, *contact_email, *contact_phone;
	enum ks_tlp contact_tlp;
	char *timezone;                 /* of the site's logs */
	char **networks, **domains;
	size_t nnetworks, ndomains;
	char *recipient_name, *recipient_email;
	char *language;                 /* "ja" or "en" */
	enum ks_tlp tlp;                /* the report's own level */
	struct ks_class *classes;
	size_t nclasses;
	int64_t first_us, last_us;      /* INT64_MAX/MIN: no time */
	int32_t first_off, last_off;
	int clock_sync;                 /* 1, 0, or -1 unknown (null) */
	char *discovery;
	unsigned request;
	struct ks_system *systems;
	size_t nsystems;
	/* the findings (borrowed from the caller, may be none) and the
	   level of each: the strictest of its systems and excerpts */
	const struct ks_finding *const *findings;
	enum ks_tlp *finding_tlp;
	size_t nfindings;
	struct ks_excerpt *excerpts;
	size_t nexcerpts;
	char **advice;
	size_t nadvice;
	struct ks_input *inputs;
	size_t ninputs;
	bool redacted;
};

void ks_report_init(struct ks_report *r);
void ks_report_free(struct ks_report *r);
/* Replaces *field with a copy of s (NULL clears); false: no memory. */
bool ks_report_set(char **field, const char *s);
/*
 * Each copies its strings; false when out of memory.  Classes and advice
 * are kept once each; systems, excerpts and inputs are appended as given
 * (ks_report_build merges the duplicates its findings give).
 */
bool ks_report_add_class(struct ks_report *r, const char *taxonomy,
    const char *type, enum ks_jpcert jpcert);
bool ks_report_add_system(struct ks_report *r, const struct ks_system *s);
bool ks_report_add_excerpt(struct ks_report *r, const char *path,
    uint64_t line, const char *cursor, const char *text, enum ks_tlp tlp);
bool ks_report_add_advice(struct ks_report *r, const char *advice);
bool ks_report_add_input(struct ks_report *r, const char *path,
    const char sha256[65]);
/* Widens the report's time span (first_us .. last_us) to a finding's. */
void ks_report_add_span(struct ks_report *r, const struct ks_finding *fd);

/* What ks_report_build takes besides findings and the profile. */
struct ks_report_opts {
	const char *language;           /* overrides the profile's */
	const char *discovery;          /* overrides the profile's */
	unsigned request;               /* overrides the profile's when set */
	bool have_tlp;
	enum ks_tlp tlp;                /* overrides the profile's default */
	bool redact;                    /* mask own addresses, accounts */
	const char *timezone;           /* when the profile names none */
	int64_t now_us;                 /* generation time, and its */
	int32_t now_off;                /* offset east of UTC */
	const char *version, *host;
	int clock_sync;                 /* ks_clock_synchronised() */
};

/*
 * Builds the model from findings (sorted, most severe first; the report
 * borrows them: they must outlive it, and --redact rewrites their
 * strings in place) and the profile (copied).  Inputs are added by the
 * caller (ks_report_add_input).
 */
int ks_report_build(struct ks_report *r, struct ks_findings *fs,
    const struct ks_profile *p, const struct ks_report_opts *o,
    struct ks_err *err);

/* Whether the clock is synchronised now (ntp_adjtime, read only):
   1, 0, or -1 when the kernel does not say. */
int ks_clock_synchronised(void);

/* SHA-256 of a file's bytes as hex; -1 when it cannot be read or is not
   a regular file (symlinks are not followed). */
int ks_sha256_file(const char *path, char hex[65], struct ks_err *err);
/* SHA-256 of a buffer as hex. */
void ks_sha256_hex(const void *p, size_t n, char hex[65]);

/* ---- writers ---------------------------------------------------------- */

enum ks_report_format {
	KS_RF_TEXT, KS_RF_MD, KS_RF_HTML, KS_RF_IODEF, KS_RF_XARF, KS_RF_JSON,
};
/* "text", "md", ... -> format; -1 for an unknown name. */
int ks_report_format_parse(const char *s);

/* The model as JSON (docs/report-model.md), one object and a newline. */
void ks_report_json(struct ks_buf *b, const struct ks_report *r,
    enum ks_tlp share);
/* For a person, in the current gettext language; md: Markdown. */
void ks_report_text(struct ks_buf *b, const struct ks_report *r,
    enum ks_tlp share, bool md);
/* One self-contained HTML file: inline CSS and SVG, no script. */
void ks_report_html(struct ks_buf *b, const struct ks_report *r,
    enum ks_tlp share);
/* IODEF v2 (RFC 7970) XML; -1 when libxml2 fails. */
int ks_report_iodef(struct ks_buf *b, const struct ks_report *r,
    enum ks_tlp share, struct ks_err *err);
/* XARF v3: one JSON object a line, one per source system shown. */
void ks_report_xarf(struct ks_buf *b, const struct ks_report *r,
    enum ks_tlp share);
/* Writes r in format f; -1 on a writer error. */
int ks_report_write(struct ks_buf *b, const struct ks_report *r,
    enum ks_report_format f, enum ks_tlp share, struct ks_err *err);

#endif
