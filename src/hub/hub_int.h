/*
 * hub_int.h - what the files of src/hub share and nothing outside needs:
 * the hub handle, the model builders the parsers call, the JSON reading
 * helpers, and the time and text helpers.
 */
#ifndef KS_HUB_INT_H
#define KS_HUB_INT_H

#include <jansson.h>

#include "hub/hub.h"
#include "hub/store.h"

struct ks_hub {
	struct ks_store *s;
	struct ks_warninglist *wl;
	char *who;
	unsigned max_links;
	int64_t window_us;
	int64_t schema;
};

int64_t ks_hub_now_us(void);
int64_t ks_hub_schema_latest(void);
int ks_hub_migrate(struct ks_store *s, int64_t *version, struct ks_err *err);

/*
 * Makes room for one more element of size sz in *v (n used of *cap),
 * doubling; false when out of memory (*v unchanged).
 */
bool ks_hub_grow(void **v, size_t *cap, size_t n, size_t sz);

/* strdup of NULL is NULL; *ok becomes false when out of memory. */
char *ks_hub_strdup(const char *s, bool *ok);
char *ks_hub_strndup(const char *s, size_t n, bool *ok);

/* RFC 3339 ("1999-06-23T10:00:00+09:00", "Z", fractions) -> us, offset. */
int ks_hub_time_parse(const char *s, int64_t *us, int32_t *off);

/* ---- building a model (model.c, indicators.c) ---------------------------- */

/* Adds an element (copies title and body); -1: out of memory. */
int ks_hub_add_element(struct ks_hub_report *r, enum ks_elem kind,
    enum ks_tlp tlp, const char *title, const char *body, size_t bodyn);
/* Adds an element whose body is raw[off, +len); -1: out of memory. */
int ks_hub_add_element_raw(struct ks_hub_report *r, enum ks_elem kind,
    enum ks_tlp tlp, const char *title, size_t off, size_t len);
/* Adds one indicator (value copied); -1: out of memory. */
int ks_hub_add_indicator(struct ks_hub_report *r, enum ks_ind kind,
    enum ks_role role, enum ks_tlp tlp, const unsigned char *key,
    size_t keylen, const char *value);
/*
 * Adds the indicators a value yields: an address gives its address and
 * its network; a bad value is counted in r->bad_values.  -1 only when
 * out of memory.
 */
int ks_hub_add_ip(struct ks_hub_report *r, enum ks_role role,
    enum ks_tlp tlp, const char *text);
int ks_hub_add_as(struct ks_hub_report *r, enum ks_role role,
    enum ks_tlp tlp, const char *number);
int ks_hub_add_domain(struct ks_hub_report *r, enum ks_role role,
    enum ks_tlp tlp, const char *name);
int ks_hub_add_account(struct ks_hub_report *r, enum ks_role role,
    enum ks_tlp tlp, const char *user);
/* The reporter's contact as an element, under the contact's level. */
int ks_hub_add_contact(struct ks_hub_report *r);
/* A host name in lower case without the final dot; -1: not one. */
int ks_hub_domain_canon(const char *name, char out[256]);
/* Widens the report's time span. */
void ks_hub_seen(struct ks_hub_report *r, int64_t us);
/*
 * Ends parsing: merges repeated indicators (keeping the least restricted
 * level), and derives the category and the defaults still missing.
 */
int ks_hub_report_finish(struct ks_hub_report *r, struct ks_err *err);
/* Copies a profile into the report's reporter. */
int ks_hub_profile_copy(struct ks_hub_profile *dst,
    const struct ks_hub_profile *src);

/* The network indicator key of an address: /24 for IPv4, /48 for IPv6. */
void ks_hub_network_of(const unsigned char ip[16], unsigned char key[17],
    char *text, size_t n);

/* ---- JSON (jansson) ---------------------------------------------------------- */

/*
 * A member by a dotted name, nested ({"source":{"ip":..}}) or flat
 * ({"source.ip":..}), as the findings contract allows both.
 */
json_t *ks_hub_jget(json_t *obj, const char *dotted);
/* A string member or NULL. */
const char *ks_hub_jstr(json_t *obj, const char *dotted);
/* A member as text: strings as they are, integers in decimal. */
const char *ks_hub_jtext(json_t *obj, const char *dotted, char *tmp,
    size_t n);
/* Parses a document with the hub's limits; NULL with err filled in. */
json_t *ks_hub_jload(const char *data, size_t n, struct ks_err *err);
/*
 * One finding of the contract: an element, its indicators, its times.
 * line: its JSON text when the caller has it (JSONL), else NULL.
 */
int ks_hub_take_finding(struct ks_hub_report *r, json_t *f,
    const char *line, size_t n, enum ks_tlp tlp, struct ks_err *err);

/* ---- the members of a finding the hub reads (ingest_findings.c) ------------ */

enum ks_hub_ff {
	KS_FF_RULE,
	KS_FF_TITLE,
	KS_FF_TLP,
	KS_FF_SEVERITY,
	KS_FF_TAXONOMY,
	KS_FF_TYPE,
	KS_FF_OUTCOME,
	KS_FF_FIRST_SEEN,
	KS_FF_LAST_SEEN,
	KS_FF_COUNT,
	KS_FF_SOURCE_IP,
	KS_FF_SOURCE_DOMAIN,
	KS_FF_SOURCE_AS,
	KS_FF_DEST_IP,
	KS_FF_DEST_DOMAIN,
	KS_FF_USER,
};
#define KS_FF_N 16

/* What a member must be to be read: text, an integer, or either. */
enum ks_hub_ff_type { KS_FF_TEXT, KS_FF_INT, KS_FF_TEXT_OR_INT };

