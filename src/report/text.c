/*
 * text.c - the report for a person, as plain text or Markdown, in the
 * language gettext has selected (Japanese or English).
 *
 * The sections follow what seed 004 says a CSIRT needs, in its order:
 * who reports, the classification, date and time with the zone and the
 * state of the clock, how it was found, what is asked, the systems with
 * their roles, what happened, the log excerpts, the advice, and what
 * proves the evidence (hashes, generator).  Every element carries its
 * TLP level; elements stricter than the audience are left out and
 * counted at the end, so the reader knows something was withheld.
 * Strings from logs and findings files are escaped for the terminal, and
 * for Markdown their markup characters are escaped as well; excerpts go
 * in a fence longer than any backtick run they contain.
 */
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"
#include "util/i18n.h"

struct tw {
	struct ks_buf *b;
	bool md;
	int section;
	size_t withheld;
	struct ks_buf tmp;
};

/* Hostile text: terminal escapes made visible, Markdown markup escaped. */
static void
esc(struct tw *w, const char *s)
{
	if (s == NULL)
		return;
	if (!w->md) {
		ks_escape_text(w->b, s, strlen(s));
		return;
	}
	ks_buf_reset(&w->tmp);
	ks_escape_text(&w->tmp, s, strlen(s));
	for (size_t i = 0; i < w->tmp.len; i++) {
		if (strchr("\\`*_[]<>#|~&", w->tmp.p[i]) != NULL)
			ks_buf_addc(w->b, '\\');
		ks_buf_addc(w->b, w->tmp.p[i]);
	}
}

static void
heading(struct tw *w, const char *title)
{
	w->section++;
	if (w->md)
		ks_buf_addf(w->b, "\n## %d. %s\n\n", w->section, title);
	else
		ks_buf_addf(w->b, "\n%d. %s\n", w->section, title);
}

/* The start of a list item or an indented line. */
static void
item(struct tw *w)
{
	ks_buf_adds(w->b, w->md ? "- " : "   - ");
}

static void
label(struct tw *w, const char *l)
{
	if (w->md)
		ks_buf_addf(w->b, "- **%s:** ", l);
	else
		ks_buf_addf(w->b, "   %s: ", l);
}

static void
field(struct tw *w, const char *l, const char *v)
{
	if (v == NULL)
		return;
	label(w, l);
	esc(w, v);
	ks_buf_addc(w->b, '\n');
}

static void
tlp_tag(struct tw *w, enum ks_tlp t)
{
	ks_buf_addf(w->b, " [TLP:%s]", ks_tlp_name(t));
}

static void
time_field(struct tw *w, const char *l, int64_t us, int32_t off)
{
	label(w, l);
	ks_time_format(w->b, us, off);
	ks_buf_addc(w->b, '\n');
}

static void
head(struct tw *w, const struct ks_report *r, enum ks_tlp share)
{
	ks_buf_adds(w->b, w->md ? "# " : "");
	ks_buf_adds(w->b, _("Incident report"));
	ks_buf_addc(w->b, '\n');
	if (!w->md)
		ks_buf_adds(w->b, "========================================\n");
	else
		ks_buf_addc(w->b, '\n');
	label(w, "TLP");
	ks_buf_addf(w->b, "%s\n", ks_tlp_name(ks_tlp_export(r, share)));
	field(w, _("Report ID"), r->id);
	time_field(w, _("Generated"), r->generated_us, r->generated_off);
	label(w, _("Generator"));
	ks_buf_adds(w->b, "kansatsu ");
	esc(w, r->version);
	ks_buf_addc(w->b, '\n');
	field(w, _("Host"), r->host);
	if (r->recipient_name != NULL || r->recipient_email != NULL) {
		label(w, _("To"));
		esc(w, r->recipient_name);
		if (r->recipient_email != NULL) {
			ks_buf_adds(w->b, r->recipient_name ? " <" : "<");
			esc(w, r->recipient_email);
			ks_buf_addc(w->b, '>');
		}
		ks_buf_addc(w->b, '\n');
	}
}

static void
list_field(struct tw *w, const char *l, char *const *v, size_t n)
{
	if (n == 0)
		return;
	label(w, l);
	for (size_t i = 0; i < n; i++) {
		if (i)
			ks_buf_adds(w->b, ", ");
		esc(w, v[i]);
	}
	ks_buf_addc(w->b, '\n');
}

