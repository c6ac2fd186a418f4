/*
 * xarf.c - the report as XARF v3 abuse reports, the JSON that abuse
 * desks of networks read.
 *
 * XARF is source-centric: one report per attacking system, each a JSON
 * object on a line of its own (JSON Lines), with the members the XARF v3
 * schema requires (Version, ReporterInfo{ReporterOrg, ReporterOrgEmail},
 * Report{ReportClass, ReportType, Date}) and no member it does not know,
 * since the schema forbids additional properties.  The type comes from
 * the most severe finding of that source (or the report's first
 * classification when the model holds no findings); the samples are the
 * excerpts shown at the audience's level that name the source, base64
 * encoded as XARF wants, at most ten.  A source withheld at that level
 * gets no report, and nothing is written when the reporter's e-mail
 * address (which XARF requires) is withheld.
 */
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"
#include "util/i18n.h"

#define SAMPLES_MAX 10
#define DESC_MAX 1000

static const char *
xarf_type(const char *taxonomy, const char *type, enum ks_jpcert jp)
{
	if (jp == KS_JPCERT_MAIL_RELAY)
		return "Spam";
	if (jp == KS_JPCERT_DOS)
		return "DDoS";
	if (jp == KS_JPCERT_SCAN)
		return "Port-Scan";
	if (strcmp(taxonomy, "malicious-code") == 0)
		return "Malware";
	if (strcmp(type, "phishing") == 0)
		return "Phishing";
	return "Login-Attack";
}

static bool
names_source(const struct ks_finding *fd, const struct ks_system *s)
{
	const char *ip = fd->field[KS_F_SOURCE_IP];
	const char *dom = fd->field[KS_F_SOURCE_DOMAIN];

	return (s->ip != NULL && ip != NULL && strcmp(s->ip, ip) == 0) ||
	    (s->ip == NULL && s->domain != NULL && dom != NULL &&
	    strcmp(s->domain, dom) == 0);
}

/* What the findings of one source say together. */
struct src_sum {
	const struct ks_finding *worst;
	uint64_t count;
	int64_t first_us;
	int32_t first_off;
	unsigned dport;
};

static void
summarise(const struct ks_report *r, const struct ks_system *s,
    enum ks_tlp share, struct src_sum *sum)
{
	memset(sum, 0, sizeof(*sum));
	sum->first_us = r->first_us;
	sum->first_off = r->first_off;
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct ks_finding *fd = r->findings[i];

		if (!ks_tlp_shown(r->finding_tlp[i], share) ||
		    !names_source(fd, s))
			continue;
		if (sum->worst == NULL || fd->first_us < sum->first_us) {
			sum->first_us = fd->first_us;
			sum->first_off = fd->first_off;
		}
		if (sum->worst == NULL)
			sum->worst = fd;    /* sorted: most severe first */
		sum->count += fd->count;
		if (sum->dport == 0 && fd->field[KS_F_DESTINATION_PORT])
			sum->dport = (unsigned)strtoul(
			    fd->field[KS_F_DESTINATION_PORT], NULL, 10);
	}
}

