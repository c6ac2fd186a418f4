/*
 * labels.c - the fixed vocabularies of a report: TLP levels, requests,
 * roles, JPCERT/CC's categories and the output formats, with the names
 * the JSON model and the profile use and the labels a person reads.
 *
 * Names are the interface (docs/report-model.md) and never translated;
 * labels go through gettext.  The JPCERT category is both: the JSON model
 * always writes the Japanese label a CSIRT in Japan files under, and text
 * translates its English msgid, whose Japanese translation is that label.
 */
#include <string.h>
#include <strings.h>

#include "report/report_int.h"
#include "util/i18n.h"

static const char *const tlp_names[] = {
	"CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED",
};

const char *
ks_tlp_name(enum ks_tlp t)
{
	return (unsigned)t < 5 ? tlp_names[t] : "RED";
}

int
ks_tlp_parse(const char *s)
{
	for (int i = 0; s != NULL && i < KS_TLP_COUNT; i++)
		if (strcasecmp(s, tlp_names[i]) == 0 ||
		    (i == 0 && strcasecmp(s, "WHITE") == 0))
			return i;
	return -1;
}

static const char *const request_names[KS_REQ_COUNT] = {
	"investigate", "contact-source", "block", "nothing",
};

static const char *const request_labels[KS_REQ_COUNT] = {
	N_("Please investigate and help us resolve it"),
	N_("Please contact the source site"),
	N_("Please block the source"),
	N_("Nothing: for your information"),
};

const char *
ks_request_name(int i)
{
	return i >= 0 && i < KS_REQ_COUNT ? request_names[i] : "";
}

const char *
ks_request_label(int i)
{
	return i >= 0 && i < KS_REQ_COUNT ? _(request_labels[i]) : "";
}

int
ks_request_parse(const char *s, unsigned *req, struct ks_err *err)
{
	while (*s != '\0') {
		size_t n = strcspn(s, ",");
		int i;

		for (i = 0; i < KS_REQ_COUNT; i++)
			if (strlen(request_names[i]) == n &&
			    memcmp(s, request_names[i], n) == 0)
				break;
		if (i == KS_REQ_COUNT)
			return ks_err_set(err, "'%.*s' is not investigate, "
			    "contact-source, block or nothing", (int)n, s);
		*req |= 1u << i;
		s += n + (s[n] == ',');
	}
	return 0;
}

static const struct {
	const char *ja, *msgid;
} jpcert[KS_JPCERT_COUNT] = {
	{ "スキャン", N_("Scan") },
	{ "不正侵入", N_("Intrusion") },
	{ "踏み台", N_("Stepping stone") },
	{ "メール不正中継", N_("Mail relay abuse") },
	{ "Web改ざん", N_("Web defacement") },
	{ "DoS", N_("DoS") },
	{ "その他", N_("Other") },
};

const char *
ks_jpcert_label(enum ks_jpcert c)
{
	return jpcert[(unsigned)c < KS_JPCERT_COUNT ? c : KS_JPCERT_OTHER].ja;
}

const char *
ks_jpcert_msgid(enum ks_jpcert c)
{
	return jpcert[(unsigned)c < KS_JPCERT_COUNT ? c : KS_JPCERT_OTHER].msgid;
}

enum ks_jpcert
ks_jpcert_of(const char *taxonomy, const char *type, bool hop, bool web)
{
	if (strcmp(type, "system-compromise") == 0 && hop)
		return KS_JPCERT_STEPPING_STONE;
	if (strcmp(type, "spam") == 0)
		return KS_JPCERT_MAIL_RELAY;
	if (strcmp(type, "unauthorised-information-modification") == 0 && web)
		return KS_JPCERT_DEFACEMENT;
	if (strcmp(taxonomy, "information-gathering") == 0)
		return KS_JPCERT_SCAN;
	if (strcmp(taxonomy, "intrusions") == 0 ||
	    strcmp(taxonomy, "intrusion-attempts") == 0)
		return KS_JPCERT_INTRUSION;
	if (strcmp(taxonomy, "availability") == 0)
		return KS_JPCERT_DOS;
	return KS_JPCERT_OTHER;
}

static const char *const role_names[] = {
	"source", "target", "intermediate",
};
static const char *const role_labels[] = {
	N_("source (attacker)"), N_("target"),
	N_("intermediate (used as a stepping stone)"),
};

const char *
ks_role_name(enum ks_role r)
{
	return role_names[(unsigned)r < 3 ? r : 0];
}

int
ks_role_parse(const char *s)
{
	for (int i = 0; s != NULL && i < 3; i++)
		if (strcmp(s, role_names[i]) == 0)
			return i;
	return -1;
}

const char *
ks_role_label(enum ks_role r)
{
	return _(role_labels[(unsigned)r < 3 ? r : 0]);
}

const char *
ks_severity_label(const char *sev)
{
	static const char *const names[] = {
		N_("INFO"), N_("LOW"), N_("MEDIUM"), N_("HIGH"), N_("CRITICAL"),
	};
	int rank = ks_severity_rank(sev);

	return rank < 0 ? "?" : _(names[rank]);
}

int
ks_report_format_parse(const char *s)
{
	static const char *const names[] = {
		"text", "md", "html", "iodef", "xarf", "json",
	};

	for (int i = 0; i < 6; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

int
ks_report_write(struct ks_buf *b, const struct ks_report *r,
    enum ks_report_format f, enum ks_tlp share, struct ks_err *err)
{
	switch (f) {
	case KS_RF_TEXT: ks_report_text(b, r, share, false); return 0;
	case KS_RF_MD: ks_report_text(b, r, share, true); return 0;
	case KS_RF_HTML: ks_report_html(b, r, share); return 0;
	case KS_RF_IODEF: return ks_report_iodef(b, r, share, err);
	case KS_RF_XARF: ks_report_xarf(b, r, share); return 0;
	case KS_RF_JSON: ks_report_json(b, r, share); return 0;
	}
	return ks_err_set(err, "unknown report format");
}
