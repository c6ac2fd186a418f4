/*
 * ingest.c - `hub ingest`: one file, one report, one transaction.
 *
 * The content hash (SHA-256 of the bytes, and of the reporter profile
 * for findings JSONL, which names no reporter of its own) makes ingest
 * idempotent: the same file twice is one report, and a crash between
 * two files loses nothing that was acknowledged, because a file is
 * acknowledged only after its transaction committed.  Inside the
 * transaction: the reporter (created, or updated from its latest
 * profile), the report with its original compressed (raw.c), every
 * element and indicator
 * through multi-row INSERTs prepared once a file, and the report's
 * place in an incident (incidents.c).
 */
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/hub_int.h"
#include "util/i18n.h"

/* ---- parsing: which format ------------------------------------------------ */

static const char *
skip_space(const char *p, const char *end)
{
	/* a UTF-8 byte order mark, then white space */
	if (end - p >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

int
ks_hub_parse(struct ks_hub_report *r, const char *data, size_t n,
    const struct ks_hub_profile *profile, struct ks_err *err)
{
	const char *p = skip_space(data, data + n);
	json_t *j;
	bool xarf;

	if (n > KS_HUB_FILE_MAX)
		return ks_err_set(err, _("larger than %zu MiB"),
		    KS_HUB_FILE_MAX >> 20);
	r->raw = data;
	r->rawn = n;
	if (profile != NULL)
		return ks_hub_parse_findings(r, data, n, profile, err);
	if (p < data + n && *p == '<')
		return ks_hub_parse_iodef(r, data, n, err);
	if (p == data + n || *p != '{')
		return ks_err_set(err, _("neither JSON nor XML"));
	if ((j = ks_hub_jload(data, n, err)) == NULL) {
		ks_err_set(err, _("not one JSON document (findings JSONL needs "
		    "--reporter PROFILE)"));
		return -1;
	}
	if (json_object_get(j, "rule") != NULL) {
		json_decref(j);
		return ks_err_set(err, _("a finding: findings JSONL needs "
		    "--reporter PROFILE"));
	}
	xarf = json_object_get(j, "ReporterInfo") != NULL;
	json_decref(j);
	if (xarf)
		return ks_hub_parse_xarf(r, data, n, err);
	return ks_hub_parse_report_json(r, data, n, err);
}

/* ---- the content hash --------------------------------------------------------- */

static int
content_hash(const char *data, size_t n, const char *extra, size_t en,
    char out[72], struct ks_err *err)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok;

	ok = ctx != NULL && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) &&
	    EVP_DigestUpdate(ctx, data, n) &&
	    (extra == NULL || (EVP_DigestUpdate(ctx, "\0profile\0", 9) &&
	    EVP_DigestUpdate(ctx, extra, en))) &&
	    EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return ks_err_set(err, "sha256 failed");
	memcpy(out, "sha256:", 7);
	for (unsigned i = 0; i < mdlen; i++)
		snprintf(out + 7 + 2 * i, 3, "%02x", md[i]);
	return 0;
}

static int
find_hash(struct ks_hub *h, const char *hash, int64_t *id, int64_t *inc,
    struct ks_err *err)
{
	struct ks_stmt *st;
	int rc;

	*id = 0;
	if (ks_store_prepare(h->s, "SELECT id, COALESCE(incident_id, 0)"
	    " FROM reports WHERE hash = ?", &st, err) < 0)
		return -1;
	ks_stmt_bind_str(st, 1, hash);
	if ((rc = ks_stmt_step(st, err)) > 0) {
		*id = ks_stmt_int(st, 0);
		*inc = ks_stmt_int(st, 1);
	}
	ks_stmt_free(st);
	return rc < 0 ? -1 : 0;
}

/* ---- the reporter ---------------------------------------------------------------- */

static int
reporter_id(struct ks_hub *h, const char *site, int64_t *id,
    struct ks_err *err)
{
	struct ks_stmt *st;
	int rc;

	*id = 0;
	if (ks_store_prepare(h->s, "SELECT id FROM reporters WHERE site = ?",
	    &st, err) < 0)
		return -1;
	ks_stmt_bind_str(st, 1, site);
	if ((rc = ks_stmt_step(st, err)) > 0)
		*id = ks_stmt_int(st, 0);
	ks_stmt_free(st);
	return rc < 0 ? -1 : 0;
}

/* Runs one statement binding strings and integers from a spec. */
static int
run_sql(struct ks_hub *h, const char *sql, int64_t *returned,
    struct ks_err *err, const char *types, ...)
{
	struct ks_stmt *st;
	va_list ap;
	int rc;

