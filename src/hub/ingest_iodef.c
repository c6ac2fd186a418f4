/*
 * ingest_iodef.c - IODEF v2 (RFC 7970) into the hub's model, through
 * libxml2.
 *
 * An IODEF document is the other CSIRTs' and tools' way of reporting an
 * incident.  What the hub takes: the creator's Contact (the reporting
 * site), ReportTime, Description and Discovery, the Assessment's
 * SystemImpact (its category), every System of every Flow with its
 * category (source, target, intermediate: the roles of the indicators)
 * and the log lines of RecordItem.  A System is stored as the report
 * model's system object (role, ip, domain, as, port, own), as a kansatsu
 * report's systems are, so every format's systems read alike.  A target
 * or intermediate System owned by the reporter (ownership absent or
 * "organization") adds its addresses to the reporter's own networks.  Disclosure follows the
 * restriction attribute, inherited down the tree (RFC 7970 3.3:
 * an Incident without one is private), mapped to TLP as
 * docs/report-model.md says.
 *
 * The parser never loads a DTD or anything from the network and never
 * substitutes entities: the document is hostile.
 */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hub/hub_int.h"
#include "util/i18n.h"

#define IODEF_NS "urn:ietf:params:xml:ns:iodef-2.0"

struct iodef {
	struct ks_hub_report *r;
	struct ks_err *err;
	bool oom;
};

static bool
is(const xmlNode *n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0 &&
	    (n->ns == NULL || strcmp((const char *)n->ns->href, IODEF_NS) == 0);
}

/* The first child element called name, or NULL. */
static xmlNode *
child(const xmlNode *n, const char *name)
{
	for (xmlNode *c = n ? n->children : NULL; c != NULL; c = c->next)
		if (is(c, name))
			return c;
	return NULL;
}

/* An attribute (caller frees with xmlFree), or NULL. */
static char *
attr(const xmlNode *n, const char *name)
{
	return (char *)xmlGetProp(n, (const xmlChar *)name);
}

static bool
attr_is(const xmlNode *n, const char *name, const char *want)
{
	char *v = attr(n, name);
	bool yes = v != NULL && strcmp(v, want) == 0;

	xmlFree(v);
	return yes;
}

/* The text of an element, trimmed (caller frees with xmlFree). */
static char *
text(const xmlNode *n)
{
	char *t, *s, *e;

	if (n == NULL || (t = (char *)xmlNodeGetContent(n)) == NULL)
		return NULL;
	for (s = t; *s == ' ' || *s == '\n' || *s == '\t' || *s == '\r'; s++)
		;
	for (e = s + strlen(s); e > s && (e[-1] == ' ' || e[-1] == '\n' ||
	    e[-1] == '\t' || e[-1] == '\r'); e--)
		;
	memmove(t, s, (size_t)(e - s));
	t[e - s] = '\0';
	return t;
}

static enum ks_tlp
restriction(const xmlNode *n, enum ks_tlp inherited)
{
	static const struct {
		const char *name;
		enum ks_tlp tlp;
	} map[] = {
		{ "public", KS_TLP_CLEAR }, { "white", KS_TLP_CLEAR },
		{ "partner", KS_TLP_GREEN }, { "green", KS_TLP_GREEN },
		{ "need-to-know", KS_TLP_AMBER }, { "amber", KS_TLP_AMBER },
		{ "default", KS_TLP_AMBER },
		{ "private", KS_TLP_RED }, { "red", KS_TLP_RED },
	};
	char *v = attr(n, "restriction");
	enum ks_tlp t = inherited;

	if (v == NULL)
		return inherited;
	t = KS_TLP_RED;
	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++)
		if (strcmp(v, map[i].name) == 0)
			t = map[i].tlp;
	if (strcmp(v, "ext-value") == 0 && attr_is(n, "ext-restriction",
	    "amber-strict"))
		t = KS_TLP_AMBER_STRICT;
	xmlFree(v);
	return t;
}

static void
set_str(struct iodef *x, char **dst, char *v)
{
	bool ok = true;

	if (v != NULL && *dst == NULL && v[0] != '\0')
		*dst = ks_hub_strdup(v, &ok);
	if (!ok)
		x->oom = true;
	xmlFree(v);
}