static void
jstr(struct ks_buf *b, const char *s, size_t max)
{
	size_t n = strlen(s);

	/* cut on a character boundary */
	while (n > max && n > 0) {
		n--;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	ks_json_str(b, s, n);
}

static void
base64(struct ks_buf *b, const char *s)
{
	size_t n = strlen(s);
	unsigned char *out = malloc(4 * ((n + 2) / 3) + 1);

	if (out == NULL) {
		ks_buf_adds(b, "\"\"");
		return;
	}
	EVP_EncodeBlock(out, (const unsigned char *)s, (int)n);
	ks_buf_addc(b, '"');
	ks_buf_adds(b, (const char *)out);
	ks_buf_addc(b, '"');
	free(out);
}

static void
samples(struct ks_buf *b, const struct ks_report *r, const struct ks_system *s,
    enum ks_tlp share)
{
	const char *key = s->ip != NULL ? s->ip : s->domain;
	size_t n = 0;

	for (size_t i = 0; i < r->nexcerpts && n < SAMPLES_MAX; i++) {
		const struct ks_excerpt *e = &r->excerpts[i];

		if (!ks_tlp_shown(e->tlp, share) || strstr(e->text, key) == NULL)
			continue;
		ks_buf_adds(b, n++ ? "," : ",\"Samples\":[");
		ks_buf_adds(b, "{\"ContentType\":\"text/plain\",\"Payload\":");
		base64(b, e->text);
		ks_buf_adds(b, ",\"Description\":");
		jstr(b, e->path, 200);
		ks_buf_addc(b, '}');
	}
	if (n > 0)
		ks_buf_addc(b, ']');
}

static void
one_report(struct ks_buf *b, const struct ks_report *r,
    const struct ks_system *s, enum ks_tlp share)
{
	struct src_sum sum;
	const char *type = "Login-Attack";
	const char *desc = NULL;

	summarise(r, s, share, &sum);
	if (sum.worst != NULL) {
		const struct ks_rule_info *ru = sum.worst->rule;

		type = xarf_type(ru->taxonomy, ru->type, ks_jpcert_of(
		    ru->taxonomy, ru->type, false, false));
		desc = ks_tr(ru->title);
	} else if (r->nclasses > 0)
		type = xarf_type(r->classes[0].taxonomy, r->classes[0].type,
		    r->classes[0].jpcert);
	ks_buf_adds(b, "{\"Version\":\"3\",\"ReporterInfo\":{\"ReporterOrg\":");
	jstr(b, r->organisation ? r->organisation : r->site ? r->site :
	    "kansatsu", 200);
	ks_buf_adds(b, ",\"ReporterOrgEmail\":");
	jstr(b, r->contact_email, 320);
	if (r->ndomains > 0) {
		ks_buf_adds(b, ",\"ReporterOrgDomain\":");
		jstr(b, r->domains[0], 253);
	}
	ks_buf_addf(b, "},\"Report\":{\"ReportClass\":\"Activity\","
	    "\"ReportType\":\"%s\",\"Date\":\"", type);
	if (sum.first_us != INT64_MAX)
		ks_time_format(b, sum.first_us, sum.first_off);
	else
		ks_time_format(b, r->generated_us, r->generated_off);
	ks_buf_adds(b, "\",\"SourceIp\":");
	jstr(b, s->ip != NULL ? s->ip : s->domain, 253);
	if (s->port > 0 && s->port < 65536)
		ks_buf_addf(b, ",\"SourcePort\":%u", s->port);
	if (sum.dport > 0 && sum.dport < 65536)
		ks_buf_addf(b, ",\"DestinationPort\":%u", sum.dport);
	if (strcmp(type, "Spam") == 0)
		ks_buf_adds(b, ",\"Protocol\":\"smtp\"");
	else if (s->port > 0 || sum.dport > 0)
		ks_buf_adds(b, ",\"Protocol\":\"tcp\"");
	if (desc != NULL) {
		ks_buf_adds(b, ",\"AttackDescription\":");
		jstr(b, desc, DESC_MAX);
	}
	if (sum.count > 0)
		ks_buf_addf(b, ",\"AttackCount\":%llu",
		    (unsigned long long)sum.count);
	samples(b, r, s, share);
	ks_buf_adds(b, "}}\n");
}

void
ks_report_xarf(struct ks_buf *b, const struct ks_report *r,
    enum ks_tlp share)
{
	/* XARF requires the reporter's e-mail address */
	if (r->contact_email == NULL || !ks_tlp_shown(r->contact_tlp, share))
		return;
	for (size_t i = 0; i < r->nsystems; i++)
		if (r->systems[i].role == KS_ROLE_SOURCE &&
		    !r->systems[i].own &&
		    ks_tlp_shown(r->systems[i].tlp, share))
			one_report(b, r, &r->systems[i], share);
}
