/*
 * ingest_json.c - the kansatsu report (docs/report-model.md), as
 * `kansatsu report --format json` writes it, into the hub's model.
 *
 * The report carries its reporter (the profile), a default TLP and a
 * TLP on every system, finding and excerpt; each becomes an element
 * under its own level, and the systems and findings give the indicators
 * with their roles.  The first classification (the most severe) gives
 * the category, by its JPCERT label when it has one.
 */
#include <string.h>

#include "hub/hub_int.h"
#include "util/i18n.h"

#define REPORT_MODEL_VERSION 1

static int
take_strv(json_t *arr, struct ks_hub_profile *p, bool networks,
    struct ks_err *err)
{
	size_t i;
	json_t *v;
	char **dst;
	bool ok = true;

	json_array_foreach(arr, i, v) {
		const char *s = json_string_value(v);

		if (s == NULL)
			return ks_err_set(err, _("reporter: %s must hold strings"),
			    networks ? "networks" : "domains");
		if (networks) {
			if (ks_hub_profile_add_network(p, s, err) < 0)
				return -1;
			continue;
		}
		if ((dst = reallocarray(p->domains, p->ndomains + 1,
		    sizeof(*dst))) == NULL)
			return ks_err_set(err, "out of memory");
		p->domains = dst;
		if ((dst[p->ndomains] = ks_hub_strdup(s, &ok)) == NULL)
			return ks_err_set(err, "out of memory");
		p->ndomains++;
	}
	return 0;
}

int
ks_hub_take_reporter(struct ks_hub_profile *p, json_t *o, struct ks_err *err)
{
	bool ok = true;
	int t;

	if (!json_is_object(o))
		return ks_err_set(err, _("the report has no reporter object"));
	p->site = ks_hub_strdup(ks_hub_jstr(o, "site"), &ok);
	p->organisation = ks_hub_strdup(ks_hub_jstr(o, "organisation"), &ok);
	p->contact_name = ks_hub_strdup(ks_hub_jstr(o, "contact.name"), &ok);
	p->contact_email = ks_hub_strdup(ks_hub_jstr(o, "contact.email"), &ok);
	p->contact_phone = ks_hub_strdup(ks_hub_jstr(o, "contact.phone"), &ok);
	p->timezone = ks_hub_strdup(ks_hub_jstr(o, "timezone"), &ok);
	if (!ok)
		return ks_err_set(err, "out of memory");
	if ((t = ks_tlp_parse(ks_hub_jstr(o, "contact.tlp"))) >= 0)
		p->contact_tlp = (enum ks_tlp)t;
	if (take_strv(json_object_get(o, "networks"), p, true, err) < 0 ||
	    take_strv(json_object_get(o, "domains"), p, false, err) < 0)
		return -1;
	if (p->site == NULL || p->site[0] == '\0')
		return ks_err_set(err, _("reporter: site is required"));
	return 0;
}

static enum ks_tlp
tlp_of(json_t *o, enum ks_tlp def)
{
	int t = ks_tlp_parse(ks_hub_jstr(o, "tlp"));

	return t >= 0 ? (enum ks_tlp)t : def;
}

static int
take_system(struct ks_hub_report *r, json_t *s, struct ks_err *err)
{
	int role = ks_role_parse(ks_hub_jstr(s, "role"));
	enum ks_tlp tlp = tlp_of(s, r->tlp);
	const char *ip = ks_hub_jstr(s, "ip"), *dom = ks_hub_jstr(s, "domain");
	char tmp[24], title[320], *body;
	int rc;

	if (role < 0) {
		r->unparsed++;
		return 0;
	}
	snprintf(title, sizeof(title), "%s %s", ks_role_name(role),
	    ip ? ip : dom ? dom : "-");
	if ((body = json_dumps(s, JSON_COMPACT)) == NULL)
		return ks_err_set(err, "out of memory");
	rc = ks_hub_add_element(r, KS_EL_SYSTEM, tlp, title, body,
	    strlen(body));
	free(body);
	if (rc < 0 || ks_hub_add_ip(r, role, tlp, ip) < 0 ||
	    ks_hub_add_domain(r, role, tlp, dom) < 0 ||
	    ks_hub_add_as(r, role, tlp, ks_hub_jtext(s, "as.number", tmp,
	    sizeof(tmp))) < 0)
		return ks_err_set(err, "out of memory");
	return 0;
}

static int
take_excerpt(struct ks_hub_report *r, json_t *x, struct ks_err *err)
{
	const char *text = ks_hub_jstr(x, "text"), *path = ks_hub_jstr(x,
	    "path");
	json_t *line = json_object_get(x, "line");
	char title[320];

	if (text == NULL) {
		r->unparsed++;
		return 0;
	}
	if (json_is_integer(line))
		snprintf(title, sizeof(title), "%s:%lld", path ? path : "-",
		    (long long)json_integer_value(line));
	else
		snprintf(title, sizeof(title), "%s", path ? path : "-");
	if (ks_hub_add_element(r, KS_EL_EXCERPT, tlp_of(x, r->tlp), title,
	    text, strlen(text)) < 0)
		return ks_err_set(err, "out of memory");
	return 0;
}

