/*
 * incidents.c - linked reports grouped into incidents, with a status
 * (new, open, resolved) and an audit trail of what was done, by whom
 * and when.
 *
 * A report is placed when it is stored, inside the ingest transaction:
 * it joins the incident of the reports it is strongly linked to (weak
 * links are for the analyst to judge), merging incidents it bridges,
 * or opens a new one.  An incident dates from its earliest report, so
 * that the monthly statistics count it in the month the case began.
 */
#include <stdlib.h>
#include <string.h>

#include "hub/hub_int.h"
#include "util/i18n.h"

static const char *const status_names[] = { "new", "open", "resolved" };

const char *
ks_status_name(enum ks_status s)
{
	return (unsigned)s < 3 ? status_names[s] : "new";
}

int
ks_status_parse(const char *s)
{
	for (int i = 0; s != NULL && i < 3; i++)
		if (strcmp(s, status_names[i]) == 0)
			return i;
	return -1;
}

/* Runs sql binding integers a, b, c (those the SQL has). */
static int
run3(struct ks_hub *h, const char *sql, int64_t a, int64_t b, int64_t c,
    int64_t *ret, struct ks_err *err)
{
	struct ks_stmt *st;
	int rc, n = 0;

	if (ks_store_prepare(h->s, sql, &st, err) < 0)
		return -1;
	for (const char *p = sql; *p != '\0'; p++)
		n += *p == '?';
	if (n >= 1)
		ks_stmt_bind_int(st, 1, a);
	if (n >= 2)
		ks_stmt_bind_int(st, 2, b);
	if (n >= 3)
		ks_stmt_bind_int(st, 3, c);
	rc = ks_stmt_step(st, err);
	if (rc > 0 && ret != NULL)
		*ret = ks_stmt_int(st, 0);
	ks_stmt_free(st);
	return rc < 0 ? -1 : 0;
}

int
ks_hub_audit(struct ks_hub *h, int64_t incident, const char *action,
    const char *note, struct ks_err *err)
{
	struct ks_stmt *st;
	int rc;

	if (ks_store_prepare(h->s, "INSERT INTO audit(incident_id, at_us, who,"
	    " action, note) VALUES (?, ?, ?, ?, ?)", &st, err) < 0)
		return -1;
	ks_stmt_bind_int(st, 1, incident);
	ks_stmt_bind_int(st, 2, ks_hub_now_us());
	ks_stmt_bind_str(st, 3, h->who);
	ks_stmt_bind_str(st, 4, action);
	ks_stmt_bind_str(st, 5, note);
	rc = ks_stmt_run(st, err);
	ks_stmt_free(st);
	if (rc == 0)
		rc = run3(h, "UPDATE incidents SET updated_us = ? WHERE id = ?",
		    ks_hub_now_us(), incident, 0, NULL, err);
	return rc;
}

/* Moves everything of incident `from` into `to` and drops `from`. */
static int
merge(struct ks_hub *h, int64_t to, int64_t from, struct ks_err *err)
{
	char note[64];

	if (run3(h, "UPDATE reports SET incident_id = ? WHERE incident_id = ?",
	    to, from, 0, NULL, err) < 0 ||
	    run3(h, "UPDATE audit SET incident_id = ? WHERE incident_id = ?",
	    to, from, 0, NULL, err) < 0 ||
	    run3(h, "UPDATE coordinations SET incident_id = ?"
	    " WHERE incident_id = ?", to, from, 0, NULL, err) < 0 ||
	    run3(h, "UPDATE incidents SET created_us = (SELECT MIN(created_us)"
	    " FROM incidents WHERE id IN (?, ?)) WHERE id = ?", to, from, to,
	    NULL, err) < 0 ||
	    run3(h, "DELETE FROM incidents WHERE id = ?", from, 0, 0, NULL,
	    err) < 0)
		return -1;
	snprintf(note, sizeof(note), "incident %lld", (long long)from);
	return ks_hub_audit(h, to, "merged", note, err);
}

