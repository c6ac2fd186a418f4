/*
 * iodef.c - the report as IODEF v2 (RFC 7970), the XML a CSIRT's tools
 * read, written with libxml2's xmlTextWriter.
 *
 * One Incident (purpose "reporting") whose IncidentID is the report id
 * under the site's name; the classification as IncidentCategory (the
 * RSIT taxonomy/type and JPCERT/CC's category) with a SystemImpact; the
 * finding titles as Methods; the reporter as a Contact, the person
 * nested with the contact's own restriction; and one EventData holding
 * the systems in a Flow, the requests as Expectations and the excerpts as
 * a Record.  Every element that has a disclosure level carries it as
 * `restriction` (TLP 2.0 mapped as docs/report-model.md says; AMBER+STRICT
 * as ext-value with ext-restriction "amber-strict"), and elements
 * stricter than the audience are not written at all.  Text from logs is
 * made safe first (controls are not allowed in XML 1.0 at all), and the
 * writer escapes markup; the element order follows the schema, which
 * tests/data/schemas/iodef validates.
 */
#include <libxml/xmlwriter.h>
#include <string.h>

#include "report/report_int.h"
#include "util/i18n.h"

#define NS "urn:ietf:params:xml:ns:iodef-2.0"

struct xw {
	xmlTextWriterPtr w;
	struct ks_buf tmp;
	int rc;                 /* the first libxml2 failure, < 0 */
};

static void
check(struct xw *x, int rc)
{
	if (rc < 0 && x->rc == 0)
		x->rc = rc;
}

static void
start(struct xw *x, const char *name)
{
	check(x, xmlTextWriterStartElement(x->w, (const xmlChar *)name));
}

static void
end(struct xw *x)
{
	check(x, xmlTextWriterEndElement(x->w));
}

static void
attr(struct xw *x, const char *name, const char *v)
{
	check(x, xmlTextWriterWriteAttribute(x->w, (const xmlChar *)name,
	    (const xmlChar *)v));
}

/* Hostile text: escaped for a terminal (so no control reaches XML), then
   written as character data, which the writer escapes. */
static void
text(struct xw *x, const char *s)
{
	ks_buf_reset(&x->tmp);
	ks_escape_text(&x->tmp, s, strlen(s));
	ks_buf_addc(&x->tmp, '\0');
	if (ks_buf_failed(&x->tmp)) {
		check(x, -1);
		return;
	}
	check(x, xmlTextWriterWriteString(x->w, (const xmlChar *)x->tmp.p));
}

static void
element(struct xw *x, const char *name, const char *v)
{
	start(x, name);
	text(x, v);
	end(x);
}

static void
restriction(struct xw *x, enum ks_tlp t)
{
	static const char *const map[] = {
		"public", "partner", "need-to-know", "ext-value", "private",
	};

	attr(x, "restriction", map[(unsigned)t < 5 ? t : KS_TLP_RED]);
	if (t == KS_TLP_AMBER_STRICT)
		attr(x, "ext-restriction", "amber-strict");
}

static void
time_element(struct xw *x, const char *name, int64_t us, int32_t off)
{
	struct ks_buf b;

	ks_buf_init(&b);
	ks_time_format(&b, us, off);
	ks_buf_addc(&b, '\0');
	if (!ks_buf_failed(&b))
		element(x, name, b.p);
	ks_buf_free(&b);
}

/* SystemImpact type and the highest severity, from the classification. */
static void
assessment(struct xw *x, const struct ks_report *r)
{
	static const char *const sev[] = {
		"low", "low", "medium", "high", "high",
	};
	int worst = 0;
	const char *impact = "unknown";

	for (size_t i = 0; i < r->nfindings; i++) {
		int s = ks_severity_rank(r->findings[i]->rule->severity);

		worst = s > worst ? s : worst;
	}
	for (size_t i = 0; i < r->nclasses; i++)
		if (r->classes[i].jpcert == KS_JPCERT_INTRUSION ||
		    r->classes[i].jpcert == KS_JPCERT_STEPPING_STONE) {
			impact = "takeover-system";
			break;
		} else if (r->classes[i].jpcert == KS_JPCERT_DEFACEMENT)
			impact = "integrity-data";
		else if (r->classes[i].jpcert == KS_JPCERT_DOS)
			impact = "availability-service";
	start(x, "Assessment");
	attr(x, "occurrence", "actual");
	for (size_t i = 0; i < r->nclasses; i++) {
		start(x, "IncidentCategory");
		text(x, r->classes[i].taxonomy);
		check(x, xmlTextWriterWriteString(x->w, (const xmlChar *)"/"));
		text(x, r->classes[i].type);
		end(x);
		start(x, "IncidentCategory");
		attr(x, "xml:lang", "ja");
		text(x, ks_jpcert_label(r->classes[i].jpcert));
		end(x);
	}
	start(x, "SystemImpact");
	attr(x, "severity", sev[worst]);
	attr(x, "type", impact);
	end(x);
	end(x);
}

