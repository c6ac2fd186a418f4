/*
 * disclose.c - what one site may see of another site's report, written
 * as an IODEF v2 document (RFC 7970) for a notification's attachment.
 *
 * notify.c decides what the recipient may see: the elements and source
 * addresses that their TLP allows it, and whether the reporter may be
 * named.  This file only puts that subset into the report model (struct
 * ks_report, src/report) and hands it to the report's IODEF writer, so
 * that an attachment is escaped and laid out like `kansatsu report
 * --format iodef`, which the schema tests validate.
 *
 * How each kind of element is written again:
 *   - a finding is read back by the findings contract's reader and its
 *     evidence becomes log excerpts at the finding's level and time, as
 *     in a report built from findings;
 *   - a system from its JSON object (the report model's: role, ip,
 *     domain, port, as, geo, network, own), the address made canonical;
 *   - an excerpt as stored, the place it came from as its path;
 *   - descriptions joined into the discovery text;
 *   - a shown source address that no shown system names as a source
 *     becomes a source system of its own.
 * A log line given twice (as a finding's evidence and as an excerpt) is
 * written once.  The hub's category gives the classification, with its
 * JPCERT/CC category.  Everything keeps its own level as its
 * restriction; the filtering is done already, so the writer's audience
 * is RED.  Whatever cannot be written again is counted, not guessed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/hub_int.h"
#include "report/report.h"

struct build {
	struct ks_report rep;
	struct ks_findset fs;        /* owns the findings rep borrows */
	struct ks_map *lines;        /* the log lines written */
	struct ks_buf desc;          /* the descriptions, joined */
	size_t unwritten;
};

static enum ks_jpcert
jpcert_of(enum ks_cat c)
{
	static const enum ks_jpcert map[KS_CAT_COUNT] = {
		[KS_CAT_SCAN] = KS_JPCERT_SCAN,
		[KS_CAT_INTRUSION] = KS_JPCERT_INTRUSION,
		[KS_CAT_STEPPING_STONE] = KS_JPCERT_STEPPING_STONE,
		[KS_CAT_RELAY] = KS_JPCERT_MAIL_RELAY,
		[KS_CAT_DEFACEMENT] = KS_JPCERT_DEFACEMENT,
		[KS_CAT_DOS] = KS_JPCERT_DOS,
		[KS_CAT_OTHER] = KS_JPCERT_OTHER,
	};

	return map[c];
}

/* The category's RSIT taxonomy and type, and its JPCERT/CC category. */
static bool
classify(struct ks_report *rep, enum ks_cat c)
{
	const char *rsit = ks_cat_rsit(c), *slash = strchr(rsit, '/');
	char taxonomy[64];

	snprintf(taxonomy, sizeof(taxonomy), "%.*s", (int)(slash - rsit),
	    rsit);
	return ks_report_add_class(rep, taxonomy, slash + 1, jpcert_of(c));
}

/* The report's id, levels and time, and the reporter as far as shown. */
static bool
identity(struct ks_report *rep, const struct ks_hub_disclosed *d)
{
	bool named = d->site != NULL;

	snprintf(rep->id, sizeof(rep->id), "%s", d->hash ? d->hash : "");
	rep->tlp = d->tlp;
	rep->contact_tlp = d->contact_tlp;
	rep->generated_us = d->now_us;
	rep->generated_off = 0;
	return ks_report_set(&rep->language, d->lang) &&
	    ks_report_set(&rep->site, d->site) &&
	    ks_report_set(&rep->organisation, named ? d->organisation :
	    d->unnamed) &&
	    ks_report_set(&rep->contact_name, named ? d->contact_name : NULL) &&
	    ks_report_set(&rep->contact_email, named ? d->contact_email :
	    NULL) &&
	    ks_report_set(&rep->contact_phone, named ? d->contact_phone :
	    NULL);
}

