/*
 * hub.h - `kansatsu hub`: the CSIRT's side of incident handling.
 *
 * Reports come in from many sites (kansatsu report JSON, IODEF v2, XARF
 * v3, or findings JSONL with the reporter's profile).  Each is parsed
 * into one model (struct ks_hub_report: the reporter, what it asks, its
 * elements each with a disclosure level, and normalised indicators with
 * roles), stored once (a content hash), and linked to the reports it is
 * related to: the same source address, or a source address inside
 * another reporter's own networks (a stepping stone), more weakly the
 * same network or AS within a time window.  Linked reports form
 * incidents; notify writes one mail draft per related site holding only
 * what each element's TLP allows; stats writes the monthly report.
 *
 * The model and its parsers need no database (the fuzzers use them
 * alone); struct ks_hub is the database, SQLite or PostgreSQL.
 */
#ifndef KS_HUB_H
#define KS_HUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report/tlp.h"
#include "util/util.h"

/* ---- disclosure, roles, kinds, categories ------------------------------ */


enum ks_ind {
	KS_IND_IP,
	KS_IND_NETWORK,          /* the /24 or /48 around an address */
	KS_IND_AS,
	KS_IND_DOMAIN,
	KS_IND_ACCOUNT,          /* user@site: accounts are per site */
};
const char *ks_ind_name(enum ks_ind k);

/* The request bits (KS_REQ_*) are in report/tlp.h. */
/* "investigate" ... -> bit; 0 when unknown. */
unsigned ks_req_parse(const char *s);
/* The requests as words separated by spaces. */
void ks_req_format(struct ks_buf *b, unsigned req);

/* The JPCERT/CC categories of the monthly report, with RSIT beside. */
enum ks_cat {
	KS_CAT_SCAN,
	KS_CAT_INTRUSION,
	KS_CAT_STEPPING_STONE,
	KS_CAT_RELAY,
	KS_CAT_DEFACEMENT,
	KS_CAT_DOS,
	KS_CAT_OTHER,
};
#define KS_CAT_COUNT 7

const char *ks_cat_jpcert(enum ks_cat c);    /* スキャン, 不正侵入, ... */
const char *ks_cat_english(enum ks_cat c);   /* scanning, intrusion, ... */
const char *ks_cat_rsit(enum ks_cat c);      /* "information-gathering/scanner" */
/* A JPCERT label -> category; -1 when unknown. */
int ks_cat_from_jpcert(const char *label);
/*
 * The category of an RSIT classification; intermediate: the reporter's
 * own host was used as a hop (an intrusion becomes a stepping stone).
 */
enum ks_cat ks_cat_from_rsit(const char *taxonomy, const char *type,
    bool intermediate);

/* ---- the reporter profile ----------------------------------------------- */

struct ks_hub_profile {
	char *site;               /* required */
	char *organisation;
	char *contact_name, *contact_email, *contact_phone;
	enum ks_tlp contact_tlp;  /* may the contact be passed on? */
	char *timezone;
	char **networks;          /* CIDR, canonical */
	size_t nnetworks;
	char **domains;           /* lower case */
	size_t ndomains;
	enum ks_tlp tlp;          /* default level of every element */
	unsigned request;
	char *language;           /* "ja" or "en", or NULL */
	char *recipient_name, *recipient_email;
};

/* Parses the YAML profile of docs/report-model.md. */
int ks_hub_profile_parse(struct ks_hub_profile *p, const char *text,
    size_t n, struct ks_err *err);
void ks_hub_profile_free(struct ks_hub_profile *p);
/* Adds a network (CIDR or address) to the profile, canonicalised. */
int ks_hub_profile_add_network(struct ks_hub_profile *p, const char *cidr,
    struct ks_err *err);

/* ---- the report model ----------------------------------------------------- */

enum ks_elem {
	KS_EL_FINDING,       /* title: the rule's; body: the finding's JSON */
	KS_EL_EXCERPT,       /* body: one log line */
	KS_EL_SYSTEM,        /* title: role and address; body: JSON */
	KS_EL_ADVICE,        /* body: text */
	KS_EL_DESCRIPTION,   /* body: the reporter's own words */
	KS_EL_CONTACT,       /* body: the contact, as "name <email>" */
};
#define KS_EL_COUNT 6
const char *ks_elem_name(enum ks_elem e);

struct ks_hub_element {
	enum ks_elem kind;
	enum ks_tlp tlp;
	char *title;         /* or NULL */
	char *body;          /* NULL: the bytes raw[raw_off, +raw_len) of the
	                        original (a JSONL line is not copied) */
	size_t raw_off, raw_len;
};

