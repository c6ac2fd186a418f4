/*
 * ingest_findings.c - findings by the contract (shared/contract/
 * findings.md): one finding as part of a report, and a whole findings
 * JSONL file with the profile of the site it came from (--reporter).
 *
 * A finding becomes one element (its JSON kept as it came, so that a
 * notification can quote its evidence) and the indicators of its
 * parties: source.* as the source, destination.* and user.name as
 * targets.  Nested and flat dotted keys are both read.  A JSONL line
 * that is not a finding is counted as unparsed, never dropped silently.
 */
#include <string.h>

#include "finding/finding.h"
#include "hub/hub_int.h"
#include "util/i18n.h"

json_t *
ks_hub_jget(json_t *obj, const char *dotted)
{
	const char *dot;
	json_t *v;
	char part[64];
	size_t n;

	if (!json_is_object(obj))
		return NULL;
	if ((v = json_object_get(obj, dotted)) != NULL)
		return v;
	if ((dot = strchr(dotted, '.')) == NULL)
		return NULL;
	n = (size_t)(dot - dotted);
	if (n >= sizeof(part))
		return NULL;
	memcpy(part, dotted, n);
	part[n] = '\0';
	return ks_hub_jget(json_object_get(obj, part), dot + 1);
}

const char *
ks_hub_jstr(json_t *obj, const char *dotted)
{
	return json_string_value(ks_hub_jget(obj, dotted));
}

const char *
ks_hub_jtext(json_t *obj, const char *dotted, char *tmp, size_t n)
{
	json_t *v = ks_hub_jget(obj, dotted);

	if (json_is_integer(v)) {
		snprintf(tmp, n, "%lld", (long long)json_integer_value(v));
		return tmp;
	}
	return json_string_value(v);
}

json_t *
ks_hub_jload(const char *data, size_t n, struct ks_err *err)
{
	json_error_t je;
	json_t *j = json_loadb(data, n, JSON_REJECT_DUPLICATES, &je);

	if (j == NULL)
		ks_err_set(err, _("JSON: line %d: %s"), je.line, je.text);
	return j;
}

/* Takes the classification of the most severe finding for the report. */
static int
classify(struct ks_hub_report *r, json_t *f)
{
	int rank = ks_severity_rank(ks_hub_jstr(f, "severity"));
	bool ok = true;

	if (rank <= r->severity)
		return 0;
	r->severity = rank;
	free(r->taxonomy);
	free(r->type);
	free(r->outcome);
	free(r->title);
	r->taxonomy = ks_hub_strdup(ks_hub_jstr(f, "classification.taxonomy"),
	    &ok);
	r->type = ks_hub_strdup(ks_hub_jstr(f, "classification.type"), &ok);
	r->outcome = ks_hub_strdup(ks_hub_jstr(f, "outcome"), &ok);
	r->title = ks_hub_strdup(ks_hub_jstr(f, "title"), &ok);
	return ok ? 0 : -1;
}

static int
parties(struct ks_hub_report *r, json_t *f, enum ks_tlp tlp)
{
	char tmp[24];

	if (ks_hub_add_ip(r, KS_ROLE_SOURCE, tlp,
	    ks_hub_jstr(f, "source.ip")) < 0 ||
	    ks_hub_add_domain(r, KS_ROLE_SOURCE, tlp,
	    ks_hub_jstr(f, "source.domain")) < 0 ||
	    ks_hub_add_as(r, KS_ROLE_SOURCE, tlp,
	    ks_hub_jtext(f, "source.as.number", tmp, sizeof(tmp))) < 0 ||
	    ks_hub_add_ip(r, KS_ROLE_TARGET, tlp,
	    ks_hub_jstr(f, "destination.ip")) < 0 ||
	    ks_hub_add_domain(r, KS_ROLE_TARGET, tlp,
	    ks_hub_jstr(f, "destination.domain")) < 0 ||
	    ks_hub_add_account(r, KS_ROLE_TARGET, tlp,
	    ks_hub_jstr(f, "user.name")) < 0)
		return -1;
	return 0;
}