/* A log line, unless the same text is written already. */
static int
add_line(struct build *b, const char *path, uint64_t line,
    const char *cursor, const char *text, enum ks_tlp tlp, int64_t ts_us,
    int32_t off, struct ks_err *err)
{
	size_t n = strlen(text), at = b->rep.nexcerpts;

	if (ks_map_get(b->lines, text, n, &at))
		return 0;
	if (ks_map_put(b->lines, text, n, at, err) < 0)
		return -1;
	if (!ks_report_add_excerpt(&b->rep, path, line, cursor, text, tlp))
		return ks_err_set(err, "out of memory");
	b->rep.excerpts[at].ts_us = ts_us;
	b->rep.excerpts[at].off = off;
	return 0;
}

/* A finding's span widens the report's, its evidence gives log lines. */
static int
finding_lines(struct build *b, const struct ks_finding *fd, enum ks_tlp tlp,
    struct ks_err *err)
{
	ks_report_add_span(&b->rep, fd);
	for (size_t i = 0; i < fd->nev; i++)
		if (add_line(b, fd->ev[i].path, fd->ev[i].line,
		    fd->ev[i].cursor, fd->ev[i].text, tlp, fd->first_us,
		    fd->first_off, err) < 0)
			return -1;
	return 0;
}

/* The findings shown, read back by the findings contract's reader. */
static int
take_findings(struct build *b, const struct ks_hub_disclosed *d,
    struct ks_err *err)
{
	enum ks_tlp *tlp = calloc(d->nel + 1, sizeof(*tlp));

	if (tlp == NULL)
		return ks_err_set(err, "out of memory");
	b->rep.finding_tlp = tlp;
	for (size_t i = 0; i < d->nel; i++) {
		const struct ks_hub_element *e = d->el[i];
		size_t before = b->fs.list.n;

		if (e->kind != KS_EL_FINDING)
			continue;
		if (e->body != NULL && ks_findset_line(&b->fs, e->body,
		    strlen(e->body), "finding", i + 1, err) < 0)
			return -1;
		if (b->fs.list.n > before)
			tlp[before] = e->tlp;
		else
			b->unwritten++;
	}
	b->rep.findings = (const struct ks_finding *const *)b->fs.list.v;
	b->rep.nfindings = b->fs.list.n;
	for (size_t i = 0; i < b->rep.nfindings; i++)
		if (finding_lines(b, b->rep.findings[i], tlp[i], err) < 0)
			return -1;
	return 0;
}

/* An integer member within [1, max], else 0. */
static uint32_t
bounded(json_t *o, const char *dotted, uint32_t max)
{
	json_t *v = ks_hub_jget(o, dotted);

	return json_is_integer(v) && json_integer_value(v) > 0 &&
	    json_integer_value(v) <= max ? (uint32_t)json_integer_value(v) : 0;
}

/* A system from its JSON object; one that is not whole is counted. */
static int
take_system(struct build *b, const struct ks_hub_element *e,
    struct ks_err *err)
{
	json_t *o = e->body ? json_loads(e->body, JSON_REJECT_DUPLICATES,
	    NULL) : NULL;
	const char *ip = ks_hub_jstr(o, "ip");
	int role = ks_role_parse(ks_hub_jstr(o, "role"));
	unsigned char bin[16];
	char canon[64];
	struct ks_system s = {
		.tlp = e->tlp,
		.domain = (char *)ks_hub_jstr(o, "domain"),
		.own = json_is_true(json_object_get(o, "own")),
		.port = bounded(o, "port", 65535),
		.asn = bounded(o, "as.number", UINT32_MAX),
		.country = (char *)ks_hub_jstr(o, "geo.country_iso_code"),
		.as_org = (char *)ks_hub_jstr(o, "as.organization.name"),
		.network = (char *)ks_hub_jstr(o, "network"),
	};
	bool ok = true;

	if (ip != NULL && ks_ip_parse(ip, bin) == 0) {
		ks_addr_format(bin, canon);
		s.ip = canon;
	}
	if (role < 0 || (ip != NULL && s.ip == NULL) || (s.ip == NULL &&
	    s.domain == NULL))
		b->unwritten++;
	else {
		s.role = (enum ks_role)role;
		ok = ks_report_add_system(&b->rep, &s);
	}
	json_decref(o);
	return ok ? 0 : ks_err_set(err, "out of memory");
}