/* The incidents of the linked reports, distinct, smallest first. */
static int
linked_incidents(struct ks_hub *h, const struct ks_hub_links *l,
    int64_t **out, size_t *n, struct ks_err *err)
{
	int64_t *v = calloc(l->n + 1, sizeof(*v)), inc;

	*out = v;
	*n = 0;
	if (v == NULL)
		return ks_err_set(err, "out of memory");
	for (size_t i = 0; i < l->n; i++) {
		bool dup = false;

		inc = 0;
		if (l->v[i].report_id == 0)
			continue;
		if (run3(h, "SELECT COALESCE(incident_id, 0) FROM reports"
		    " WHERE id = ?", l->v[i].report_id, 0, 0, &inc, err) < 0)
			return -1;
		for (size_t k = 0; k < *n; k++)
			dup |= v[k] == inc;
		if (inc != 0 && !dup)
			v[(*n)++] = inc;
	}
	for (size_t i = 1; i < *n; i++)
		for (size_t k = i; k > 0 && v[k - 1] > v[k]; k--) {
			inc = v[k];
			v[k] = v[k - 1];
			v[k - 1] = inc;
		}
	return 0;
}

/* "report 2 (bsite): stepping-stone 192.168.100.1 in 192.168.100.0/24". */
static void
describe_links(struct ks_buf *b, int64_t id, const struct ks_hub_links *l)
{
	ks_buf_addf(b, "report %lld", (long long)id);
	for (size_t i = 0; i < l->n && i < 5; i++) {
		ks_buf_adds(b, i == 0 ? ": " : "; ");
		if (l->v[i].report_id != 0)
			ks_buf_addf(b, "report %lld (%s) ",
			    (long long)l->v[i].report_id, l->v[i].site);
		else
			ks_buf_addf(b, "site %s ", l->v[i].site);
		ks_buf_addf(b, "%s %s", ks_why_name(l->v[i].why),
		    l->v[i].value);
		if (l->v[i].detail != NULL)
			ks_buf_addf(b, " in %s", l->v[i].detail);
	}
	if (l->n > 5)
		ks_buf_addf(b, "; %zu more", l->n - 5);
	ks_buf_addc(b, '\0');
}

static int
join(struct ks_hub *h, int64_t report, int64_t inc,
    const struct ks_hub_links *l, struct ks_err *err)
{
	struct ks_buf note;
	int rc;

	if (run3(h, "UPDATE reports SET incident_id = ? WHERE id = ?", inc,
	    report, 0, NULL, err) < 0 ||
	    run3(h, "UPDATE incidents SET created_us = (SELECT MIN(reported_us)"
	    " FROM reports WHERE incident_id = ?) WHERE id = ?", inc, inc, 0,
	    NULL, err) < 0)
		return -1;
	ks_buf_init(&note);
	describe_links(&note, report, l);
	rc = ks_buf_failed(&note) ? ks_err_set(err, "out of memory") :
	    ks_hub_audit(h, inc, "report added", note.p, err);
	ks_buf_free(&note);
	return rc;
}

int
ks_hub_place_report(struct ks_hub *h, int64_t report, int64_t *incident,
    bool *created, struct ks_err *err)
{
	struct ks_hub_links l;
	int64_t *incs = NULL;
	size_t n = 0;
	int rc = -1;

	*created = false;
	if (ks_hub_strong_links(h, report, &l, err) < 0)
		return -1;
	if (linked_incidents(h, &l, &incs, &n, err) < 0)
		goto out;
	if (n == 0) {
		int64_t now = ks_hub_now_us();

		if (run3(h, "INSERT INTO incidents(status, created_us,"
		    " updated_us) VALUES ('new', ?, ?) RETURNING id", now, now,
		    0, &incs[0], err) < 0 ||
		    ks_hub_audit(h, incs[0], "created", NULL, err) < 0)
			goto out;
		*created = true;
	}
	for (size_t i = 1; i < n; i++)
		if (merge(h, incs[0], incs[i], err) < 0)
			goto out;
	if (join(h, report, incs[0], &l, err) < 0)
		goto out;
	*incident = incs[0];
	rc = 0;
out:
	free(incs);
	ks_hub_links_free(&l);
	return rc;
}