/* ContactName, Email/EmailTo, Telephone/TelephoneNumber of a Contact. */
static void
take_contact(struct iodef *x, const xmlNode *c, enum ks_tlp tlp)
{
	struct ks_hub_profile *p = &x->r->reporter;
	bool org = attr_is(c, "type", "organization");

	if (org)
		set_str(x, &p->organisation, text(child(c, "ContactName")));
	else
		set_str(x, &p->contact_name, text(child(c, "ContactName")));
	set_str(x, &p->contact_email, text(child(child(c, "Email"),
	    "EmailTo")));
	set_str(x, &p->contact_phone, text(child(child(c, "Telephone"),
	    "TelephoneNumber")));
	p->contact_tlp = restriction(c, tlp);
	for (xmlNode *n = c->children; n != NULL; n = n->next)
		if (is(n, "Contact"))
			take_contact(x, n, p->contact_tlp);
}

static bool
owned(const xmlNode *sys)
{
	char *v = attr(sys, "ownership");
	bool yes = v == NULL || strcmp(v, "organization") == 0;

	xmlFree(v);
	return yes;
}

static void
take_address(struct iodef *x, const xmlNode *a, int role, bool own,
    enum ks_tlp tlp)
{
	char *cat = attr(a, "category"), *v = text(a);
	struct ks_err ignored;
	const char *c = cat ? cat : "ipv6-addr";

	if (v == NULL) {
		xmlFree(cat);
		return;
	}
	if (strcmp(c, "ipv4-addr") == 0 || strcmp(c, "ipv6-addr") == 0) {
		if (ks_hub_add_ip(x->r, role, tlp, v) < 0)
			x->oom = true;
	} else if (strcmp(c, "asn") == 0) {
		if (ks_hub_add_as(x->r, role, tlp, v) < 0)
			x->oom = true;
	} else if (strcmp(c, "ipv4-net") != 0 && strcmp(c, "ipv6-net") != 0) {
		x->r->unparsed++;
	}
	if (own && role != KS_ROLE_SOURCE && strncmp(c, "ipv", 3) == 0 &&
	    ks_hub_profile_add_network(&x->r->reporter, v, &ignored) < 0)
		x->r->bad_values++;
	xmlFree(cat);
	xmlFree(v);
}

/*
 * A member of the system's object from one Node child: the first IP
 * address as "ip", the first AS number as "as", the first name as
 * "domain" (the report model's names, docs/report-model.md).
 */
static void
system_member(json_t *o, const xmlNode *n, const char *v)
{
	char *cat = attr(n, "category");
	const char *c = cat ? cat : "ipv6-addr";
	char *end;
	unsigned long asn;

	if (is(n, "DomainData") && json_object_get(o, "domain") == NULL)
		json_object_set_new(o, "domain", json_string(v));
	else if (is(n, "Address") && (strcmp(c, "ipv4-addr") == 0 ||
	    strcmp(c, "ipv6-addr") == 0) && json_object_get(o, "ip") == NULL)
		json_object_set_new(o, "ip", json_string(v));
	else if (is(n, "Address") && strcmp(c, "asn") == 0 &&
	    json_object_get(o, "as") == NULL && ks_isdigit(v[0]) &&
	    (asn = strtoul(v, &end, 10)) <= UINT32_MAX && *end == '\0')
		json_object_set_new(o, "as", json_pack("{s:I}", "number",
		    (json_int_t)asn));
	xmlFree(cat);
}

/* The Service's port, when it is one number. */
static void
system_port(json_t *o, const xmlNode *sys)
{
	char *v = text(child(child(sys, "Service"), "Port")), *end;
	unsigned long port;

	if (v != NULL && ks_isdigit(v[0]) && (port = strtoul(v, &end, 10)) >
	    0 && port <= 65535 && *end == '\0')
		json_object_set_new(o, "port", json_integer((json_int_t)port));
	xmlFree(v);
}

/*
 * A System: its indicators, and one element whose title names the role
 * and values and whose body is the report model's system object, as the
 * other formats store it, so that a notification can write it again.
 */
static void
take_system(struct iodef *x, const xmlNode *sys, enum ks_tlp tlp)
{
	char *cat = attr(sys, "category");
	int role = ks_role_parse(cat);
	const xmlNode *node = child(sys, "Node");
	struct ks_buf title;
	json_t *o;
	char *body;

	tlp = restriction(sys, tlp);
	xmlFree(cat);
	if (role < 0 || node == NULL) {
		x->r->unparsed++;
		return;
	}
	o = json_pack("{s:s, s:b}", "role", ks_role_name(role), "own",
	    role != KS_ROLE_SOURCE && owned(sys));
	ks_buf_init(&title);
	ks_buf_adds(&title, ks_role_name(role));
	for (xmlNode *n = node->children; n != NULL; n = n->next) {
		char *v = NULL;

		if (is(n, "Address")) {
			take_address(x, n, role, owned(sys), tlp);
			v = text(n);
		} else if (is(n, "DomainData")) {
			v = text(child(n, "Name"));
			if (ks_hub_add_domain(x->r, role, tlp, v) < 0)
				x->oom = true;
		}
		if (v != NULL) {
			ks_buf_addc(&title, ' ');
			ks_buf_adds(&title, v);
			system_member(o, n, v);
		}
		xmlFree(v);
	}
	system_port(o, sys);
	ks_buf_addc(&title, '\0');
	body = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
	if (title.failed || body == NULL || ks_hub_add_element(x->r,
	    KS_EL_SYSTEM, tlp, title.p, body, strlen(body)) < 0)
		x->oom = true;
	free(body);
	json_decref(o);
	ks_buf_free(&title);
}