	if (ks_store_prepare(h->s, sql, &st, err) < 0)
		return -1;
	va_start(ap, types);
	for (int i = 0; types[i] != '\0'; i++) {
		if (types[i] == 's')
			ks_stmt_bind_str(st, i + 1, va_arg(ap, const char *));
		else
			ks_stmt_bind_int(st, i + 1, va_arg(ap, int64_t));
	}
	va_end(ap);
	rc = ks_stmt_step(st, err);
	if (rc > 0 && returned != NULL)
		*returned = ks_stmt_int(st, 0);
	ks_stmt_free(st);
	return rc < 0 ? -1 : 0;
}

static int
replace_networks(struct ks_hub *h, int64_t id,
    const struct ks_hub_profile *p, struct ks_err *err)
{
	struct ks_stmt *st;
	unsigned char lo[16], hi[16];
	char canon[64];

	if (p->nnetworks == 0)
		return 0;
	if (run_sql(h, "DELETE FROM reporter_networks WHERE reporter_id = ?",
	    NULL, err, "i", id) < 0 ||
	    ks_store_prepare(h->s, "INSERT INTO reporter_networks"
	    "(reporter_id, value, lo, hi) VALUES (?, ?, ?, ?)", &st, err) < 0)
		return -1;
	for (size_t i = 0; i < p->nnetworks; i++) {
		if (ks_hub_cidr_range(p->networks[i], lo, hi, canon,
		    sizeof(canon)) < 0)
			continue;
		ks_stmt_bind_int(st, 1, id);
		ks_stmt_bind_str(st, 2, canon);
		ks_stmt_bind_blob(st, 3, lo, 16);
		ks_stmt_bind_blob(st, 4, hi, 16);
		if (ks_stmt_run(st, err) < 0) {
			ks_stmt_free(st);
			return -1;
		}
	}
	ks_stmt_free(st);
	return 0;
}

static int
replace_domains(struct ks_hub *h, int64_t id,
    const struct ks_hub_profile *p, struct ks_err *err)
{
	if (p->ndomains == 0)
		return 0;
	if (run_sql(h, "DELETE FROM reporter_domains WHERE reporter_id = ?",
	    NULL, err, "i", id) < 0)
		return -1;
	for (size_t i = 0; i < p->ndomains; i++)
		if (run_sql(h, "INSERT INTO reporter_domains(reporter_id, value)"
		    " VALUES (?, ?)", NULL, err, "is", id, p->domains[i]) < 0)
			return -1;
	return 0;
}

/* The reporter's row, created or brought up to its latest profile. */
static int
store_reporter(struct ks_hub *h, const struct ks_hub_profile *p,
    int64_t *id, struct ks_err *err)
{
	int64_t now = ks_hub_now_us();

	if (reporter_id(h, p->site, id, err) < 0)
		return -1;
	if (*id == 0) {
		if (run_sql(h, "INSERT INTO reporters(site, contact_tlp,"
		    " updated_us) VALUES (?, ?, ?) RETURNING id", id, err,
		    "sii", p->site, (int64_t)p->contact_tlp, now) < 0)
			return -1;
	}
	if (run_sql(h, "UPDATE reporters SET"
	    " organisation = COALESCE(?, organisation),"
	    " contact_name = COALESCE(?, contact_name),"
	    " contact_email = COALESCE(?, contact_email),"
	    " contact_phone = COALESCE(?, contact_phone),"
	    " contact_tlp = ?, timezone = COALESCE(?, timezone),"
	    " language = COALESCE(?, language), updated_us = ?"
	    " WHERE id = ?", NULL, err, "ssssissii", p->organisation,
	    p->contact_name, p->contact_email, p->contact_phone,
	    (int64_t)p->contact_tlp, p->timezone, p->language, now, *id) < 0)
		return -1;
	return replace_networks(h, *id, p, err) < 0 ||
	    replace_domains(h, *id, p, err) < 0 ? -1 : 0;
}

/* ---- the report and its parts -------------------------------------------------------- */

static void
bind_opt_time(struct ks_stmt *st, int i, bool has, int64_t us)
{
	if (has)
		ks_stmt_bind_int(st, i, us);
	else
		ks_stmt_bind_null(st, i);
}

static int
store_report(struct ks_hub *h, const struct ks_hub_report *r,
    int64_t reporter, const char *hash, const char *name, int64_t *id,
    struct ks_err *err)
{
	struct ks_stmt *st;
	struct ks_buf req;
	int rc;