static void
methods(struct xw *x, const struct ks_report *r, enum ks_tlp share)
{
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct ks_rule_info *ru = r->findings[i]->rule;
		bool seen = false;

		if (!ks_tlp_shown(r->finding_tlp[i], share))
			continue;
		for (size_t j = 0; j < i && !seen; j++)
			seen = r->findings[j]->rule == ru &&
			    ks_tlp_shown(r->finding_tlp[j], share);
		if (seen)
			continue;
		start(x, "Method");
		restriction(x, r->finding_tlp[i]);
		element(x, "Description", ru->title);
		end(x);
	}
}

static void
contact(struct xw *x, const struct ks_report *r, enum ks_tlp share)
{
	start(x, "Contact");
	attr(x, "role", "creator");
	attr(x, "type", "organization");
	restriction(x, ks_tlp_export(r, share));
	element(x, "ContactName", r->organisation ? r->organisation :
	    r->site ? r->site : "kansatsu");
	if (ks_tlp_shown(r->contact_tlp, share) &&
	    (r->contact_name || r->contact_email || r->contact_phone)) {
		start(x, "Contact");
		attr(x, "role", "tech");
		attr(x, "type", "person");
		restriction(x, r->contact_tlp);
		if (r->contact_name)
			element(x, "ContactName", r->contact_name);
		if (r->contact_email) {
			start(x, "Email");
			element(x, "EmailTo", r->contact_email);
			end(x);
		}
		if (r->contact_phone) {
			start(x, "Telephone");
			element(x, "TelephoneNumber", r->contact_phone);
			end(x);
		}
		end(x);
	}
	end(x);
}

static void
address(struct xw *x, const char *ip)
{
	start(x, "Address");
	attr(x, "category", strchr(ip, ':') ? "ipv6-addr" : "ipv4-addr");
	text(x, ip);
	end(x);
}

static void
one_system(struct xw *x, const struct ks_system *s)
{
	char num[16];

	start(x, "System");
	attr(x, "category", ks_role_name(s->role));
	if (s->own)
		attr(x, "ownership", "organization");
	restriction(x, s->tlp);
	start(x, "Node");
	if (s->domain != NULL) {
		start(x, "DomainData");
		element(x, "Name", s->domain);
		end(x);
	}
	if (s->ip != NULL)
		address(x, s->ip);
	if (s->asn != 0) {
		snprintf(num, sizeof(num), "%u", (unsigned)s->asn);
		start(x, "Address");
		attr(x, "category", "asn");
		text(x, num);
		end(x);
	}
	if (s->country != NULL)
		element(x, "Location", s->country);
	end(x);
	if (s->port != 0) {
		snprintf(num, sizeof(num), "%u", s->port);
		start(x, "Service");
		element(x, "Port", num);
		end(x);
	}
	if (s->as_org != NULL)
		element(x, "Description", s->as_org);
	if (s->network != NULL)
		element(x, "Description", s->network);
	end(x);
}

static void
expectations(struct xw *x, const struct ks_report *r)
{
	static const char *const action[KS_REQ_COUNT] = {
		"investigate", "contact-source-site", "block-host", "nothing",
	};

	for (int i = 0; i < KS_REQ_COUNT; i++)
		if (r->request & (1u << i)) {
			start(x, "Expectation");
			attr(x, "action", action[i]);
			element(x, "Description", ks_request_label(i));
			end(x);
		}
}