/* Each line of a RecordItem is one excerpt. */
static void
take_record(struct iodef *x, const xmlNode *rec, enum ks_tlp tlp)
{
	tlp = restriction(rec, tlp);
	for (xmlNode *rd = rec->children; rd != NULL; rd = rd->next) {
		if (!is(rd, "RecordData"))
			continue;
		enum ks_tlp rt = restriction(rd, tlp);

		for (xmlNode *it = rd->children; it != NULL; it = it->next) {
			char *t, *p, *nl;

			if (!is(it, "RecordItem") || (t = text(it)) == NULL)
				continue;
			for (p = t; *p != '\0'; p = nl ? nl + 1 : p + strlen(p)) {
				nl = strchr(p, '\n');
				size_t n = nl ? (size_t)(nl - p) : strlen(p);

				if (n > 0 && ks_hub_add_element(x->r,
				    KS_EL_EXCERPT, rt, "RecordItem", p, n) < 0)
					x->oom = true;
			}
			xmlFree(t);
		}
	}
}

static void
take_time(struct iodef *x, const xmlNode *n)
{
	char *t = text(n);
	int64_t us;
	int32_t off;

	if (t != NULL && ks_hub_time_parse(t, &us, &off) == 0)
		ks_hub_seen(x->r, us);
	xmlFree(t);
}

static void
take_event(struct iodef *x, const xmlNode *ev, enum ks_tlp tlp)
{
	tlp = restriction(ev, tlp);
	for (xmlNode *n = ev->children; n != NULL; n = n->next) {
		if (is(n, "Flow"))
			for (xmlNode *s = n->children; s != NULL; s = s->next)
				if (is(s, "System"))
					take_system(x, s, tlp);
		if (is(n, "Record"))
			take_record(x, n, tlp);
		if (is(n, "EventData"))
			take_event(x, n, tlp);
		if (is(n, "DetectTime") || is(n, "StartTime") ||
		    is(n, "EndTime"))
			take_time(x, n);
		if (is(n, "Description")) {
			char *t = text(n);

			if (t && ks_hub_add_element(x->r, KS_EL_DESCRIPTION,
			    restriction(n, tlp), NULL, t, strlen(t)) < 0)
				x->oom = true;
			xmlFree(t);
		}
	}
}

/* SystemImpact types (and ext-types) as RSIT taxonomy/type. */
static void
take_assessment(struct iodef *x, const xmlNode *a)
{
	static const struct {
		const char *impact, *taxonomy, *type;
	} map[] = {
		{ "takeover-system", "intrusions", "system-compromise" },
		{ "takeover-account", "intrusions",
		    "privileged-account-compromise" },
		{ "takeover-service", "intrusions", "application-compromise" },
		{ "availability-system", "availability", "dos" },
		{ "availability-service", "availability", "dos" },
		{ "integrity-data", "information-content-security",
		    "unauthorised-information-modification" },
		{ "recon", "information-gathering", "scanner" },
		{ "scan", "information-gathering", "scanner" },
		{ "spam", "abusive-content", "spam" },
	};
	const xmlNode *si = child(a, "SystemImpact");
	char *t = si ? attr(si, "type") : NULL;
	bool ok = true;

	if (t != NULL && strcmp(t, "ext-value") == 0) {
		xmlFree(t);
		t = attr(si, "ext-type");
	}
	for (size_t i = 0; t != NULL && x->r->taxonomy == NULL &&
	    i < sizeof(map) / sizeof(*map); i++)
		if (strcmp(t, map[i].impact) == 0) {
			x->r->taxonomy = ks_hub_strdup(map[i].taxonomy, &ok);
			x->r->type = ks_hub_strdup(map[i].type, &ok);
		}
	if (si != NULL && attr_is(si, "completion", "succeeded"))
		set_str(x, &x->r->outcome, (char *)xmlStrdup(
		    (const xmlChar *)"success"));
	if (!ok)
		x->oom = true;
	xmlFree(t);
}