static void
reporter(struct tw *w, const struct ks_report *r, enum ks_tlp share)
{
	heading(w, _("Reporter"));
	field(w, _("Organisation"), r->organisation);
	field(w, _("Site"), r->site);
	if (ks_tlp_shown(r->contact_tlp, share)) {
		label(w, _("Contact"));
		esc(w, r->contact_name);
		if (r->contact_email != NULL) {
			ks_buf_adds(w->b, r->contact_name ? " <" : "<");
			esc(w, r->contact_email);
			ks_buf_addc(w->b, '>');
		}
		if (r->contact_phone != NULL) {
			ks_buf_adds(w->b, ", ");
			esc(w, r->contact_phone);
		}
		tlp_tag(w, r->contact_tlp);
		ks_buf_addc(w->b, '\n');
	} else
		w->withheld++;
	if (ks_tlp_shown(r->tlp, share)) {
		list_field(w, _("Own networks"), r->networks, r->nnetworks);
		list_field(w, _("Own domains"), r->domains, r->ndomains);
	}
}

static void
classification(struct tw *w, const struct ks_report *r)
{
	heading(w, _("Classification"));
	if (r->nclasses == 0) {
		item(w);
		ks_buf_addf(w->b, "%s\n", _("none: no finding"));
	}
	for (size_t i = 0; i < r->nclasses; i++) {
		item(w);
		ks_buf_adds(w->b, _(ks_jpcert_msgid(r->classes[i].jpcert)));
		ks_buf_adds(w->b, " (RSIT: ");
		esc(w, r->classes[i].taxonomy);
		ks_buf_adds(w->b, " / ");
		esc(w, r->classes[i].type);
		ks_buf_adds(w->b, ")\n");
	}
}

static void
when(struct tw *w, const struct ks_report *r)
{
	const char *clock = r->clock_sync < 0 ? _("unknown") :
	    r->clock_sync ? _("synchronised (NTP) when this report was made") :
	    _("not synchronised when this report was made");

	heading(w, _("Date and time"));
	if (r->first_us != INT64_MAX) {
		time_field(w, _("First seen"), r->first_us, r->first_off);
		time_field(w, _("Last seen"), r->last_us, r->last_off);
	}
	field(w, _("Timezone of the logs"), r->timezone ? r->timezone :
	    _("unknown"));
	field(w, _("Clock"), clock);
}

static void
discovery_request(struct tw *w, const struct ks_report *r)
{
	heading(w, _("How it was discovered"));
	item(w);
	esc(w, r->discovery);
	ks_buf_addc(w->b, '\n');
	heading(w, _("Request"));
	for (int i = 0; i < KS_REQ_COUNT; i++)
		if (r->request & (1u << i)) {
			item(w);
			ks_buf_addf(w->b, "%s\n", ks_request_label(i));
		}
}

static void
one_system(struct tw *w, const struct ks_system *s)
{
	item(w);
	ks_buf_adds(w->b, ks_role_label(s->role));
	ks_buf_adds(w->b, ": ");
	esc(w, s->ip != NULL ? s->ip : s->domain);
	if (s->ip != NULL && s->domain != NULL) {
		ks_buf_adds(w->b, " (");
		esc(w, s->domain);
		ks_buf_addc(w->b, ')');
	}
	if (s->port)
		ks_buf_addf(w->b, _(", port %u"), s->port);
	if (s->country != NULL) {
		ks_buf_adds(w->b, _(", country "));
		esc(w, s->country);
	}
	if (s->asn != 0)
		ks_buf_addf(w->b, _(", AS%u"), (unsigned)s->asn);
	if (s->as_org != NULL) {
		ks_buf_addc(w->b, ' ');
		esc(w, s->as_org);
	}
	if (s->network != NULL) {
		ks_buf_adds(w->b, _(", network "));
		esc(w, s->network);
	}
	if (s->own)
		ks_buf_adds(w->b, _(", this site's own"));
	tlp_tag(w, s->tlp);
	ks_buf_addc(w->b, '\n');
}

static void
systems(struct tw *w, const struct ks_report *r, enum ks_tlp share)
{
	heading(w, _("Systems involved"));
	for (int role = KS_ROLE_SOURCE; role <= KS_ROLE_INTERMEDIATE; role++)
		for (size_t i = 0; i < r->nsystems; i++) {
			if (r->systems[i].role != (enum ks_role)role)
				continue;
			if (ks_tlp_shown(r->systems[i].tlp, share))
				one_system(w, &r->systems[i]);
			else
				w->withheld++;
		}
}

static void
findings(struct tw *w, const struct ks_report *r, enum ks_tlp share)
{
	struct ks_fgroup *g;
	size_t n = ks_report_groups(r, share, &g);
	size_t shown = 0;

	if (r->nfindings == 0)
		return;
	heading(w, _("What happened"));
	for (size_t i = 0; i < n; i++) {
		item(w);
		ks_buf_addf(w->b, "[%s] ", ks_severity_label(g[i].fd->rule->severity));
		esc(w, ks_tr(g[i].fd->rule->title));
		ks_buf_adds(w->b, " (");
		esc(w, g[i].fd->rule->id);
		ks_buf_adds(w->b, w->md ? ")  \n     " : ")\n       ");
		esc(w, g[i].fd->host);
		ks_buf_adds(w->b, _(", "));
		ks_time_format(w->b, g[i].first_us, g[i].first_off);
		if (g[i].last_us != g[i].first_us) {
			ks_buf_adds(w->b, " .. ");
			ks_time_format(w->b, g[i].last_us, g[i].last_off);
		}
		ks_buf_adds(w->b, _(", "));
		if (g[i].n > 1) {
			ks_buf_addf(w->b, ngettext("%zu finding", "%zu findings",
			    (unsigned long)g[i].n), g[i].n);
			ks_buf_adds(w->b, _(", "));
		}
		ks_buf_addf(w->b, ngettext("%llu event", "%llu events",
		    (unsigned long)g[i].count), (unsigned long long)g[i].count);
		tlp_tag(w, g[i].tlp);
		ks_buf_addc(w->b, '\n');
		shown += g[i].n;
	}
	w->withheld += r->nfindings - shown;
	free(g);
}