static int
take_head(struct ks_hub_report *r, json_t *j, struct ks_err *err)
{
	json_t *cls = json_array_get(json_object_get(j, "classification"), 0);
	json_t *sync = ks_hub_jget(j, "clock.synchronised");
	size_t i;
	json_t *v;
	bool ok = true;
	int cat;

	if (ks_hub_time_parse(ks_hub_jstr(j, "generated"), &r->reported_us,
	    &r->reported_off) == 0)
		r->has_reported = true;
	r->tlp = tlp_of(j, KS_TLP_AMBER);
	r->reporter.tlp = r->tlp;
	r->reporter.language = ks_hub_strdup(ks_hub_jstr(j, "language"), &ok);
	r->reporter.recipient_name = ks_hub_strdup(ks_hub_jstr(j,
	    "recipient.name"), &ok);
	r->reporter.recipient_email = ks_hub_strdup(ks_hub_jstr(j,
	    "recipient.email"), &ok);
	r->discovery = ks_hub_strdup(ks_hub_jstr(j, "discovery"), &ok);
	r->timezone = ks_hub_strdup(ks_hub_jstr(j, "clock.timezone"), &ok);
	if (!ok)
		return ks_err_set(err, "out of memory");
	r->clock_sync = json_is_boolean(sync) ? json_is_true(sync) : -1;
	json_array_foreach(json_object_get(j, "request"), i, v)
		r->request |= ks_req_parse(json_string_value(v));
	r->reporter.request = r->request;
	if ((cat = ks_cat_from_jpcert(ks_hub_jstr(cls, "jpcert"))) >= 0) {
		r->cat = (enum ks_cat)cat;
		r->has_cat = true;
	}
	return 0;
}

static int
take_body(struct ks_hub_report *r, json_t *j, struct ks_err *err)
{
	size_t i;
	json_t *v;
	struct ks_err ferr;

	if (r->discovery != NULL && ks_hub_add_element(r, KS_EL_DESCRIPTION,
	    r->tlp, "discovery", r->discovery, strlen(r->discovery)) < 0)
		return ks_err_set(err, "out of memory");
	json_array_foreach(json_object_get(j, "systems"), i, v)
		if (take_system(r, v, err) < 0)
			return -1;
	json_array_foreach(json_object_get(j, "findings"), i, v)
		if (ks_hub_take_finding(r, v, NULL, 0, r->tlp, &ferr) < 0)
			r->unparsed++;
	json_array_foreach(json_object_get(j, "excerpts"), i, v)
		if (take_excerpt(r, v, err) < 0)
			return -1;
	json_array_foreach(json_object_get(j, "advice"), i, v) {
		const char *s = json_string_value(v);

		if (s != NULL && ks_hub_add_element(r, KS_EL_ADVICE, r->tlp,
		    NULL, s, strlen(s)) < 0)
			return ks_err_set(err, "out of memory");
	}
	return 0;
}

/* The category's RSIT pair, when no finding gave one. */
static int
rsit_default(struct ks_hub_report *r, json_t *j)
{
	json_t *cls = json_array_get(json_object_get(j, "classification"), 0);
	bool ok = true;

	if (r->taxonomy != NULL)
		return 0;
	r->taxonomy = ks_hub_strdup(ks_hub_jstr(cls, "taxonomy"), &ok);
	free(r->type);
	r->type = ks_hub_strdup(ks_hub_jstr(cls, "type"), &ok);
	return ok ? 0 : -1;
}

int
ks_hub_parse_report_json(struct ks_hub_report *r, const char *data,
    size_t n, struct ks_err *err)
{
	json_t *j = ks_hub_jload(data, n, err), *ver;
	int rc = -1;

	if (j == NULL)
		return -1;
	r->format = "kansatsu-report";
	r->raw_type = "application/json";
	ver = json_object_get(j, "kansatsu_report");
	if (!json_is_integer(ver) ||
	    json_integer_value(ver) < REPORT_MODEL_VERSION) {
		ks_err_set(err, _("not a kansatsu report (no kansatsu_report "
		    "version)"));
		goto out;
	}
	if (take_head(r, j, err) < 0 ||
	    ks_hub_take_reporter(&r->reporter, json_object_get(j, "reporter"),
	    err) < 0 ||
	    ks_hub_add_contact(r) < 0 || take_body(r, j, err) < 0)
		goto out;
	if (rsit_default(r, j) < 0) {
		ks_err_set(err, "out of memory");
		goto out;
	}
	rc = ks_hub_report_finish(r, err);
out:
	json_decref(j);
	return rc;
}
