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
 * evidence of its findings shown at the audience's level (in a model
 * without findings, the shown excerpts that name the source), base64
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

/* The key a source is known by: its address, else its name. */
static const char *
finding_source(const struct ks_finding *fd)
{
	return fd->field[KS_F_SOURCE_IP] != NULL ? fd->field[KS_F_SOURCE_IP] :
	    fd->field[KS_F_SOURCE_DOMAIN];
}

static const char *
system_source(const struct ks_system *s)
{
	return s->ip != NULL ? s->ip : s->domain;
}

/* The shown findings that name a source, sorted by it (then by order),
   so that each source's findings are found by a binary search. */
struct by_source {
	const struct ks_finding **v;
	size_t n;
};

static int
by_source_cmp(const void *x, const void *y)
{
	const struct ks_finding *const *a = x, *const *b = y;
	int c = strcmp(finding_source(*a), finding_source(*b));

	if (c != 0)
		return c;
	return (*a > *b) - (*a < *b);
}

static bool
by_source_init(struct by_source *bs, const struct ks_report *r,
    enum ks_tlp share)
{
	bs->n = 0;
	if ((bs->v = calloc(r->nfindings + 1, sizeof(*bs->v))) == NULL)
		return false;
	for (size_t i = 0; i < r->nfindings; i++)
		if (ks_tlp_shown(r->finding_tlp[i], share) &&
		    finding_source(r->findings[i]) != NULL)
			bs->v[bs->n++] = r->findings[i];
	qsort(bs->v, bs->n, sizeof(*bs->v), by_source_cmp);
	return true;
}

/* The first of the findings of source key, or bs->n. */
static size_t
by_source_find(const struct by_source *bs, const char *key)
{
	size_t lo = 0, hi = bs->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(finding_source(bs->v[mid]), key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < bs->n && strcmp(finding_source(bs->v[lo]), key) == 0 ?
	    lo : bs->n;
}

/* What the findings of one source say together. */
struct src_sum {
	const struct ks_finding *worst;
	uint64_t count;
	int64_t first_us;
	int32_t first_off;
	unsigned dport;
	size_t from, to;        /* its findings in the by_source list */
};

static void
summarise(const struct ks_report *r, const struct by_source *bs,
    const struct ks_system *s, struct src_sum *sum)
{
	const char *key = system_source(s);

	memset(sum, 0, sizeof(*sum));
	sum->first_us = r->first_us;
	sum->first_off = r->first_off;
	sum->from = sum->to = by_source_find(bs, key);
	for (size_t i = sum->from; i < bs->n &&
	    strcmp(finding_source(bs->v[i]), key) == 0; i++) {
		const struct ks_finding *fd = bs->v[i];

		sum->to = i + 1;
		if (sum->worst == NULL || fd->first_us < sum->first_us) {
			sum->first_us = fd->first_us;
			sum->first_off = fd->first_off;
		}
		if (sum->worst == NULL || ks_finding_cmp(&fd, &sum->worst) < 0)
			sum->worst = fd;
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
sample(struct ks_buf *b, size_t *n, const char *text, const char *path)
{
	ks_buf_adds(b, (*n)++ ? "," : ",\"Samples\":[");
	ks_buf_adds(b, "{\"ContentType\":\"text/plain\",\"Payload\":");
	base64(b, text);
	ks_buf_adds(b, ",\"Description\":");
	jstr(b, path, 200);
	ks_buf_addc(b, '}');
}

/*
 * The evidence of the source's findings (shown at share: a finding's
 * level covers its excerpts), or, in a model without findings, the shown
 * excerpts that name the source.
 */
static void
samples(struct ks_buf *b, const struct ks_report *r,
    const struct by_source *bs, const struct src_sum *sum,
    const struct ks_system *s, enum ks_tlp share)
{
	size_t n = 0;

	for (size_t i = sum->from; i < sum->to && n < SAMPLES_MAX; i++)
		for (size_t j = 0; j < bs->v[i]->nev && n < SAMPLES_MAX; j++)
			sample(b, &n, bs->v[i]->ev[j].text, bs->v[i]->ev[j].path);
	for (size_t i = 0; r->nfindings == 0 && i < r->nexcerpts &&
	    n < SAMPLES_MAX; i++)
		if (ks_tlp_shown(r->excerpts[i].tlp, share) &&
		    strstr(r->excerpts[i].text, system_source(s)) != NULL)
			sample(b, &n, r->excerpts[i].text, r->excerpts[i].path);
	if (n > 0)
		ks_buf_addc(b, ']');
}

static void
one_report(struct ks_buf *b, const struct ks_report *r,
    const struct by_source *bs, const struct ks_system *s, enum ks_tlp share)
{
	struct src_sum sum;
	const char *type = "Login-Attack";
	const char *desc = NULL;

	summarise(r, bs, s, &sum);
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
	samples(b, r, bs, &sum, s, share);
	ks_buf_adds(b, "}}\n");
}

void
ks_report_xarf(struct ks_buf *b, const struct ks_report *r,
    enum ks_tlp share)
{
	struct by_source bs;

	/* XARF requires the reporter's e-mail address */
	if (r->contact_email == NULL || !ks_tlp_shown(r->contact_tlp, share))
		return;
	if (!by_source_init(&bs, r, share)) {
		b->failed = true;
		return;
	}
	for (size_t i = 0; i < r->nsystems; i++)
		if (r->systems[i].role == KS_ROLE_SOURCE &&
		    !r->systems[i].own &&
		    ks_tlp_shown(r->systems[i].tlp, share))
			one_report(b, r, &bs, &r->systems[i], share);
	free(bs.v);
}