struct ks_hub_ff_def {
	const char *name;          /* dotted, as ks_hub_jget reads it */
	enum ks_hub_ff_type type;
};
extern const struct ks_hub_ff_def ks_hub_ffs[KS_FF_N];

/*
 * The members of one finding as its reader found them: text (NUL
 * ended, owned by the reader) or NULL when absent or of another type;
 * an integer as text (TEXT_OR_INT) in num, and "count" when an integer.
 */
struct ks_hub_fields {
	const char *s[KS_FF_N];
	bool has_count;
	int64_t count;
	char num[24];
};

/*
 * Adds one finding read into fields, its JSON text being line[0, n):
 * 1 taken, 0 not a finding (no rule or title), -1 out of memory.
 */
int ks_hub_take_fields(struct ks_hub_report *r,
    const struct ks_hub_fields *f, const char *line, size_t n,
    enum ks_tlp tlp);

/* ---- findings JSONL, streamed (ingest_jsonl.c) ------------------------------ */

/*
 * A reader of one JSONL line at a time with yajl: no document is built,
 * only the members of ks_hub_ffs are kept.  It accepts exactly what
 * jansson (with JSON_REJECT_DUPLICATES) accepts, within the line and
 * depth limits, so that the two readers of findings agree.
 */
struct ks_hub_jsonl;

/* -1: out of memory. */
int ks_hub_jsonl_new(struct ks_hub_jsonl **out);
void ks_hub_jsonl_free(struct ks_hub_jsonl *p);
/*
 * Reads one line (without its newline): 1 one JSON object, its members
 * in f (valid until the next call); 0 not one (not JSON, not an object,
 * too long or too deep); -1 out of memory.
 */
int ks_hub_jsonl_read(struct ks_hub_jsonl *p, const char *line, size_t n,
    struct ks_hub_fields *f);
/* The reporter object of a report or the profile: site, contact, ... */
int ks_hub_take_reporter(struct ks_hub_profile *p, json_t *obj,
    struct ks_err *err);

/* ---- storage helpers (ingest.c, incidents.c, raw.c) ----------------------------- */

/* Compresses a file's bytes into p->packed (raw.c). */
int ks_hub_raw_pack(struct ks_hub_parsed *p, const char *data, size_t n,
    struct ks_err *err);
/* Stores p->packed as the original (n bytes) of a report. */
int ks_hub_raw_store(struct ks_hub *h, int64_t report_id,
    const struct ks_hub_parsed *p, size_t n, struct ks_err *err);

/* Runs one statement with an audit entry for an incident. */
int ks_hub_audit(struct ks_hub *h, int64_t incident, const char *action,
    const char *note, struct ks_err *err);
/* Puts a freshly stored report into an incident (see incidents.c). */
int ks_hub_place_report(struct ks_hub *h, int64_t report_id,
    int64_t *incident, bool *created, struct ks_err *err);

/* A network a reporter declared as its own (all are loaded at once). */
struct ks_hub_net {
	unsigned char lo[16], hi[16];
	int64_t reporter_id;
	char *site, *value;
};

int ks_hub_nets_load(struct ks_hub *h, struct ks_hub_net **out, size_t *n,
    struct ks_err *err);
void ks_hub_nets_free(struct ks_hub_net *v, size_t n);
/* The first of nets[from..n) holding the 16-byte address ip, or n. */
size_t ks_hub_nets_find(const struct ks_hub_net *nets, size_t n,
    size_t from, const unsigned char ip[16]);

/*
 * The strong links of a stored report (no weak ones, no notes): what
 * places it in an incident.
 */
int ks_hub_strong_links(struct ks_hub *h, int64_t report_id,
    struct ks_hub_links *out, struct ks_err *err);

/* ---- what one site may see of a report, as IODEF (disclose.c) -------------------- */

/* A source address of a report and its level. */
struct ks_hub_source {
	const char *ip;
	enum ks_tlp tlp;
};

/*
 * The part of one report that one recipient may see, as notify.c
 * chooses it; nothing else reaches the document.
 */
struct ks_hub_disclosed {
	const char *hash;              /* the report's content hash: its id */
	enum ks_cat cat;
	enum ks_tlp tlp;               /* the report's own level */
	/* The reporter when it may be named to the recipient; when site is
	   NULL the document names nobody and calls the reporter unnamed. */
	const char *site, *organisation;
	const char *contact_name, *contact_email, *contact_phone;
	enum ks_tlp contact_tlp;
	const char *unnamed;
	const char *lang;              /* "ja" or "en" */
	int64_t now_us;                /* when the document is written */
	const struct ks_hub_element *const *el;   /* the elements shown */
	size_t nel;
	const struct ks_hub_source *src;          /* the sources shown */
	size_t nsrc;
};

/*
 * Writes the disclosed part as an IODEF v2 document (RFC 7970) with the
 * report module's writer.  An element that cannot be written again (a
 * finding the findings contract refuses, a system that is no object
 * with a role and an address, a body not loaded) is left out and
 * counted in *unwritten.
 */
int ks_hub_disclosed_iodef(struct ks_buf *out,
    const struct ks_hub_disclosed *d, size_t *unwritten, struct ks_err *err);

/* ---- charts (svg.c) --------------------------------------------------------------- */

/* A stacked bar chart: one bar per column, one colour per series. */
struct ks_chart {
	const char *title;
	size_t ncols, nseries;
	const char *const *cols;       /* labels under the bars */
	const char *const *series;     /* the legend */
	const unsigned *counts;        /* counts[col * nseries + series] */
};

/* Writes the chart as an inline <svg> element (UTF-8, text escaped). */
void ks_chart_svg(struct ks_buf *b, const struct ks_chart *c);

#endif
