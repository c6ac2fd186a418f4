/*
 * json.c - the report model as JSON (docs/report-model.md), what
 * `kansatsu report --format json` writes and `kansatsu hub ingest` reads.
 *
 * Members in the documented order; members the document marks optional
 * are left out when empty.  An element whose level is stricter than the
 * audience's (share) is left out, and the report's own level is written
 * as the stricter of the two, so an export never claims more than it may.
 */
#include <string.h>

#include "report/report_int.h"

static void
jstr(struct ks_buf *b, const char *s)
{
	if (s == NULL)
		ks_buf_adds(b, "null");
	else
		ks_json_str(b, s, strlen(s));
}

/* ,"key":"value" when value is set. */
static void
opt_member(struct ks_buf *b, const char *key, const char *v, bool *first)
{
	if (v == NULL)
		return;
	ks_buf_addf(b, "%s\"%s\":", *first ? "" : ",", key);
	*first = false;
	jstr(b, v);
}

static void
strv(struct ks_buf *b, char *const *v, size_t n)
{
	ks_buf_addc(b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			ks_buf_addc(b, ',');
		jstr(b, v[i]);
	}
	ks_buf_addc(b, ']');
}

static void
reporter(struct ks_buf *b, const struct ks_report *r, enum ks_tlp share)
{
	bool first = true, own;

	ks_buf_adds(b, ",\"reporter\":{");
	opt_member(b, "site", r->site, &first);
	opt_member(b, "organisation", r->organisation, &first);
	if (ks_tlp_shown(r->contact_tlp, share)) {
		bool cf = true;

		ks_buf_addf(b, "%s\"contact\":{", first ? "" : ",");
		first = false;
		opt_member(b, "name", r->contact_name, &cf);
		opt_member(b, "email", r->contact_email, &cf);
		opt_member(b, "phone", r->contact_phone, &cf);
		opt_member(b, "tlp", ks_tlp_name(r->contact_tlp), &cf);
		ks_buf_addc(b, '}');
	}
	opt_member(b, "timezone", r->timezone, &first);
	/* the site's own ranges and names are at the report's level */
	own = ks_tlp_shown(r->tlp, share);
	ks_buf_addf(b, "%s\"networks\":", first ? "" : ",");
	strv(b, r->networks, own ? r->nnetworks : 0);
	ks_buf_adds(b, ",\"domains\":");
	strv(b, r->domains, own ? r->ndomains : 0);
	ks_buf_addc(b, '}');
	if (r->recipient_name != NULL || r->recipient_email != NULL) {
		first = true;
		ks_buf_adds(b, ",\"recipient\":{");
		opt_member(b, "name", r->recipient_name, &first);
		opt_member(b, "email", r->recipient_email, &first);
		ks_buf_addc(b, '}');
	}
}

static void
time_member(struct ks_buf *b, const char *key, int64_t us, int32_t off,
    bool have)
{
	ks_buf_addf(b, ",\"%s\":", key);
	if (!have) {
		ks_buf_adds(b, "null");
		return;
	}
	ks_buf_addc(b, '"');
	ks_time_format(b, us, off);
	ks_buf_addc(b, '"');
}

static void
classification(struct ks_buf *b, const struct ks_report *r)
{
	ks_buf_adds(b, ",\"classification\":[");
	for (size_t i = 0; i < r->nclasses; i++) {
		ks_buf_adds(b, i ? ",{\"taxonomy\":" : "{\"taxonomy\":");
		jstr(b, r->classes[i].taxonomy);
		ks_buf_adds(b, ",\"type\":");
		jstr(b, r->classes[i].type);
		ks_buf_adds(b, ",\"jpcert\":");
		jstr(b, ks_jpcert_label(r->classes[i].jpcert));
		ks_buf_addc(b, '}');
	}
	ks_buf_addc(b, ']');
}

static void
system_json(struct ks_buf *b, const struct ks_system *s)
{
	bool first = true;

	ks_buf_addc(b, '{');
	opt_member(b, "role", ks_role_name(s->role), &first);
	opt_member(b, "ip", s->ip, &first);
	opt_member(b, "domain", s->domain, &first);
	if (s->port)
		ks_buf_addf(b, ",\"port\":%u", s->port);
	if (s->country != NULL) {
		ks_buf_adds(b, ",\"geo\":{\"country_iso_code\":");
		jstr(b, s->country);
		ks_buf_addc(b, '}');
	}
	if (s->asn != 0 || s->as_org != NULL) {
		bool af = true;

		ks_buf_adds(b, ",\"as\":{");
		if (s->asn != 0) {
			ks_buf_addf(b, "\"number\":%u", (unsigned)s->asn);
			af = false;
		}
		if (s->as_org != NULL) {
			ks_buf_addf(b, "%s\"organization\":{\"name\":",
			    af ? "" : ",");
			jstr(b, s->as_org);
			ks_buf_addc(b, '}');
		}
		ks_buf_addc(b, '}');
	}
	opt_member(b, "network", s->network, &first);
	opt_member(b, "tlp", ks_tlp_name(s->tlp), &first);
	ks_buf_addf(b, ",\"own\":%s}", s->own ? "true" : "false");
}