/* The longest run of backticks in the shown excerpts, for the fence. */
static size_t
backtick_run(const struct ks_report *r, enum ks_tlp share)
{
	size_t best = 0;

	for (size_t i = 0; i < r->nexcerpts; i++) {
		size_t run = 0;

		if (!ks_tlp_shown(r->excerpts[i].tlp, share))
			continue;
		for (const char *p = r->excerpts[i].text; *p; p++) {
			run = *p == '`' ? run + 1 : 0;
			best = run > best ? run : best;
		}
	}
	return best;
}

static void
excerpt_line(struct tw *w, const struct ks_excerpt *e)
{
	ks_buf_adds(w->b, w->md ? "" : "   ");
	if (w->md)
		ks_escape_text(w->b, e->path, strlen(e->path));
	else
		esc(w, e->path);
	if (e->line > 0)
		ks_buf_addf(w->b, ":%llu", (unsigned long long)e->line);
	ks_buf_addf(w->b, " [TLP:%s]\n%s", ks_tlp_name(e->tlp),
	    w->md ? "" : "   | ");
	ks_escape_text(w->b, e->text, strlen(e->text));
	ks_buf_addc(w->b, '\n');
}

static void
excerpts(struct tw *w, const struct ks_report *r, enum ks_tlp share)
{
	size_t fence = backtick_run(r, share) + 1;
	size_t shown = 0;

	heading(w, _("Log excerpts"));
	if (w->md) {
		for (size_t i = 0; i < (fence < 3 ? 3 : fence); i++)
			ks_buf_addc(w->b, '`');
		ks_buf_adds(w->b, "text\n");
	}
	for (size_t i = 0; i < r->nexcerpts; i++) {
		if (!ks_tlp_shown(r->excerpts[i].tlp, share)) {
			w->withheld++;
			continue;
		}
		excerpt_line(w, &r->excerpts[i]);
		shown++;
	}
	if (w->md) {
		for (size_t i = 0; i < (fence < 3 ? 3 : fence); i++)
			ks_buf_addc(w->b, '`');
		ks_buf_addc(w->b, '\n');
	}
	if (shown == 0) {
		item(w);
		ks_buf_addf(w->b, "%s\n", _("none"));
	}
}

static void
tail(struct tw *w, const struct ks_report *r, enum ks_tlp share)
{
	if (r->nadvice > 0) {
		heading(w, _("Advice"));
		for (size_t i = 0; i < r->nadvice; i++) {
			item(w);
			esc(w, r->advice[i]);
			ks_buf_addc(w->b, '\n');
		}
	}
	heading(w, _("Evidence integrity"));
	for (size_t i = 0; i < r->ninputs; i++) {
		item(w);
		ks_buf_adds(w->b, "SHA-256 ");
		ks_buf_adds(w->b, r->inputs[i].sha256);
		ks_buf_adds(w->b, "  ");
		esc(w, r->inputs[i].path);
		ks_buf_addc(w->b, '\n');
	}
	if (r->redacted) {
		item(w);
		ks_buf_addf(w->b, "%s\n", _("This site's own addresses, host "
		    "names and account names are masked."));
	}
	if (w->withheld > 0) {
		item(w);
		ks_buf_addf(w->b, ngettext("%zu element withheld: its level "
		    "is stricter than TLP:%s.", "%zu elements withheld: their "
		    "level is stricter than TLP:%s.", (unsigned long)w->withheld),
		    w->withheld, ks_tlp_name(share));
		ks_buf_addc(w->b, '\n');
	}
}

void
ks_report_text(struct ks_buf *b, const struct ks_report *r,
    enum ks_tlp share, bool md)
{
	struct tw w = { .b = b, .md = md };

	ks_buf_init(&w.tmp);
	head(&w, r, share);
	reporter(&w, r, share);
	classification(&w, r);
	when(&w, r);
	discovery_request(&w, r);
	systems(&w, r, share);
	findings(&w, r, share);
	excerpts(&w, r, share);
	tail(&w, r, share);
	ks_buf_free(&w.tmp);
}