#define KS_IND_KEY 17        /* 16 address bytes and a prefix length */

struct ks_hub_indicator {
	enum ks_ind kind;
	enum ks_role role;
	enum ks_tlp tlp;     /* the least restricted element naming it */
	unsigned char key[KS_IND_KEY];  /* ip, network: the index key */
	size_t keylen;       /* 0: the key is the value's bytes */
	char *value;         /* canonical text */
	size_t valuelen;
};

/* A block of the strings of one report (see ks_hub_report.strings). */
struct ks_hub_block;

struct ks_hub_report {
	const char *format;      /* "kansatsu-report", "iodef", "xarf",
	                            "findings" */
	const char *raw_type;    /* content type of the original */
	const char *raw;         /* the original's bytes, while parsing */
	size_t rawn;
	struct ks_hub_profile reporter;
	int64_t reported_us;     /* when the reporter filed it */
	int32_t reported_off;
	bool has_reported;
	int64_t first_us, last_us;
	bool has_times;
	enum ks_tlp tlp;
	char *taxonomy, *type, *outcome;
	enum ks_cat cat;
	bool has_cat;
	char *discovery;
	int clock_sync;          /* 1 yes, 0 no, -1 unknown */
	char *timezone;
	unsigned request;
	char *title;             /* the headline: the first (most severe)
	                            finding's title */
	uint64_t nfindings, nevents;
	int severity;            /* rank of the finding that set the
	                            classification; -1: none yet */
	uint64_t unparsed;       /* lines or parts not understood */
	uint64_t bad_values;     /* addresses, domains, ... not valid */
	struct ks_hub_element *el;
	size_t nel, capel;
	struct ks_hub_indicator *ind;
	size_t nind, capind;
	/* the element titles and bodies and the indicator values: copied
	   into blocks that the report owns and frees at once, so that a
	   file of a million values is a few allocations, not a million */
	struct ks_hub_block *strings;
};

void ks_hub_report_init(struct ks_hub_report *r);
void ks_hub_report_free(struct ks_hub_report *r);

/* The most a file to ingest may hold. */
#define KS_HUB_FILE_MAX ((size_t)256 << 20)
/*
 * The longest line of findings JSONL, and the deepest nesting of a line
 * (jansson's): a line past either is counted as not understood.
 */
#define KS_HUB_LINE_MAX ((size_t)1 << 20)
#define KS_HUB_DEPTH_MAX 2048

/*
 * Parses a report in any of the formats, found by its content.  With a
 * profile the data is findings JSONL of that reporter; without, it must
 * be a kansatsu report, IODEF or XARF.
 */
int ks_hub_parse(struct ks_hub_report *r, const char *data, size_t n,
    const struct ks_hub_profile *profile, struct ks_err *err);
int ks_hub_parse_report_json(struct ks_hub_report *r, const char *data,
    size_t n, struct ks_err *err);
int ks_hub_parse_iodef(struct ks_hub_report *r, const char *data, size_t n,
    struct ks_err *err);
int ks_hub_parse_xarf(struct ks_hub_report *r, const char *data, size_t n,
    struct ks_err *err);
int ks_hub_parse_findings(struct ks_hub_report *r, const char *data,
    size_t n, const struct ks_hub_profile *profile, struct ks_err *err);

/* ---- addresses ------------------------------------------------------------ */

/*
 * An IPv4 or IPv6 address as 16 bytes (ks_addr_parse, IPv4 mapped into
 * ::ffff:0:0/96), also in brackets; ks_addr_format writes it back.
 */
int ks_ip_parse(const char *s, unsigned char out[16]);
/*
 * A CIDR ("192.0.2.0/24", an address alone is /32 or /128) as its first
 * and last address and canonical text; -1 when invalid.
 */
int ks_hub_cidr_range(const char *s, unsigned char lo[16], unsigned char hi[16],
    char *canon, size_t n);

/* ---- the warninglist ------------------------------------------------------ */

struct ks_warninglist;

/* The built-in list: private, documentation, resolvers, scanners. */
int ks_warninglist_new(struct ks_warninglist **out, struct ks_err *err);
/* Adds the entries of a file: "CIDR|domain [reason]" a line, # comments. */
int ks_warninglist_load(struct ks_warninglist *w, const char *path,
    struct ks_err *err);
void ks_warninglist_free(struct ks_warninglist *w);
/*
 * Why value (of kind) is noise, or NULL.  "private" and "documentation"
 * ranges are only returned for addresses; the caller decides whether
 * both sides are one site (see related.c).
 */
const char *ks_warninglist_match(const struct ks_warninglist *w,
    enum ks_ind kind, const char *value);
/* True for reasons that a site's declared networks lift. */
bool ks_warninglist_site_local(const char *reason);

