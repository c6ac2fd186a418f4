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
 *
 * Two readers fill in the same struct ks_hub_fields: a finding inside a
 * kansatsu report is a jansson object (fields_of), a line of JSONL is
 * streamed (ingest_jsonl.c); what a finding becomes is decided once,
 * in ks_hub_take_fields.
 */
#include <stdio.h>
#include <stdlib.h>
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

const struct ks_hub_ff_def ks_hub_ffs[KS_FF_N] = {
	[KS_FF_RULE] = { "rule", KS_FF_TEXT },
	[KS_FF_TITLE] = { "title", KS_FF_TEXT },
	[KS_FF_TLP] = { "tlp", KS_FF_TEXT },
	[KS_FF_SEVERITY] = { "severity", KS_FF_TEXT },
	[KS_FF_TAXONOMY] = { "classification.taxonomy", KS_FF_TEXT },
	[KS_FF_TYPE] = { "classification.type", KS_FF_TEXT },
	[KS_FF_OUTCOME] = { "outcome", KS_FF_TEXT },
	[KS_FF_FIRST_SEEN] = { "first_seen", KS_FF_TEXT },
	[KS_FF_LAST_SEEN] = { "last_seen", KS_FF_TEXT },
	[KS_FF_COUNT] = { "count", KS_FF_INT },
	[KS_FF_SOURCE_IP] = { "source.ip", KS_FF_TEXT },
	[KS_FF_SOURCE_DOMAIN] = { "source.domain", KS_FF_TEXT },
	[KS_FF_SOURCE_AS] = { "source.as.number", KS_FF_TEXT_OR_INT },
	[KS_FF_DEST_IP] = { "destination.ip", KS_FF_TEXT },
	[KS_FF_DEST_DOMAIN] = { "destination.domain", KS_FF_TEXT },
	[KS_FF_USER] = { "user.name", KS_FF_TEXT },
};

/* The members of a finding read from its JSON document. */
static void
fields_of(struct ks_hub_fields *f, json_t *o)
{
	memset(f, 0, sizeof(*f));
	for (int i = 0; i < KS_FF_N; i++) {
		json_t *v = ks_hub_jget(o, ks_hub_ffs[i].name);

		if (json_is_string(v) && ks_hub_ffs[i].type != KS_FF_INT)
			f->s[i] = json_string_value(v);
		else if (json_is_integer(v) &&
		    ks_hub_ffs[i].type == KS_FF_TEXT_OR_INT) {
			snprintf(f->num, sizeof(f->num), "%lld",
			    (long long)json_integer_value(v));
			f->s[i] = f->num;
		} else if (json_is_integer(v) && ks_hub_ffs[i].type == KS_FF_INT) {
			f->has_count = true;
			f->count = (int64_t)json_integer_value(v);
		}
	}
}

/* Takes the classification of the most severe finding for the report. */
static int
classify(struct ks_hub_report *r, const struct ks_hub_fields *f)
{
	int rank = ks_severity_rank(f->s[KS_FF_SEVERITY]);
	bool ok = true;

	if (rank <= r->severity)
		return 0;
	r->severity = rank;
	free(r->taxonomy);
	free(r->type);
	free(r->outcome);
	free(r->title);
	r->taxonomy = ks_hub_strdup(f->s[KS_FF_TAXONOMY], &ok);
	r->type = ks_hub_strdup(f->s[KS_FF_TYPE], &ok);
	r->outcome = ks_hub_strdup(f->s[KS_FF_OUTCOME], &ok);
	r->title = ks_hub_strdup(f->s[KS_FF_TITLE], &ok);
	return ok ? 0 : -1;
}

static int
parties(struct ks_hub_report *r, const struct ks_hub_fields *f,
    enum ks_tlp tlp)
{
	if (ks_hub_add_ip(r, KS_ROLE_SOURCE, tlp, f->s[KS_FF_SOURCE_IP]) < 0 ||
	    ks_hub_add_domain(r, KS_ROLE_SOURCE, tlp,
	    f->s[KS_FF_SOURCE_DOMAIN]) < 0 ||
	    ks_hub_add_as(r, KS_ROLE_SOURCE, tlp, f->s[KS_FF_SOURCE_AS]) < 0 ||
	    ks_hub_add_ip(r, KS_ROLE_TARGET, tlp, f->s[KS_FF_DEST_IP]) < 0 ||
	    ks_hub_add_domain(r, KS_ROLE_TARGET, tlp,
	    f->s[KS_FF_DEST_DOMAIN]) < 0 ||
	    ks_hub_add_account(r, KS_ROLE_TARGET, tlp, f->s[KS_FF_USER]) < 0)
		return -1;
	return 0;
}

