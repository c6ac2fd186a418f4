/*
 * ingest_xarf.c - XARF v3 (the abuse-reporting JSON of abuse desks and
 * honeypot networks) into the hub's model.
 *
 * ReporterInfo gives the reporting site (ReporterOrgDomain, else the
 * organisation) and its contact; Disclosure true lets everything be
 * passed on (CLEAR), false or absent keeps it need-to-know (AMBER).
 * Report gives the type (its category), the date, the source and
 * destination, a description and the samples: text/plain samples are
 * base64 log text, one excerpt a line.  ReportType is read with or
 * without dashes ("Port-Scan", "PortScan").
 */
#include <openssl/evp.h>
#include <string.h>
#include <strings.h>

#include "hub/hub_int.h"
#include "util/i18n.h"

#define SAMPLE_MAX (1 << 20)

/* "Port-Scan", "port_scan", "PortScan" -> "portscan". */
static void
squash(const char *s, char *out, size_t n)
{
	size_t w = 0;

	for (; s != NULL && *s != '\0' && w + 1 < n; s++)
		if (*s != '-' && *s != '_' && *s != ' ')
			out[w++] = (char)((*s >= 'A' && *s <= 'Z') ?
			    *s - 'A' + 'a' : *s);
	out[w] = '\0';
}

static int
classify(struct ks_hub_report *r, const char *type)
{
	static const struct {
		const char *type, *taxonomy, *rtype;
	} map[] = {
		{ "portscan", "information-gathering", "scanner" },
		{ "loginattack", "intrusion-attempts", "brute-force" },
		{ "spam", "abusive-content", "spam" },
		{ "ddos", "availability", "ddos" },
		{ "ddosattack", "availability", "ddos" },
		{ "phishing", "fraud", "phishing" },
		{ "malware", "malicious-code", "malware-distribution" },
		{ "botnet", "malicious-code", "infected-system" },
		{ "hacking", "intrusions", "system-compromise" },
		{ "copyright", "other", "copyright" },
	};
	char t[64];
	bool ok = true;

	squash(type, t, sizeof(t));
	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++)
		if (strcmp(t, map[i].type) == 0) {
			r->taxonomy = ks_hub_strdup(map[i].taxonomy, &ok);
			r->type = ks_hub_strdup(map[i].rtype, &ok);
			return ok ? 0 : -1;
		}
	r->taxonomy = ks_hub_strdup("other", &ok);
	r->type = ks_hub_strdup(type != NULL ? type : "other", &ok);
	return ok ? 0 : -1;
}

static int
take_reporter(struct ks_hub_report *r, json_t *ri, struct ks_err *err)
{
	struct ks_hub_profile *p = &r->reporter;
	const char *dom = ks_hub_jstr(ri, "ReporterOrgDomain");
	const char *org = ks_hub_jstr(ri, "ReporterOrg");
	const char *email = ks_hub_jstr(ri, "ReporterContactEmail");
	bool ok = true;

	if (email == NULL)
		email = ks_hub_jstr(ri, "ReporterOrgEmail");
	if ((dom == NULL || dom[0] == '\0') && (org == NULL || org[0] == '\0'))
		return ks_err_set(err, _("XARF: ReporterInfo names no "
		    "organisation"));
	p->site = ks_hub_strdup(dom != NULL && dom[0] != '\0' ? dom : org,
	    &ok);
	p->organisation = ks_hub_strdup(org, &ok);
	p->contact_email = ks_hub_strdup(email, &ok);
	p->contact_name = ks_hub_strdup(ks_hub_jstr(ri, "ReporterContactName"),
	    &ok);
	p->contact_phone = ks_hub_strdup(ks_hub_jstr(ri,
	    "ReporterContactPhone"), &ok);
	p->contact_tlp = r->tlp;
	if (dom != NULL && dom[0] != '\0') {
		p->domains = calloc(1, sizeof(char *));
		if (p->domains == NULL)
			ok = false;
		else if ((p->domains[0] = ks_hub_strdup(dom, &ok)) != NULL)
			p->ndomains = 1;
	}
	return ok ? 0 : ks_err_set(err, "out of memory");
}