/* ---- the hub's database ----------------------------------------------------- */

struct ks_hub;

struct ks_hub_opts {
	const char *db;              /* a path or a postgresql:// URL */
	const char *who;             /* the analyst, for the audit trail */
	const char *warninglist;     /* a file of more entries, or NULL */
	unsigned max_links;          /* reports one value may link (cap) */
	int64_t window_us;           /* for the weaker links */
};

int ks_hub_open(struct ks_hub **out, const struct ks_hub_opts *o,
    struct ks_err *err);
void ks_hub_close(struct ks_hub *h);
int64_t ks_hub_schema_version(const struct ks_hub *h);

struct ks_hub_ingested {
	int64_t report_id;
	bool duplicate;              /* the same content was there already */
	int64_t incident_id;
	bool new_incident;
	char hash[72];               /* "sha256:" and 64 hex digits */
	const char *format;
	uint64_t nfindings, nelements, nindicators, unparsed, bad_values;
};

/* A report read and hashed, not yet stored. */
struct ks_hub_parsed {
	struct ks_hub_report r;
	char hash[72];
	void *packed;                /* the bytes compressed, to store */
	size_t npacked;
};

/*
 * Reads one file's bytes into a report, hashes them (with the profile's
 * bytes for findings JSONL, which names no reporter of its own) and
 * compresses them.  Needs no hub: a reading thread prepares the next
 * file while the last one is stored.  The data must outlive the parsed
 * report; p is freed with ks_hub_parsed_free even when this fails.
 */
int ks_hub_prepare(struct ks_hub_parsed *p, const char *data, size_t n,
    const struct ks_hub_profile *profile, const char *profile_text,
    size_t profile_n, struct ks_err *err);
void ks_hub_parsed_free(struct ks_hub_parsed *p);

/*
 * Stores a prepared report in one transaction: its original, the
 * reporter, the elements and indicators, and its place in an incident;
 * nothing when the same content is there already.
 */
int ks_hub_store(struct ks_hub *h, const char *name,
    const struct ks_hub_parsed *p, struct ks_hub_ingested *res,
    struct ks_err *err);

/* Appends the original bytes of a stored report to out. */
int ks_hub_report_raw(struct ks_hub *h, int64_t report_id,
    struct ks_buf *out, struct ks_err *err);

/* A report by number, or by its hash (or a prefix of it, 8+ digits). */
int ks_hub_find_report(struct ks_hub *h, const char *ref, int64_t *id,
    struct ks_err *err);

/* ---- related reports ---------------------------------------------------------- */

enum ks_why {
	KS_WHY_SAME_SOURCE,       /* the same source address */
	KS_WHY_SOURCE_IN_SITE,    /* a source inside the other's networks:
	                             the other's host is a stepping stone */
	KS_WHY_SITE_HAS_SOURCE,   /* the other's source inside this site's
	                             networks: this site is the stepping stone */
	KS_WHY_SAME_DOMAIN,
	KS_WHY_SAME_ACCOUNT,
	KS_WHY_SAME_NETWORK,      /* weaker: same /24 or /48, in the window */
	KS_WHY_SAME_AS,           /* weaker: same AS, in the window */
};
const char *ks_why_name(enum ks_why w);
bool ks_why_weak(enum ks_why w);

struct ks_hub_link {
	int64_t report_id;
	char *site;              /* the other report's reporter */
	enum ks_why why;
	char *value;             /* the shared value */
	char *detail;            /* the network of the site, or NULL */
	int64_t reported_us;
	enum ks_cat cat;
};

struct ks_hub_note {
	char *value;
	char *reason;            /* a warninglist reason, or "over the cap" */
};

struct ks_hub_links {
	struct ks_hub_link *v;
	size_t n, cap;
	struct ks_hub_note *notes;   /* values not linked on, and why */
	size_t nnotes, capnotes;
};

void ks_hub_links_free(struct ks_hub_links *l);
int ks_hub_related_report(struct ks_hub *h, int64_t report_id,
    struct ks_hub_links *out, struct ks_err *err);
int ks_hub_related_address(struct ks_hub *h, const char *address,
    struct ks_hub_links *out, struct ks_err *err);

/* ---- reports and incidents, as listed ------------------------------------------- */

struct ks_hub_report_row {
	int64_t id, incident_id;
	char *hash, *site, *format, *title;
	int64_t reported_us;
	int32_t reported_off;
	enum ks_cat cat;
	enum ks_tlp tlp;
	uint64_t nfindings;
};

struct ks_hub_report_rows {
	struct ks_hub_report_row *v;
	size_t n, cap;
};