static void
record(struct xw *x, const struct ks_report *r, enum ks_tlp share)
{
	bool open = false;
	char where[64];

	for (size_t i = 0; i < r->nexcerpts; i++) {
		const struct ks_excerpt *e = &r->excerpts[i];

		if (!ks_tlp_shown(e->tlp, share))
			continue;
		if (!open) {
			start(x, "Record");
			restriction(x, ks_tlp_export(r, share));
			open = true;
		}
		start(x, "RecordData");
		restriction(x, e->tlp);
		if (e->ts_us != INT64_MIN)
			time_element(x, "DateTime", e->ts_us, e->off);
		start(x, "Description");
		text(x, e->path);
		if (e->line > 0) {
			snprintf(where, sizeof(where), ":%llu",
			    (unsigned long long)e->line);
			check(x, xmlTextWriterWriteString(x->w,
			    (const xmlChar *)where));
		}
		end(x);
		start(x, "RecordItem");
		attr(x, "dtype", "string");
		text(x, e->text);
		end(x);
		end(x);
	}
	if (open)
		end(x);
}

static void
event_data(struct xw *x, const struct ks_report *r, enum ks_tlp share)
{
	bool flow = false;

	start(x, "EventData");
	restriction(x, ks_tlp_export(r, share));
	element(x, "Description", r->discovery ? r->discovery : "");
	if (r->first_us != INT64_MAX) {
		time_element(x, "StartTime", r->first_us, r->first_off);
		time_element(x, "EndTime", r->last_us, r->last_off);
	}
	for (size_t i = 0; i < r->nsystems; i++) {
		if (!ks_tlp_shown(r->systems[i].tlp, share))
			continue;
		if (!flow)
			start(x, "Flow");
		flow = true;
		one_system(x, &r->systems[i]);
	}
	if (flow)
		end(x);
	expectations(x, r);
	record(x, r, share);
	end(x);
}

static void
document(struct xw *x, const struct ks_report *r, enum ks_tlp share)
{
	check(x, xmlTextWriterStartDocument(x->w, NULL, "UTF-8", NULL));
	start(x, "IODEF-Document");
	attr(x, "version", "2.00");
	attr(x, "xml:lang", r->language ? r->language : "en");
	attr(x, "xmlns", NS);
	start(x, "Incident");
	attr(x, "purpose", "reporting");
	restriction(x, ks_tlp_export(r, share));
	start(x, "IncidentID");
	attr(x, "name", r->site ? r->site : "kansatsu");
	text(x, r->id);
	end(x);
	if (r->first_us != INT64_MAX) {
		time_element(x, "StartTime", r->first_us, r->first_off);
		time_element(x, "EndTime", r->last_us, r->last_off);
	}
	time_element(x, "ReportTime", r->generated_us, r->generated_off);
	time_element(x, "GenerationTime", r->generated_us, r->generated_off);
	start(x, "Discovery");
	attr(x, "source", "os-log");
	element(x, "Description", r->discovery ? r->discovery : "");
	end(x);
	assessment(x, r);
	methods(x, r, share);
	contact(x, r, share);
	event_data(x, r, share);
	end(x);
	end(x);
	check(x, xmlTextWriterEndDocument(x->w));
}

int
ks_report_iodef(struct ks_buf *b, const struct ks_report *r,
    enum ks_tlp share, struct ks_err *err)
{
	xmlBufferPtr xb = xmlBufferCreate();
	struct xw x = { .rc = 0 };

	if (xb == NULL || (x.w = xmlNewTextWriterMemory(xb, 0)) == NULL) {
		xmlBufferFree(xb);
		return ks_err_set(err, "IODEF: libxml2 could not start");
	}
	ks_buf_init(&x.tmp);
	check(&x, xmlTextWriterSetIndent(x.w, 1));
	document(&x, r, share);
	xmlFreeTextWriter(x.w);
	ks_buf_free(&x.tmp);
	if (x.rc < 0) {
		xmlBufferFree(xb);
		return ks_err_set(err, "IODEF: libxml2 failed to write");
	}
	ks_buf_add(b, xmlBufferContent(xb), (size_t)xmlBufferLength(xb));
	xmlBufferFree(xb);
	return 0;
}
