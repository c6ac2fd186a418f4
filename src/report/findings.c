/*
 * findings.c - the findings contract's JSON Lines, and the same findings
 * as text for a person.
 *
 * The JSON follows shared/contract/findings.md field by field, nested, so
 * that `jq .source.ip` works; decoded fields beyond the contract's
 * (email.local_id, dns.question.name, ...) are added under their ECS
 * names, as the contract allows.  Every string that came from a log is
 * escaped, in JSON and in text alike.
 */
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "util/i18n.h"

static void
str_member(struct ks_buf *b, const char *key, const char *v)
{
	ks_buf_addf(b, ",\"%s\":", key);
	ks_json_str(b, v, strlen(v));
}

/*
 * The finding's decoded fields and attributes as one sorted member list,
 * so that source.ip (a field) and source.geo.* (attributes) share one
 * "source" object.  event.* is left out: a finding is not an event.
 */
static void
members_json(struct ks_buf *b, const struct ks_finding *fd)
{
	struct ks_kv kv[KS_F_COUNT + KS_ATTR_MAX];
	size_t n = 0;

	for (int k = 0; k < KS_F_COUNT; k++)
		if (fd->field[k] != NULL && k != KS_F_EVENT_ACTION &&
		    k != KS_F_EVENT_OUTCOME)
			kv[n++] = (struct ks_kv){ ks_field_name((enum ks_field)k),
			    fd->field[k], strlen(fd->field[k]),
			    ks_field_numeric((enum ks_field)k) };
	for (size_t i = 0; i < fd->nattr; i++)
		kv[n++] = (struct ks_kv){ fd->attr[i].key, fd->attr[i].val,
		    strlen(fd->attr[i].val), fd->attr[i].num };
	ks_kv_sort(kv, n);
	ks_json_members(b, kv, n);
}

static void
evidence_json(struct ks_buf *b, const struct ks_finding *fd)
{
	ks_buf_adds(b, ",\"evidence\":[");
	for (size_t i = 0; i < fd->nev; i++) {
		const struct ks_evidence *e = &fd->ev[i];

		ks_buf_adds(b, i ? ",{\"path\":" : "{\"path\":");
		ks_json_str(b, e->path, strlen(e->path));
		ks_buf_adds(b, ",\"line\":");
		if (e->cursor != NULL)
			ks_json_str(b, e->cursor, strlen(e->cursor));
		else if (e->line > 0)
			ks_buf_addu(b, e->line);
		else
			ks_buf_adds(b, "null");
		ks_buf_adds(b, ",\"text\":");
		ks_json_str(b, e->text, strlen(e->text));
		ks_buf_addc(b, '}');
	}
	ks_buf_addc(b, ']');
}

void
ks_finding_json(struct ks_buf *b, const struct ks_finding *fd)
{
	const struct ks_rule_info *r = fd->rule;

	ks_buf_adds(b, "{\"rule\":");
	ks_json_str(b, r->id, strlen(r->id));
	str_member(b, "title", r->title);
	ks_buf_adds(b, ",\"classification\":{\"taxonomy\":");
	ks_json_str(b, r->taxonomy, strlen(r->taxonomy));
	str_member(b, "type", r->type);
	ks_buf_addc(b, '}');
	str_member(b, "severity", r->severity);
	if (r->outcome != NULL)
		str_member(b, "outcome", r->outcome);
	ks_buf_adds(b, ",\"host\":{\"name\":");
	ks_json_str(b, fd->host, strlen(fd->host));
	ks_buf_addc(b, '}');
	members_json(b, fd);
	ks_buf_adds(b, ",\"first_seen\":\"");
	ks_time_format(b, fd->first_us, fd->first_off);
	ks_buf_adds(b, "\",\"last_seen\":\"");
	ks_time_format(b, fd->last_us, fd->last_off);
	ks_buf_adds(b, "\",\"count\":");
	ks_buf_addu(b, fd->count);
	evidence_json(b, fd);
	if (r->advice != NULL)
		str_member(b, "advice", r->advice);
	ks_buf_adds(b, "}\n");
}