/* purpose -> what the reporter asks. */
static unsigned
purpose_request(const xmlNode *inc)
{
	char *p = attr(inc, "purpose");
	unsigned req = 0;

	if (p != NULL && strcmp(p, "traceback") == 0)
		req = KS_REQ_CONTACT_SOURCE;
	else if (p != NULL && strcmp(p, "mitigation") == 0)
		req = KS_REQ_INVESTIGATE;
	else if (p != NULL && strcmp(p, "reporting") == 0)
		req = KS_REQ_NOTHING;
	xmlFree(p);
	return req;
}

static void
take_incident(struct iodef *x, const xmlNode *inc)
{
	enum ks_tlp tlp = restriction(inc, KS_TLP_RED);
	struct ks_hub_report *r = x->r;
	char *lang = (char *)xmlNodeGetLang(inc), *t;

	r->tlp = tlp;
	r->reporter.tlp = tlp;
	r->request |= purpose_request(inc);
	if (lang != NULL && (strncmp(lang, "ja", 2) == 0 ||
	    strncmp(lang, "en", 2) == 0))
		set_str(x, &r->reporter.language, (char *)xmlStrndup(
		    (const xmlChar *)lang, 2));
	xmlFree(lang);
	set_str(x, &r->reporter.site, attr(child(inc, "IncidentID"), "name"));
	if (!r->has_reported && (t = text(child(inc, "ReportTime"))) != NULL) {
		r->has_reported = ks_hub_time_parse(t, &r->reported_us,
		    &r->reported_off) == 0;
		xmlFree(t);
	}
	for (xmlNode *n = inc->children; n != NULL; n = n->next) {
		if (is(n, "Contact") && (attr_is(n, "role", "creator") ||
		    attr_is(n, "role", "reporter")) &&
		    r->reporter.contact_email == NULL)
			take_contact(x, n, tlp);
		else if (is(n, "EventData"))
			take_event(x, n, tlp);
		else if (is(n, "Assessment"))
			take_assessment(x, n);
		else if (is(n, "Discovery"))
			set_str(x, &r->discovery, text(child(n, "Description")));
		else if (is(n, "Description")) {
			char *d = text(n);

			set_str(x, &r->title, (char *)xmlStrdup((xmlChar *)
			    (d ? d : "")));
			if (d && ks_hub_add_element(r, KS_EL_DESCRIPTION,
			    restriction(n, tlp), NULL, d, strlen(d)) < 0)
				x->oom = true;
			xmlFree(d);
		} else if (is(n, "DetectTime") || is(n, "StartTime") ||
		    is(n, "EndTime"))
			take_time(x, n);
	}
	if (r->discovery != NULL && ks_hub_add_element(r, KS_EL_DESCRIPTION,
	    tlp, "discovery", r->discovery, strlen(r->discovery)) < 0)
		x->oom = true;
}

int
ks_hub_parse_iodef(struct ks_hub_report *r, const char *data, size_t n,
    struct ks_err *err)
{
	struct iodef x = { r, err, false };
	xmlDoc *doc;
	xmlNode *root;
	size_t incidents = 0;
	int rc = -1;

	r->format = "iodef";
	r->raw_type = "application/xml";
	if (n > INT32_MAX)
		return ks_err_set(err, _("IODEF: too large"));
	doc = xmlReadMemory(data, (int)n, "report.xml", NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL) {
		const xmlError *e = xmlGetLastError();

		return ks_err_set(err, _("IODEF: not well-formed XML (line %d)"),
		    e ? e->line : 0);
	}
	root = xmlDocGetRootElement(doc);
	if (!is(root, "IODEF-Document")) {
		ks_err_set(err, _("IODEF: the root is not an IODEF-Document of "
		    "%s"), IODEF_NS);
		goto out;
	}
	for (xmlNode *c = root->children; c != NULL; c = c->next)
		if (is(c, "Incident")) {
			take_incident(&x, c);
			incidents++;
		}
	if (x.oom) {
		ks_err_set(err, "out of memory");
		goto out;
	}
	if (incidents == 0) {
		ks_err_set(err, _("IODEF: no Incident"));
		goto out;
	}
	if (r->reporter.site == NULL && r->reporter.contact_email != NULL) {
		const char *at = strrchr(r->reporter.contact_email, '@');
		bool ok = true;

		r->reporter.site = ks_hub_strdup(at ? at + 1 :
		    r->reporter.contact_email, &ok);
	}
	if (ks_hub_add_contact(r) < 0) {
		ks_err_set(err, "out of memory");
		goto out;
	}
	rc = ks_hub_report_finish(r, err);
out:
	xmlFreeDoc(doc);
	return rc;
}