static void
systems(struct ks_buf *b, const struct ks_report *r, enum ks_tlp share)
{
	bool first = true;

	ks_buf_adds(b, ",\"systems\":[");
	for (size_t i = 0; i < r->nsystems; i++) {
		if (!ks_tlp_shown(r->systems[i].tlp, share))
			continue;
		if (!first)
			ks_buf_addc(b, ',');
		first = false;
		system_json(b, &r->systems[i]);
	}
	ks_buf_addc(b, ']');
}

/* Each finding by the contract, with its level added. */
static void
findings(struct ks_buf *b, const struct ks_report *r, enum ks_tlp share)
{
	struct ks_buf one;
	bool first = true;

	ks_buf_init(&one);
	ks_buf_adds(b, ",\"findings\":[");
	for (size_t i = 0; i < r->nfindings; i++) {
		if (!ks_tlp_shown(r->finding_tlp[i], share))
			continue;
		ks_buf_reset(&one);
		ks_finding_json(&one, r->findings[i]);
		if (one.len < 2 || ks_buf_failed(&one))
			continue;
		if (!first)
			ks_buf_addc(b, ',');
		first = false;
		ks_buf_add(b, one.p, one.len - 2);      /* without "}\n" */
		ks_buf_addf(b, ",\"tlp\":\"%s\"}", ks_tlp_name(r->finding_tlp[i]));
	}
	ks_buf_addc(b, ']');
	ks_buf_free(&one);
}

static void
excerpts(struct ks_buf *b, const struct ks_report *r, enum ks_tlp share)
{
	bool first = true;

	ks_buf_adds(b, ",\"excerpts\":[");
	for (size_t i = 0; i < r->nexcerpts; i++) {
		const struct ks_excerpt *e = &r->excerpts[i];

		if (!ks_tlp_shown(e->tlp, share))
			continue;
		ks_buf_adds(b, first ? "{\"path\":" : ",{\"path\":");
		first = false;
		jstr(b, e->path);
		ks_buf_adds(b, ",\"line\":");
		if (e->cursor != NULL)
			jstr(b, e->cursor);
		else if (e->line > 0)
			ks_buf_addu(b, e->line);
		else
			ks_buf_adds(b, "null");
		ks_buf_adds(b, ",\"text\":");
		jstr(b, e->text);
		ks_buf_addf(b, ",\"tlp\":\"%s\"}", ks_tlp_name(e->tlp));
	}
	ks_buf_addc(b, ']');
}

void
ks_report_json(struct ks_buf *b, const struct ks_report *r,
    enum ks_tlp share)
{
	bool have = r->first_us != INT64_MAX;

	ks_buf_adds(b, "{\"kansatsu_report\":1,\"id\":");
	jstr(b, r->id);
	time_member(b, "generated", r->generated_us, r->generated_off, true);
	ks_buf_adds(b, ",\"generator\":{\"name\":\"kansatsu\",\"version\":");
	jstr(b, r->version);
	ks_buf_adds(b, ",\"host\":");
	jstr(b, r->host);
	ks_buf_addc(b, '}');
	reporter(b, r, share);
	ks_buf_adds(b, ",\"language\":");
	jstr(b, r->language);
	ks_buf_addf(b, ",\"tlp\":\"%s\"", ks_tlp_name(ks_tlp_export(r, share)));
	classification(b, r);
	time_member(b, "first_seen", r->first_us, r->first_off, have);
	time_member(b, "last_seen", r->last_us, r->last_off, have);
	ks_buf_addf(b, ",\"clock\":{\"synchronised\":%s,\"timezone\":",
	    r->clock_sync < 0 ? "null" : r->clock_sync ? "true" : "false");
	jstr(b, r->timezone);
	ks_buf_adds(b, "},\"discovery\":");
	jstr(b, r->discovery);
	ks_buf_adds(b, ",\"request\":[");
	for (int i = 0, n = 0; i < KS_REQ_COUNT; i++)
		if (r->request & (1u << i))
			ks_buf_addf(b, "%s\"%s\"", n++ ? "," : "",
			    ks_request_name(i));
	ks_buf_addc(b, ']');
	systems(b, r, share);
	findings(b, r, share);
	excerpts(b, r, share);
	ks_buf_adds(b, ",\"advice\":");
	strv(b, r->advice, r->nadvice);
	ks_buf_adds(b, ",\"inputs\":[");
	for (size_t i = 0; i < r->ninputs; i++) {
		ks_buf_adds(b, i ? ",{\"path\":" : "{\"path\":");
		jstr(b, r->inputs[i].path);
		ks_buf_adds(b, ",\"sha256\":");
		jstr(b, r->inputs[i].sha256);
		ks_buf_addc(b, '}');
	}
	ks_buf_addf(b, "],\"redacted\":%s}\n", r->redacted ? "true" : "false");
}