static void
text_party(struct ks_buf *b, const char *label, const char *ip,
    const char *domain)
{
	if (ip == NULL && domain == NULL)
		return;
	ks_buf_addf(b, "  %s ", label);
	if (ip != NULL)
		ks_escape_text(b, ip, strlen(ip));
	if (ip != NULL && domain != NULL)
		ks_buf_adds(b, " (");
	if (domain != NULL)
		ks_escape_text(b, domain, strlen(domain));
	if (ip != NULL && domain != NULL)
		ks_buf_addc(b, ')');
}

void
ks_finding_text(struct ks_buf *b, const struct ks_finding *fd, size_t lines)
{
	const struct ks_rule_info *r = fd->rule;
	char sev[16];
	size_t i;

	for (i = 0; r->severity[i] != '\0' && i < sizeof(sev) - 1; i++)
		sev[i] = (char)(r->severity[i] >= 'a' && r->severity[i] <= 'z' ?
		    r->severity[i] - 32 : r->severity[i]);
	sev[i] = '\0';
	ks_buf_addf(b, "%-8s  ", sev);
	ks_escape_text(b, r->id, strlen(r->id));
	ks_buf_adds(b, ": ");
	ks_escape_text(b, ks_tr(r->title), strlen(ks_tr(r->title)));
	ks_buf_adds(b, "\n          ");
	ks_escape_text(b, fd->host, strlen(fd->host));
	text_party(b, _("from"), fd->field[KS_F_SOURCE_IP],
	    fd->field[KS_F_SOURCE_DOMAIN]);
	text_party(b, _("to"), fd->field[KS_F_DESTINATION_IP],
	    fd->field[KS_F_DESTINATION_DOMAIN]);
	if (fd->field[KS_F_USER_NAME] != NULL) {
		ks_buf_adds(b, "  ");
		ks_buf_adds(b, _("user"));
		ks_buf_addc(b, ' ');
		ks_escape_text(b, fd->field[KS_F_USER_NAME],
		    strlen(fd->field[KS_F_USER_NAME]));
	}
	for (i = 0; i < fd->nattr; i++) {
		ks_buf_adds(b, i % 4 ? "  " : "\n          ");
		ks_escape_text(b, fd->attr[i].key, strlen(fd->attr[i].key));
		ks_buf_addc(b, ' ');
		ks_escape_text(b, fd->attr[i].val, strlen(fd->attr[i].val));
	}
	ks_buf_adds(b, "\n          ");
	ks_time_format(b, fd->first_us, fd->first_off);
	if (fd->last_us != fd->first_us) {
		ks_buf_adds(b, " .. ");
		ks_time_format(b, fd->last_us, fd->last_off);
	}
	ks_buf_adds(b, "  ");
	ks_buf_addf(b, ngettext("%llu event", "%llu events",
	    (unsigned long)fd->count), (unsigned long long)fd->count);
	if (r->outcome != NULL)
		ks_buf_addf(b, ", %s", r->outcome);
	ks_buf_addc(b, '\n');
	for (i = 0; i < fd->nev && i < lines; i++) {
		ks_buf_adds(b, "          | ");
		ks_escape_text(b, fd->ev[i].path, strlen(fd->ev[i].path));
		if (fd->ev[i].line > 0)
			ks_buf_addf(b, ":%llu", (unsigned long long)fd->ev[i].line);
		ks_buf_adds(b, ": ");
		ks_escape_text(b, fd->ev[i].text, strlen(fd->ev[i].text));
		ks_buf_addc(b, '\n');
	}
	if (fd->count > i)
		ks_buf_addf(b, _("          | (%llu more)\n"),
		    (unsigned long long)(fd->count - i));
	if (r->advice != NULL) {
		ks_buf_adds(b, "          ");
		ks_buf_adds(b, _("advice: "));
		ks_escape_text(b, ks_tr(r->advice), strlen(ks_tr(r->advice)));
		ks_buf_addc(b, '\n');
	}
}