/* ---- listing ------------------------------------------------------------------ */

void
ks_hub_incident_free(struct ks_hub_incident *inc)
{
	free(inc->sites);
	inc->sites = NULL;
}

void
ks_hub_incidents_free(struct ks_hub_incidents *l)
{
	for (size_t i = 0; i < l->n; i++)
		ks_hub_incident_free(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Adds a site to the comma-separated list unless it is there. */
static int
add_site(struct ks_hub_incident *inc, const char *site)
{
	size_t n = strlen(site), have = inc->sites ? strlen(inc->sites) : 0;
	char *p;

	for (p = inc->sites; p != NULL; p = strchr(p, ',') ? strchr(p, ',') +
	    1 : NULL)
		if (strncmp(p, site, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 0;
	if ((p = realloc(inc->sites, have + n + 2)) == NULL)
		return -1;
	if (have > 0)
		p[have++] = ',';
	memcpy(p + have, site, n + 1);
	inc->sites = p;
	return 0;
}

static int
load_incidents(struct ks_hub *h, const char *where, int64_t arg,
    struct ks_hub_incidents *out, struct ks_err *err)
{
	struct ks_buf sql;
	struct ks_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	ks_buf_init(&sql);
	ks_buf_addf(&sql, "SELECT i.id, i.status, i.created_us, i.updated_us,"
	    " p.site, r.category FROM incidents i JOIN reports r"
	    " ON r.incident_id = i.id JOIN reporters p ON p.id = r.reporter_id"
	    " %s ORDER BY i.id, r.id", where);
	ks_buf_addc(&sql, '\0');
	if (ks_buf_failed(&sql)) {
		ks_buf_free(&sql);
		return ks_err_set(err, "out of memory");
	}
	rc = ks_store_prepare(h->s, sql.p, &st, err);
	ks_buf_free(&sql);
	if (rc < 0)
		return -1;
	if (strchr(where, '?') != NULL)
		ks_stmt_bind_int(st, 1, arg);
	while ((rc = ks_stmt_step(st, err)) > 0) {
		int64_t id = ks_stmt_int(st, 0);
		struct ks_hub_incident *inc;

		if (out->n == 0 || out->v[out->n - 1].id != id) {
			if (!ks_hub_grow((void **)&out->v, &out->cap, out->n,
			    sizeof(*out->v)))
				break;
			inc = &out->v[out->n++];
			memset(inc, 0, sizeof(*inc));
			inc->id = id;
			inc->status = (enum ks_status)ks_status_parse(
			    ks_stmt_text(st, 1));
			inc->created_us = ks_stmt_int(st, 2);
			inc->updated_us = ks_stmt_int(st, 3);
			inc->cat = (enum ks_cat)ks_stmt_int(st, 5);
		}
		inc = &out->v[out->n - 1];
		inc->nreports++;
		if (add_site(inc, ks_stmt_text(st, 4)) < 0)
			break;
	}
	ks_stmt_free(st);
	if (rc > 0)
		rc = ks_err_set(err, "out of memory");
	if (rc < 0) {
		ks_hub_incidents_free(out);
		return -1;
	}
	return 0;
}

int
ks_hub_incidents(struct ks_hub *h, int status, struct ks_hub_incidents *out,
    struct ks_err *err)
{
	if (status < 0)
		return load_incidents(h, "", 0, out, err);
	/* the status names are constants of ours: no user text in SQL */
	if (status == KS_ST_NEW)
		return load_incidents(h, "WHERE i.status = 'new'", 0, out, err);
	if (status == KS_ST_OPEN)
		return load_incidents(h, "WHERE i.status = 'open'", 0, out, err);
	return load_incidents(h, "WHERE i.status = 'resolved'", 0, out, err);
}

int
ks_hub_incident(struct ks_hub *h, int64_t id, struct ks_hub_incident *out,
    struct ks_err *err)
{
	struct ks_hub_incidents l;

	if (load_incidents(h, "WHERE i.id = ?", id, &l, err) < 0)
		return -1;
	if (l.n == 0) {
		ks_hub_incidents_free(&l);
		return ks_err_set(err, _("no incident %lld"), (long long)id);
	}
	*out = l.v[0];
	l.v[0].sites = NULL;
	ks_hub_incidents_free(&l);
	return 0;
}

void
ks_hub_audits_free(struct ks_hub_audits *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].who);
		free(l->v[i].action);
		free(l->v[i].note);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int
ks_hub_audit_trail(struct ks_hub *h, int64_t incident,
    struct ks_hub_audits *out, struct ks_err *err)
{
	struct ks_stmt *st;
	int rc;
	bool ok = true;

	memset(out, 0, sizeof(*out));
	if (ks_store_prepare(h->s, "SELECT at_us, who, action, note FROM audit"
	    " WHERE incident_id = ? ORDER BY id", &st, err) < 0)
		return -1;
	ks_stmt_bind_int(st, 1, incident);
	while ((rc = ks_stmt_step(st, err)) > 0) {
		struct ks_hub_audit *a;

		if (!ks_hub_grow((void **)&out->v, &out->cap, out->n,
		    sizeof(*out->v))) {
			ok = false;
			break;
		}
		a = &out->v[out->n++];
		a->at_us = ks_stmt_int(st, 0);
		a->who = ks_hub_strdup(ks_stmt_text(st, 1), &ok);
		a->action = ks_hub_strdup(ks_stmt_text(st, 2), &ok);
		a->note = ks_stmt_is_null(st, 3) ? NULL :
		    ks_hub_strdup(ks_stmt_text(st, 3), &ok);
	}
	ks_stmt_free(st);
	if (!ok)
		rc = ks_err_set(err, "out of memory");
	if (rc < 0) {
		ks_hub_audits_free(out);
		return -1;
	}
	return 0;
}

static int
update(struct ks_hub *h, int64_t id, int status, const char *note,
    int64_t add, struct ks_err *err)
{
	struct ks_hub_incident inc;
	char buf[64];

	if (ks_hub_incident(h, id, &inc, err) < 0)
		return -1;
	ks_hub_incident_free(&inc);
	if (status >= 0) {
		struct ks_stmt *st;
		int rc;

		if (ks_store_prepare(h->s, "UPDATE incidents SET status = ?"
		    " WHERE id = ?", &st, err) < 0)
			return -1;
		ks_stmt_bind_str(st, 1, ks_status_name(status));
		ks_stmt_bind_int(st, 2, id);
		rc = ks_stmt_run(st, err);
		ks_stmt_free(st);
		if (rc < 0 || ks_hub_audit(h, id, "status",
		    ks_status_name(status), err) < 0)
			return -1;
	}
	if (note != NULL && ks_hub_audit(h, id, "note", note, err) < 0)
		return -1;
	if (add > 0) {
		snprintf(buf, sizeof(buf), "report %lld", (long long)add);
		if (run3(h, "UPDATE reports SET incident_id = ? WHERE id = ?",
		    id, add, 0, NULL, err) < 0 ||
		    ks_hub_audit(h, id, "report added", buf, err) < 0)
			return -1;
	}
	return 0;
}

int
ks_hub_incident_update(struct ks_hub *h, int64_t id, int status,
    const char *note, int64_t add_report, struct ks_err *err)
{
	if (ks_store_begin(h->s, err) < 0)
		return -1;
	if (update(h, id, status, note, add_report, err) < 0 ||
	    ks_store_commit(h->s, err) < 0) {
		ks_store_rollback(h->s);
		return -1;
	}
	return 0;
}
