/*
 * reports.c - the stored reports as the analyst names and lists them:
 * by number, or by their content hash (or the start of it).
 */
#include <stdlib.h>
#include <string.h>

#include "hub/hub_int.h"
#include "util/i18n.h"

static int
report_exists(struct ks_hub *h, int64_t id, struct ks_err *err)
{
	struct ks_stmt *st;
	int rc;

	if (ks_store_prepare(h->s, "SELECT id FROM reports WHERE id = ?", &st,
	    err) < 0)
		return -1;
	ks_stmt_bind_int(st, 1, id);
	rc = ks_stmt_step(st, err);
	ks_stmt_free(st);
	if (rc == 0)
		return ks_err_set(err, _("no report %lld"), (long long)id);
	return rc < 0 ? -1 : 0;
}

static bool
all_hex(const char *s)
{
	for (; *s != '\0'; s++)
		if (!ks_isdigit(*s) && !(*s >= 'a' && *s <= 'f'))
			return false;
	return true;
}

int
ks_hub_find_report(struct ks_hub *h, const char *ref, int64_t *id,
    struct ks_err *err)
{
	struct ks_stmt *st;
	char pat[80];
	const char *hex = strncmp(ref, "sha256:", 7) == 0 ? ref + 7 : ref;
	char *end;
	long long v = strtoll(ref, &end, 10);
	int rc, found = 0;

	*id = 0;
	if (ref[0] != '\0' && *end == '\0' && v > 0 && strlen(ref) < 8) {
		*id = v;
		return report_exists(h, v, err);
	}
	if (strlen(hex) < 8 || strlen(hex) > 64 || !all_hex(hex))
		return ks_err_set(err, _("'%.80s': not a report number or hash"),
		    ref);
	snprintf(pat, sizeof(pat), "sha256:%s%%", hex);
	if (ks_store_prepare(h->s, "SELECT id FROM reports WHERE hash LIKE ?"
	    " LIMIT 2", &st, err) < 0)
		return -1;
	ks_stmt_bind_str(st, 1, pat);
	while ((rc = ks_stmt_step(st, err)) > 0) {
		*id = ks_stmt_int(st, 0);
		found++;
	}
	ks_stmt_free(st);
	if (rc < 0)
		return -1;
	if (found == 1)
		return 0;
	return ks_err_set(err, found ? _("'%.80s' names more than one report") :
	    _("no report %.80s"), ref);
}

void
ks_hub_report_rows_free(struct ks_hub_report_rows *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].hash);
		free(l->v[i].site);
		free(l->v[i].format);
		free(l->v[i].title);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int
ks_hub_reports(struct ks_hub *h, int64_t incident,
    struct ks_hub_report_rows *out, struct ks_err *err)
{
	struct ks_stmt *st;
	int rc;
	bool ok = true;

	memset(out, 0, sizeof(*out));
	if (ks_store_prepare(h->s, "SELECT r.id, COALESCE(r.incident_id, 0),"
	    " r.hash, p.site, r.format, r.title, r.reported_us,"
	    " r.reported_off, r.category, r.tlp, r.nfindings FROM reports r"
	    " JOIN reporters p ON p.id = r.reporter_id"
	    " WHERE ? = 0 OR r.incident_id = ? ORDER BY r.id", &st, err) < 0)
		return -1;
	ks_stmt_bind_int(st, 1, incident);
	ks_stmt_bind_int(st, 2, incident);
	while ((rc = ks_stmt_step(st, err)) > 0) {
		struct ks_hub_report_row *r;

		if (!ks_hub_grow((void **)&out->v, &out->cap, out->n,
		    sizeof(*out->v))) {
			ok = false;
			break;
		}
		r = &out->v[out->n++];
		r->id = ks_stmt_int(st, 0);
		r->incident_id = ks_stmt_int(st, 1);
		r->hash = ks_hub_strdup(ks_stmt_text(st, 2), &ok);
		r->site = ks_hub_strdup(ks_stmt_text(st, 3), &ok);
		r->format = ks_hub_strdup(ks_stmt_text(st, 4), &ok);
		r->title = ks_hub_strdup(ks_stmt_text(st, 5), &ok);
		r->reported_us = ks_stmt_int(st, 6);
		r->reported_off = (int32_t)ks_stmt_int(st, 7);
		r->cat = (enum ks_cat)(ks_stmt_int(st, 8) % KS_CAT_COUNT);
		r->tlp = (enum ks_tlp)(ks_stmt_int(st, 9) % KS_TLP_COUNT);
		r->nfindings = (uint64_t)ks_stmt_int(st, 10);
	}
	ks_stmt_free(st);
	if (!ok)
		rc = ks_err_set(err, "out of memory");
	if (rc < 0) {
		ks_hub_report_rows_free(out);
		return -1;
	}
	return 0;
}