	if (ks_store_prepare(h->s, "INSERT INTO reports(hash, format,"
	    " reporter_id, received_us, reported_us, reported_off, first_us,"
	    " last_us, tlp, language, taxonomy, type, category, outcome,"
	    " discovery, clock_sync, timezone, request, recipient_name,"
	    " recipient_email, title, nfindings, nevents, raw_name, raw_type)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
	    " ?, ?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING RETURNING id",
	    &st, err) < 0)
		return -1;
	ks_buf_init(&req);
	ks_req_format(&req, r->request);
	ks_buf_addc(&req, '\0');
	ks_stmt_bind_str(st, 1, hash);
	ks_stmt_bind_str(st, 2, r->format);
	ks_stmt_bind_int(st, 3, reporter);
	ks_stmt_bind_int(st, 4, ks_hub_now_us());
	ks_stmt_bind_int(st, 5, r->has_reported ? r->reported_us :
	    ks_hub_now_us());
	ks_stmt_bind_int(st, 6, r->reported_off);
	bind_opt_time(st, 7, r->has_times, r->first_us);
	bind_opt_time(st, 8, r->has_times, r->last_us);
	ks_stmt_bind_int(st, 9, r->tlp);
	ks_stmt_bind_str(st, 10, r->reporter.language);
	ks_stmt_bind_str(st, 11, r->taxonomy);
	ks_stmt_bind_str(st, 12, r->type);
	ks_stmt_bind_int(st, 13, r->cat);
	ks_stmt_bind_str(st, 14, r->outcome);
	ks_stmt_bind_str(st, 15, r->discovery);
	if (r->clock_sync < 0)
		ks_stmt_bind_null(st, 16);
	else
		ks_stmt_bind_int(st, 16, r->clock_sync);
	ks_stmt_bind_str(st, 17, r->timezone);
	ks_stmt_bind_str(st, 18, req.failed ? "" : req.p);
	ks_stmt_bind_str(st, 19, r->reporter.recipient_name);
	ks_stmt_bind_str(st, 20, r->reporter.recipient_email);
	ks_stmt_bind_str(st, 21, r->title);
	ks_stmt_bind_int(st, 22, (int64_t)r->nfindings);
	ks_stmt_bind_int(st, 23, (int64_t)r->nevents);
	ks_stmt_bind_str(st, 24, name);
	ks_stmt_bind_str(st, 25, r->raw_type);
	*id = 0;
	rc = ks_stmt_step(st, err);
	if (rc > 0)
		*id = ks_stmt_int(st, 0);
	ks_stmt_free(st);
	ks_buf_free(&req);
	return rc < 0 ? -1 : 0;
}

/*
 * Rows are stored by multi-row INSERTs of up to BATCH_ROWS rows, each
 * statement prepared once for the file (and one more for the rows left
 * over): one statement a row spent most of its time in the round trip
 * through the store, not in the database.
 */
#define BATCH_ROWS 256

/*
 * Binds row i of the report from parameter at on; text and keys in
 * place, as the report outlives the statement.
 */
typedef void bind_row_fn(struct ks_stmt *st, int at,
    const struct ks_hub_report *r, size_t i, int64_t id);

/* "INSERT INTO ... VALUES (?, ...), ..." for rows rows of ncols. */
static int
prepare_rows(struct ks_hub *h, const char *head, int ncols, size_t rows,
    struct ks_stmt **st, struct ks_err *err)
{
	struct ks_buf b;
	char *sql;
	int rc;

	ks_buf_init(&b);
	ks_buf_adds(&b, head);
	for (size_t i = 0; i < rows; i++) {
		ks_buf_adds(&b, i == 0 ? " (" : ", (");
		for (int c = 0; c < ncols; c++)
			ks_buf_adds(&b, c == 0 ? "?" : ", ?");
		ks_buf_addc(&b, ')');
	}
	if ((sql = ks_store_buf_take(&b)) == NULL)
		return ks_err_set(err, "out of memory");
	rc = ks_store_prepare(h->s, sql, st, err);
	free(sql);
	return rc;
}

/* Inserts rows [0, n) of the report, BATCH_ROWS a statement. */
static int
insert_rows(struct ks_hub *h, const char *head, int ncols, size_t n,
    bind_row_fn *bind, const struct ks_hub_report *r, int64_t id,
    struct ks_err *err)
{
	struct ks_stmt *st = NULL;
	size_t done = 0, rows = 0;
	int rc = 0;

	while (done < n && rc == 0) {
		size_t want = n - done < BATCH_ROWS ? n - done : BATCH_ROWS;

		if (want != rows) {
			ks_stmt_free(st);
			st = NULL;
			if (prepare_rows(h, head, ncols, want, &st, err) < 0)
				return -1;
			rows = want;
		}
		for (size_t i = 0; i < rows; i++)
			bind(st, (int)i * ncols + 1, r, done + i, id);
		rc = ks_stmt_run(st, err);
		done += rows;
	}
	ks_stmt_free(st);
	return rc;
}