static void
times(struct ks_hub_report *r, const struct ks_hub_fields *f)
{
	int64_t us;
	int32_t off;

	if (ks_hub_time_parse(f->s[KS_FF_FIRST_SEEN], &us, &off) == 0)
		ks_hub_seen(r, us);
	if (ks_hub_time_parse(f->s[KS_FF_LAST_SEEN], &us, &off) == 0) {
		/* the zone the reporter's logs were read in */
		if (!r->has_times || us >= r->last_us)
			r->reported_off = off;
		ks_hub_seen(r, us);
	}
	if (f->has_count && f->count > 0)
		r->nevents += (uint64_t)f->count;
	else
		r->nevents++;
}

static bool
is_finding(const struct ks_hub_fields *f)
{
	return f->s[KS_FF_TITLE] != NULL && f->s[KS_FF_RULE] != NULL;
}

int
ks_hub_take_fields(struct ks_hub_report *r, const struct ks_hub_fields *f,
    const char *line, size_t n, enum ks_tlp tlp)
{
	const char *title = f->s[KS_FF_TITLE];
	int t = ks_tlp_parse(f->s[KS_FF_TLP]), rc;

	if (!is_finding(f))
		return 0;
	if (t >= 0)
		tlp = (enum ks_tlp)t;
	if (r->raw != NULL && line >= r->raw && line + n <= r->raw + r->rawn)
		rc = ks_hub_add_element_raw(r, KS_EL_FINDING, tlp, title,
		    (size_t)(line - r->raw), n);
	else
		rc = ks_hub_add_element(r, KS_EL_FINDING, tlp, title, line, n);
	if (rc < 0 || classify(r, f) < 0 || parties(r, f, tlp) < 0)
		return -1;
	times(r, f);
	r->nfindings++;
	return 1;
}

int
ks_hub_take_finding(struct ks_hub_report *r, json_t *j, const char *line,
    size_t n, enum ks_tlp tlp, struct ks_err *err)
{
	struct ks_hub_fields f;
	char *dump = NULL;
	int rc;

	if (!json_is_object(j))
		return ks_err_set(err, _("not a finding (no rule or title)"));
	fields_of(&f, j);
	if (!is_finding(&f))
		return ks_err_set(err, _("not a finding (no rule or title)"));
	if (line == NULL) {
		if ((dump = json_dumps(j, JSON_COMPACT)) == NULL)
			return ks_err_set(err, "out of memory");
		line = dump;
		n = strlen(dump);
	}
	rc = ks_hub_take_fields(r, &f, line, n, tlp);
	free(dump);
	return rc < 0 ? ks_err_set(err, "out of memory") : 0;
}

int
ks_hub_parse_findings(struct ks_hub_report *r, const char *data, size_t n,
    const struct ks_hub_profile *profile, struct ks_err *err)
{
	const char *p = data, *end = data + n, *nl;
	struct ks_hub_jsonl *jp;
	struct ks_hub_fields f;
	size_t len;
	int rc = 0;

	r->format = "findings";
	r->raw_type = "application/x-ndjson";
	if (ks_hub_profile_copy(&r->reporter, profile) < 0)
		return ks_err_set(err, "out of memory");
	r->tlp = profile->tlp;
	r->request = profile->request;
	if (ks_hub_add_contact(r) < 0 || ks_hub_jsonl_new(&jp) < 0)
		return ks_err_set(err, "out of memory");
	for (; p < end && rc >= 0; p = nl ? nl + 1 : end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		while (len > 0 && (p[len - 1] == '\r' || p[len - 1] == ' '))
			len--;
		if (len == 0)
			continue;
		if ((rc = ks_hub_jsonl_read(jp, p, len, &f)) > 0)
			rc = ks_hub_take_fields(r, &f, p, len, r->tlp);
		if (rc == 0)
			r->unparsed++;
	}
	ks_hub_jsonl_free(jp);
	if (rc < 0)
		return ks_err_set(err, "out of memory");
	if (r->nfindings == 0)
		return ks_err_set(err, _("no finding in the file (%llu lines "
		    "unparsed)"), (unsigned long long)r->unparsed);
	return ks_hub_report_finish(r, err);
}