/*
 * Every shown element but the findings, in the report's order; a
 * contact is not taken, the reporter being given by d's own fields.
 */
static int
take_others(struct build *b, const struct ks_hub_disclosed *d,
    struct ks_err *err)
{
	for (size_t i = 0; i < d->nel; i++) {
		const struct ks_hub_element *e = d->el[i];
		int rc = 0;

		if (e->kind == KS_EL_FINDING)
			continue;
		if (e->body == NULL)
			b->unwritten++;
		else if (e->kind == KS_EL_SYSTEM)
			rc = take_system(b, e, err);
		else if (e->kind == KS_EL_EXCERPT)
			rc = add_line(b, e->title ? e->title : "-", 0, NULL,
			    e->body, e->tlp, INT64_MIN, 0, err);
		else if (e->kind == KS_EL_DESCRIPTION) {
			ks_buf_adds(&b->desc, b->desc.len > 0 ? "; " : "");
			ks_buf_adds(&b->desc, e->body);
		} else if (e->kind == KS_EL_ADVICE &&
		    !ks_report_add_advice(&b->rep, e->body))
			rc = ks_err_set(err, "out of memory");
		if (rc < 0)
			return -1;
	}
	ks_buf_addc(&b->desc, '\0');
	if (ks_buf_failed(&b->desc) || (b->desc.len > 1 &&
	    !ks_report_set(&b->rep.discovery, b->desc.p)))
		return ks_err_set(err, "out of memory");
	return 0;
}

static bool
has_source(const struct ks_report *r, const char *ip)
{
	for (size_t i = 0; i < r->nsystems; i++)
		if (r->systems[i].role == KS_ROLE_SOURCE &&
		    r->systems[i].ip != NULL &&
		    strcmp(r->systems[i].ip, ip) == 0)
			return true;
	return false;
}

/* The shown source addresses that no shown system names. */
static int
take_sources(struct build *b, const struct ks_hub_disclosed *d,
    struct ks_err *err)
{
	for (size_t k = 0; k < d->nsrc; k++) {
		unsigned char bin[16];
		char canon[64];
		struct ks_system s = { .role = KS_ROLE_SOURCE, .ip = canon,
		    .tlp = d->src[k].tlp };

		if (d->src[k].ip == NULL ||
		    ks_ip_parse(d->src[k].ip, bin) < 0) {
			b->unwritten++;
			continue;
		}
		ks_addr_format(bin, canon);
		if (!has_source(&b->rep, canon) &&
		    !ks_report_add_system(&b->rep, &s))
			return ks_err_set(err, "out of memory");
	}
	return 0;
}

int
ks_hub_disclosed_iodef(struct ks_buf *out, const struct ks_hub_disclosed *d,
    size_t *unwritten, struct ks_err *err)
{
	struct build b;
	enum ks_cat cat = (unsigned)d->cat < KS_CAT_COUNT ? d->cat :
	    KS_CAT_OTHER;
	int rc = -1;

	memset(&b, 0, sizeof(b));
	ks_report_init(&b.rep);
	ks_buf_init(&b.desc);
	if (ks_findset_init(&b.fs, err) < 0 || ks_map_new(&b.lines,
	    d->nel * KS_EVIDENCE_MAX + 1, err) < 0)
		goto out;
	if (!identity(&b.rep, d) || !classify(&b.rep, cat)) {
		ks_err_set(err, "out of memory");
		goto out;
	}
	if (take_findings(&b, d, err) < 0 || take_others(&b, d, err) < 0 ||
	    take_sources(&b, d, err) < 0)
		goto out;
	rc = ks_report_iodef(out, &b.rep, KS_TLP_RED, err);
	*unwritten = b.unwritten;
out:
	ks_report_free(&b.rep);
	ks_findset_free(&b.fs);
	ks_map_free(b.lines);
	ks_buf_free(&b.desc);
	return rc;
}