static void
bind_element(struct ks_stmt *st, int at, const struct ks_hub_report *r,
    size_t i, int64_t id)
{
	const struct ks_hub_element *e = &r->el[i];

	ks_stmt_bind_int(st, at, id);
	ks_stmt_bind_int(st, at + 1, (int64_t)i);
	ks_stmt_bind_int(st, at + 2, e->kind);
	ks_stmt_bind_int(st, at + 3, e->tlp);
	ks_stmt_bind_text_ref(st, at + 4, e->title,
	    e->title != NULL ? strlen(e->title) : 0);
	ks_stmt_bind_text_ref(st, at + 5, e->body,
	    e->body != NULL ? strlen(e->body) : 0);
	if (e->body == NULL) {
		ks_stmt_bind_int(st, at + 6, (int64_t)e->raw_off);
		ks_stmt_bind_int(st, at + 7, (int64_t)e->raw_len);
	} else {
		ks_stmt_bind_null(st, at + 6);
		ks_stmt_bind_null(st, at + 7);
	}
}

static void
bind_indicator(struct ks_stmt *st, int at, const struct ks_hub_report *r,
    size_t i, int64_t id)
{
	const struct ks_hub_indicator *in = &r->ind[i];

	ks_stmt_bind_int(st, at, id);
	ks_stmt_bind_int(st, at + 1, in->kind);
	ks_stmt_bind_int(st, at + 2, in->role);
	if (in->keylen > 0)
		ks_stmt_bind_blob_ref(st, at + 3, in->key, in->keylen);
	else
		ks_stmt_bind_blob_ref(st, at + 3, in->value, in->valuelen);
	ks_stmt_bind_text_ref(st, at + 4, in->value, in->valuelen);
	ks_stmt_bind_int(st, at + 5, in->tlp);
}

static int
store_elements(struct ks_hub *h, const struct ks_hub_report *r, int64_t id,
    struct ks_err *err)
{
	return insert_rows(h, "INSERT INTO elements(report_id, seq, kind, tlp,"
	    " title, body, raw_off, raw_len) VALUES", 8, r->nel, bind_element,
	    r, id, err);
}

static int
store_indicators(struct ks_hub *h, const struct ks_hub_report *r,
    int64_t id, struct ks_err *err)
{
	return insert_rows(h, "INSERT INTO indicators(report_id, kind, role,"
	    " ikey, value, tlp) VALUES", 6, r->nind, bind_indicator, r, id,
	    err);
}

static int
store_all(struct ks_hub *h, const struct ks_hub_parsed *p, const char *name,
    struct ks_hub_ingested *res, struct ks_err *err)
{
	const struct ks_hub_report *r = &p->r;
	int64_t reporter;

	if (store_reporter(h, &r->reporter, &reporter, err) < 0 ||
	    store_report(h, r, reporter, res->hash, name, &res->report_id,
	    err) < 0)
		return -1;
	if (res->report_id == 0) {
		/* another hub stored the same content meanwhile */
		res->duplicate = true;
		return 0;
	}
	if (ks_hub_raw_store(h, res->report_id, p, r->rawn, err) < 0 ||
	    store_elements(h, r, res->report_id, err) < 0 ||
	    store_indicators(h, r, res->report_id, err) < 0 ||
	    ks_hub_place_report(h, res->report_id, &res->incident_id,
	    &res->new_incident, err) < 0)
		return -1;
	return 0;
}

int
ks_hub_prepare(struct ks_hub_parsed *p, const char *data, size_t n,
    const struct ks_hub_profile *profile, const char *profile_text,
    size_t profile_n, struct ks_err *err)
{
	ks_hub_report_init(&p->r);
	p->packed = NULL;
	p->npacked = 0;
	if (content_hash(data, n, profile ? profile_text : NULL, profile_n,
	    p->hash, err) < 0 ||
	    ks_hub_parse(&p->r, data, n, profile, err) < 0)
		return -1;
	return ks_hub_raw_pack(p, data, n, err);
}

void
ks_hub_parsed_free(struct ks_hub_parsed *p)
{
	ks_hub_report_free(&p->r);
	free(p->packed);
	p->packed = NULL;
}

int
ks_hub_store(struct ks_hub *h, const char *name,
    const struct ks_hub_parsed *p, struct ks_hub_ingested *res,
    struct ks_err *err)
{
	const struct ks_hub_report *r = &p->r;

	memset(res, 0, sizeof(*res));
	memcpy(res->hash, p->hash, sizeof(res->hash));
	res->format = r->format;
	if (find_hash(h, res->hash, &res->report_id, &res->incident_id,
	    err) < 0)
		return -1;
	if (res->report_id != 0) {
		res->duplicate = true;
		return 0;
	}
	res->nfindings = r->nfindings;
	res->nelements = r->nel;
	res->nindicators = r->nind;
	res->unparsed = r->unparsed;
	res->bad_values = r->bad_values;
	if (ks_store_begin(h->s, err) < 0)
		return -1;
	if (store_all(h, p, name, res, err) < 0 ||
	    ks_store_commit(h->s, err) < 0) {
		ks_store_rollback(h->s);
		return -1;
	}
	return 0;
}