/* Each line of a base64 text sample is an excerpt. */
static int
take_sample(struct ks_hub_report *r, json_t *s, struct ks_err *err)
{
	const char *ct = ks_hub_jstr(s, "ContentType");
	const char *b64 = ks_hub_jstr(s, "Payload");
	unsigned char *out;
	size_t n, len;
	int got, rc = 0;

	if (ct == NULL || b64 == NULL || strncmp(ct, "text/", 5) != 0 ||
	    (n = strlen(b64)) > SAMPLE_MAX) {
		r->unparsed++;
		return 0;
	}
	if ((out = malloc(n / 4 * 3 + 4)) == NULL)
		return ks_err_set(err, "out of memory");
	got = EVP_DecodeBlock(out, (const unsigned char *)b64, (int)n);
	if (got < 0) {
		r->unparsed++;
		free(out);
		return 0;
	}
	len = (size_t)got;
	/* EVP_DecodeBlock counts the padding as zero bytes */
	while (len > 0 && n > 0 && b64[n - 1] == '=' && out[len - 1] == 0) {
		len--;
		n--;
	}
	for (size_t i = 0, start = 0; i <= len && rc == 0; i++)
		if (i == len || out[i] == '\n') {
			if (i > start && ks_hub_add_element(r, KS_EL_EXCERPT,
			    r->tlp, "Sample", (const char *)out + start,
			    i - start) < 0)
				rc = ks_err_set(err, "out of memory");
			start = i + 1;
		}
	free(out);
	return rc;
}

static int
take_report(struct ks_hub_report *r, json_t *rep, struct ks_err *err)
{
	const char *desc = ks_hub_jstr(rep, "AttackDescription");
	json_t *count = json_object_get(rep, "AttackCount");
	char tmp[24];
	size_t i;
	json_t *v;
	int64_t us;
	int32_t off;
	bool ok = true;

	if (classify(r, ks_hub_jstr(rep, "ReportType")) < 0)
		return ks_err_set(err, "out of memory");
	if (ks_hub_time_parse(ks_hub_jstr(rep, "Date"), &us, &off) == 0) {
		ks_hub_seen(r, us);
		r->reported_us = us;
		r->reported_off = off;
		r->has_reported = true;
	}
	r->nevents = json_is_integer(count) && json_integer_value(count) > 0 ?
	    (uint64_t)json_integer_value(count) : 1;
	r->title = ks_hub_strdup(desc != NULL ? desc : ks_hub_jstr(rep,
	    "ReportType"), &ok);
	if (!ok || ks_hub_add_ip(r, KS_ROLE_SOURCE, r->tlp,
	    ks_hub_jstr(rep, "SourceIp")) < 0 ||
	    ks_hub_add_ip(r, KS_ROLE_TARGET, r->tlp,
	    ks_hub_jstr(rep, "DestinationIp")) < 0 ||
	    ks_hub_add_as(r, KS_ROLE_SOURCE, r->tlp,
	    ks_hub_jtext(rep, "SourceAsn", tmp, sizeof(tmp))) < 0 ||
	    (desc != NULL && ks_hub_add_element(r, KS_EL_DESCRIPTION, r->tlp,
	    NULL, desc, strlen(desc)) < 0))
		return ks_err_set(err, "out of memory");
	json_array_foreach(json_object_get(rep, "Samples"), i, v)
		if (take_sample(r, v, err) < 0)
			return -1;
	return 0;
}

int
ks_hub_parse_xarf(struct ks_hub_report *r, const char *data, size_t n,
    struct ks_err *err)
{
	json_t *j = ks_hub_jload(data, n, err), *rep;
	const char *ver;
	int rc = -1;

	if (j == NULL)
		return -1;
	r->format = "xarf";
	r->raw_type = "application/json";
	ver = ks_hub_jstr(j, "Version");
	rep = json_object_get(j, "Report");
	if (ver == NULL || (strcmp(ver, "3") != 0 && strcmp(ver, "3.0") != 0) ||
	    !json_is_object(rep)) {
		ks_err_set(err, _("XARF: not a version 3 report"));
		goto out;
	}
	r->tlp = json_is_true(json_object_get(j, "Disclosure")) ?
	    KS_TLP_CLEAR : KS_TLP_AMBER;
	r->reporter.tlp = r->tlp;
	if (take_reporter(r, json_object_get(j, "ReporterInfo"), err) < 0 ||
	    take_report(r, rep, err) < 0)
		goto out;
	if (ks_hub_add_contact(r) < 0) {
		ks_err_set(err, "out of memory");
		goto out;
	}
	r->nfindings = 1;
	rc = ks_hub_report_finish(r, err);
out:
	json_decref(j);
	return rc;
}