void ks_hub_report_rows_free(struct ks_hub_report_rows *l);
/* Reports, all or those of one incident (incident_id > 0). */
int ks_hub_reports(struct ks_hub *h, int64_t incident_id,
    struct ks_hub_report_rows *out, struct ks_err *err);

enum ks_status { KS_ST_NEW, KS_ST_OPEN, KS_ST_RESOLVED };
const char *ks_status_name(enum ks_status s);
int ks_status_parse(const char *s);

struct ks_hub_incident {
	int64_t id;
	enum ks_status status;
	int64_t created_us, updated_us;
	size_t nreports;
	char *sites;             /* the reporters, comma-separated */
	enum ks_cat cat;         /* of its first report */
};

struct ks_hub_incidents {
	struct ks_hub_incident *v;
	size_t n, cap;
};

void ks_hub_incidents_free(struct ks_hub_incidents *l);
/* status < 0: all. */
int ks_hub_incidents(struct ks_hub *h, int status,
    struct ks_hub_incidents *out, struct ks_err *err);
int ks_hub_incident(struct ks_hub *h, int64_t id,
    struct ks_hub_incident *out, struct ks_err *err);
void ks_hub_incident_free(struct ks_hub_incident *inc);

struct ks_hub_audit {
	int64_t at_us;
	char *who, *action, *note;
};

struct ks_hub_audits {
	struct ks_hub_audit *v;
	size_t n, cap;
};

void ks_hub_audits_free(struct ks_hub_audits *l);
int ks_hub_audit_trail(struct ks_hub *h, int64_t incident,
    struct ks_hub_audits *out, struct ks_err *err);

/*
 * What the analyst does with an incident, in one transaction with its
 * audit entries: status (< 0: unchanged), a note (or NULL), a report to
 * move into it (0: none).
 */
int ks_hub_incident_update(struct ks_hub *h, int64_t id, int status,
    const char *note, int64_t add_report, struct ks_err *err);

/* ---- MIME messages (mime.c) ------------------------------------------------ */

/* An attachment: a file name, a content type and the bytes. */
struct ks_mime_part {
	const char *name;            /* ASCII letters, digits, ".-_" */
	const char *type;            /* e.g. "application/xml" */
	const void *data;
	size_t n;
};

/* A message of one UTF-8 text part and any number of attachments. */
struct ks_mime_msg {
	const char *from_name, *from_addr;
	const char *to_name, *to_addr;
	const char *subject;         /* UTF-8 */
	const char *message_id;      /* without the angle brackets */
	int64_t date_us;
	int32_t date_off;
	const char *text;            /* UTF-8, lines ending in \n */
	const struct ks_mime_part *att;
	size_t natt;
};

/* True for an addr-spec safe to put in a header (no folding, no tricks). */
bool ks_mime_addr_ok(const char *addr);
/*
 * Writes an RFC 5322 message with MIME (RFC 2045-2047): CRLF lines,
 * headers in RFC 2047 encoded words where they are not plain ASCII, the
 * text and the attachments in base64 under multipart/mixed.
 */
int ks_mime_write(struct ks_buf *b, const struct ks_mime_msg *m,
    struct ks_err *err);
/* A header's unstructured value as RFC 2047 words, folded (for tests). */
void ks_mime_header(struct ks_buf *b, const char *name, const char *value);

/* ---- notification drafts ---------------------------------------------------------- */

struct ks_hub_notify_opts {
	const char *outbox;          /* the directory for the .eml files */
	const char *lang;            /* "ja", "en", or NULL: each site's own */
	const char *from;            /* the CSIRT's address, or NULL */
	int64_t now_us;
};

struct ks_hub_draft {
	char *site, *to, *path;
	size_t passed, withheld;     /* elements of other reports */
};

struct ks_hub_drafts {
	struct ks_hub_draft *v;
	size_t n, cap;
};

void ks_hub_drafts_free(struct ks_hub_drafts *l);
int ks_hub_notify(struct ks_hub *h, int64_t incident,
    const struct ks_hub_notify_opts *o, struct ks_hub_drafts *out,
    struct ks_err *err);

/* ---- monthly statistics ----------------------------------------------------------- */

enum ks_stats_format { KS_STATS_TEXT, KS_STATS_MARKDOWN, KS_STATS_HTML };

struct ks_hub_stats_opts {
	int64_t from_us, to_us;      /* [from, to) */
	int32_t utc_off;             /* the zone months are counted in */
	const char *lang;            /* "ja" or "en" */
	enum ks_stats_format format;
};

int ks_hub_stats(struct ks_hub *h, const struct ks_hub_stats_opts *o,
    struct ks_buf *out, struct ks_err *err);

#endif