static void
times(struct ks_hub_report *r, json_t *f)
{
	int64_t us;
	int32_t off;
	json_t *count = ks_hub_jget(f, "count");

	if (ks_hub_time_parse(ks_hub_jstr(f, "first_seen"), &us, &off) == 0)
		ks_hub_seen(r, us);
	if (ks_hub_time_parse(ks_hub_jstr(f, "last_seen"), &us, &off) == 0) {
		/* the zone the reporter's logs were read in */
		if (!r->has_times || us >= r->last_us)
			r->reported_off = off;
		ks_hub_seen(r, us);
	}
	if (json_is_integer(count) && json_integer_value(count) > 0)
		r->nevents += (uint64_t)json_integer_value(count);
	else
		r->nevents++;
}

int
ks_hub_take_finding(struct ks_hub_report *r, json_t *f, const char *line,
    size_t n, enum ks_tlp tlp, struct ks_err *err)
{
	const char *title = ks_hub_jstr(f, "title");
	char *dump = NULL;
	int t = ks_tlp_parse(ks_hub_jstr(f, "tlp")), rc;

	if (!json_is_object(f) || title == NULL ||
	    ks_hub_jstr(f, "rule") == NULL)
		return ks_err_set(err, _("not a finding (no rule or title)"));
	if (t >= 0)
		tlp = (enum ks_tlp)t;
	if (line != NULL && r->raw != NULL && line >= r->raw &&
	    line + n <= r->raw + r->rawn) {
		rc = ks_hub_add_element_raw(r, KS_EL_FINDING, tlp, title,
		    (size_t)(line - r->raw), n);
	} else {
		if (line == NULL) {
			if ((dump = json_dumps(f, JSON_COMPACT)) == NULL)
				return ks_err_set(err, "out of memory");
			line = dump;
			n = strlen(dump);
		}
		rc = ks_hub_add_element(r, KS_EL_FINDING, tlp, title, line, n);
	}
	free(dump);
	if (rc < 0 || classify(r, f) < 0 || parties(r, f, tlp) < 0)
		return ks_err_set(err, "out of memory");
	times(r, f);
	r->nfindings++;
	return 0;
}

/* One JSONL line: a finding, or counted as unparsed. */
static int
take_line(struct ks_hub_report *r, const char *p, size_t n, enum ks_tlp tlp,
    struct ks_err *err)
{
	json_error_t je;
	json_t *f;
	struct ks_err lerr;
	int rc = 0;

	while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == ' '))
		n--;
	if (n == 0)
		return 0;
	if ((f = json_loadb(p, n, JSON_REJECT_DUPLICATES, &je)) == NULL) {
		r->unparsed++;
		return 0;
	}
	if (ks_hub_take_finding(r, f, p, n, tlp, &lerr) < 0) {
		if (strcmp(lerr.msg, "out of memory") == 0)
			rc = ks_err_set(err, "out of memory");
		else
			r->unparsed++;
	}
	json_decref(f);
	return rc;
}

int
ks_hub_parse_findings(struct ks_hub_report *r, const char *data, size_t n,
    const struct ks_hub_profile *profile, struct ks_err *err)
{
	const char *p = data, *end = data + n, *nl;

	r->format = "findings";
	r->raw_type = "application/x-ndjson";
	if (ks_hub_profile_copy(&r->reporter, profile) < 0)
		return ks_err_set(err, "out of memory");
	r->tlp = profile->tlp;
	r->request = profile->request;
	if (ks_hub_add_contact(r) < 0)
		return ks_err_set(err, "out of memory");
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (take_line(r, p, nl ? (size_t)(nl - p) : (size_t)(end - p),
		    r->tlp, err) < 0)
			return -1;
		p = nl ? nl + 1 : end;
	}
	if (r->nfindings == 0)
		return ks_err_set(err, _("no finding in the file (%llu lines "
		    "unparsed)"), (unsigned long long)r->unparsed);
	return ks_hub_report_finish(r, err);
}
