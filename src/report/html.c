/*
 * html.c - the report as one self-contained HTML file: inline CSS, an
 * inline SVG timeline of the findings, no script at all, readable on
 * screen and on paper (a print style sheet keeps sections whole).
 *
 * A report is opened by people at a CSIRT, and its text comes from
 * attackers' log lines: every such string is first made safe for a
 * terminal (controls and invalid UTF-8 become visible escapes) and then
 * escaped for HTML, in text and attributes alike, and a Content Security
 * Policy forbids scripts and outside resources should anything slip.
 * The sections and what is withheld follow text.c.
 */
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"
#include "util/i18n.h"

#define TL_ROWS 40           /* findings drawn in the timeline */
#define TL_W 860
#define TL_LABEL 230
#define TL_ROW 18

struct hw {
	struct ks_buf *b;
	struct ks_buf tmp;
	size_t withheld;
	int section;
};

static void
esc(struct hw *w, const char *s)
{
	if (s == NULL)
		return;
	ks_buf_reset(&w->tmp);
	ks_escape_text(&w->tmp, s, strlen(s));
	for (size_t i = 0; i < w->tmp.len; i++)
		switch (w->tmp.p[i]) {
		case '&': ks_buf_adds(w->b, "&amp;"); break;
		case '<': ks_buf_adds(w->b, "&lt;"); break;
		case '>': ks_buf_adds(w->b, "&gt;"); break;
		case '"': ks_buf_adds(w->b, "&quot;"); break;
		case '\'': ks_buf_adds(w->b, "&#39;"); break;
		default: ks_buf_addc(w->b, w->tmp.p[i]);
		}
}

static const char style[] =
"body{font-family:\"Noto Sans CJK JP\",\"IPAPGothic\",\"IPAGothic\",sans-serif;"
"max-width:60em;margin:2em auto;padding:0 1em;color:#1a1a1a;"
"line-height:1.5}"
"h1{font-size:1.6em;border-bottom:3px solid #333;padding-bottom:.2em}"
"h2{font-size:1.2em;border-bottom:1px solid #999;margin-top:1.6em}"
"dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}"
"dt{font-weight:bold}dd{margin:0}"
"ul{padding-left:1.4em}"
"pre{background:#f4f4f4;border:1px solid #ddd;padding:.6em;"
"white-space:pre-wrap;word-break:break-all;font-size:.9em}"
".tlp{display:inline-block;font-family:monospace;font-weight:bold;"
"padding:0 .4em;border-radius:3px;background:#000;font-size:.85em}"
".tlp-CLEAR{color:#fff}.tlp-GREEN{color:#33ff00}"
".tlp-AMBER,.tlp-AMBER\\+STRICT{color:#ffc000}.tlp-RED{color:#ff2b2b}"
".sev{font-weight:bold}.sev-critical,.sev-high{color:#b00020}"
".sev-medium{color:#b36b00}.sev-low,.sev-info{color:#555}"
"svg text{font-family:monospace;font-size:11px}"
"@media print{body{margin:0;max-width:none;font-size:10pt}"
"section{break-inside:avoid}pre{border:0;background:none}"
".tlp{border:1px solid #000}}";

static void
tlp_badge(struct hw *w, enum ks_tlp t)
{
	ks_buf_addf(w->b, " <span class=\"tlp tlp-%s\">TLP:%s</span>",
	    ks_tlp_name(t), ks_tlp_name(t));
}

static void
section(struct hw *w, const char *title)
{
	if (w->section > 0)
		ks_buf_adds(w->b, "</section>\n");
	w->section++;
	ks_buf_addf(w->b, "<section>\n<h2>%d. ", w->section);
	esc(w, title);
	ks_buf_adds(w->b, "</h2>\n");
}

static void
dt(struct hw *w, const char *l)
{
	ks_buf_adds(w->b, "<dt>");
	esc(w, l);
	ks_buf_adds(w->b, "</dt><dd>");
}

static void
dd_str(struct hw *w, const char *l, const char *v)
{
	if (v == NULL)
		return;
	dt(w, l);
	esc(w, v);
	ks_buf_adds(w->b, "</dd>\n");
}

static void
dd_time(struct hw *w, const char *l, int64_t us, int32_t off)
{
	dt(w, l);
	ks_time_format(w->b, us, off);
	ks_buf_adds(w->b, "</dd>\n");
}

static void
head(struct hw *w, const struct ks_report *r, enum ks_tlp share)
{
	ks_buf_adds(w->b, "<!DOCTYPE html>\n<html lang=\"");
	esc(w, r->language ? r->language : "en");
	ks_buf_adds(w->b, "\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; style-src 'unsafe-inline'\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width\">\n<title>");
	esc(w, _("Incident report"));
	if (r->site != NULL) {
		ks_buf_adds(w->b, " - ");
		esc(w, r->site);
	}
	ks_buf_addf(w->b, "</title>\n<style>%s</style>\n</head>\n<body>\n"
	    "<header>\n<h1>", style);
	esc(w, _("Incident report"));
	tlp_badge(w, ks_tlp_export(r, share));
	ks_buf_adds(w->b, "</h1>\n<dl>\n");
	dd_str(w, _("Report ID"), r->id);
	dd_time(w, _("Generated"), r->generated_us, r->generated_off);
	dt(w, _("Generator"));
	ks_buf_adds(w->b, "kansatsu ");
	esc(w, r->version);
	ks_buf_adds(w->b, "</dd>\n");
	dd_str(w, _("Host"), r->host);
	if (r->recipient_name != NULL || r->recipient_email != NULL) {
		dt(w, _("To"));
		esc(w, r->recipient_name);
		ks_buf_adds(w->b, " ");
		esc(w, r->recipient_email);
		ks_buf_adds(w->b, "</dd>\n");
	}
	ks_buf_adds(w->b, "</dl>\n</header>\n");
}

static void
dd_list(struct hw *w, const char *l, char *const *v, size_t n)
{
	if (n == 0)
		return;
	dt(w, l);
	for (size_t i = 0; i < n; i++) {
		if (i)
			ks_buf_adds(w->b, ", ");
		esc(w, v[i]);
	}
	ks_buf_adds(w->b, "</dd>\n");
}

static void
reporter(struct hw *w, const struct ks_report *r, enum ks_tlp share)
{
	section(w, _("Reporter"));
	ks_buf_adds(w->b, "<dl>\n");
	dd_str(w, _("Organisation"), r->organisation);
	dd_str(w, _("Site"), r->site);
	if (ks_tlp_shown(r->contact_tlp, share)) {
		dt(w, _("Contact"));
		esc(w, r->contact_name);
		ks_buf_adds(w->b, " ");
		esc(w, r->contact_email);
		ks_buf_adds(w->b, " ");
		esc(w, r->contact_phone);
		tlp_badge(w, r->contact_tlp);
		ks_buf_adds(w->b, "</dd>\n");
	} else
		w->withheld++;
	if (ks_tlp_shown(r->tlp, share)) {
		dd_list(w, _("Own networks"), r->networks, r->nnetworks);
		dd_list(w, _("Own domains"), r->domains, r->ndomains);
	}
	ks_buf_adds(w->b, "</dl>\n");
}

static void
classification_time(struct hw *w, const struct ks_report *r)
{
	section(w, _("Classification"));
	ks_buf_adds(w->b, "<ul>\n");
	for (size_t i = 0; i < r->nclasses; i++) {
		ks_buf_adds(w->b, "<li><strong>");
		esc(w, _(ks_jpcert_msgid(r->classes[i].jpcert)));
		ks_buf_adds(w->b, "</strong> (RSIT: ");
		esc(w, r->classes[i].taxonomy);
		ks_buf_adds(w->b, " / ");
		esc(w, r->classes[i].type);
		ks_buf_adds(w->b, ")</li>\n");
	}
	ks_buf_adds(w->b, "</ul>\n");
	section(w, _("Date and time"));
	ks_buf_adds(w->b, "<dl>\n");
	if (r->first_us != INT64_MAX) {
		dd_time(w, _("First seen"), r->first_us, r->first_off);
		dd_time(w, _("Last seen"), r->last_us, r->last_off);
	}
	dd_str(w, _("Timezone of the logs"), r->timezone ? r->timezone :
	    _("unknown"));
	dd_str(w, _("Clock"), r->clock_sync < 0 ? _("unknown") :
	    r->clock_sync ? _("synchronised (NTP) when this report was made") :
	    _("not synchronised when this report was made"));
	ks_buf_adds(w->b, "</dl>\n");
}

static void
discovery_request(struct hw *w, const struct ks_report *r)
{
	section(w, _("How it was discovered"));
	ks_buf_adds(w->b, "<p>");
	esc(w, r->discovery);
	ks_buf_adds(w->b, "</p>\n");
	section(w, _("Request"));
	ks_buf_adds(w->b, "<ul>\n");
	for (int i = 0; i < KS_REQ_COUNT; i++)
		if (r->request & (1u << i)) {
			ks_buf_adds(w->b, "<li>");
			esc(w, ks_request_label(i));
			ks_buf_adds(w->b, "</li>\n");
		}
	ks_buf_adds(w->b, "</ul>\n");
}

static void
one_system(struct hw *w, const struct ks_system *s)
{
	ks_buf_adds(w->b, "<li><strong>");
	esc(w, ks_role_label(s->role));
	ks_buf_adds(w->b, "</strong>: <code>");
	esc(w, s->ip != NULL ? s->ip : s->domain);
	ks_buf_adds(w->b, "</code>");
	if (s->ip != NULL && s->domain != NULL) {
		ks_buf_adds(w->b, " (");
		esc(w, s->domain);
		ks_buf_adds(w->b, ")");
	}
	if (s->port)
		ks_buf_addf(w->b, _(", port %u"), s->port);
	if (s->country != NULL) {
		esc(w, _(", country "));
		esc(w, s->country);
	}
	if (s->asn != 0)
		ks_buf_addf(w->b, _(", AS%u"), (unsigned)s->asn);
	if (s->as_org != NULL) {
		ks_buf_adds(w->b, " ");
		esc(w, s->as_org);
	}
	if (s->network != NULL) {
		esc(w, _(", network "));
		esc(w, s->network);
	}
	if (s->own)
		esc(w, _(", this site's own"));
	tlp_badge(w, s->tlp);
	ks_buf_adds(w->b, "</li>\n");
}

static void
systems(struct hw *w, const struct ks_report *r, enum ks_tlp share)
{
	section(w, _("Systems involved"));
	ks_buf_adds(w->b, "<ul>\n");
	for (int role = KS_ROLE_SOURCE; role <= KS_ROLE_INTERMEDIATE; role++)
		for (size_t i = 0; i < r->nsystems; i++) {
			if (r->systems[i].role != (enum ks_role)role)
				continue;
			if (ks_tlp_shown(r->systems[i].tlp, share))
				one_system(w, &r->systems[i]);
			else
				w->withheld++;
		}
	ks_buf_adds(w->b, "</ul>\n");
}

/* x of a time on the timeline, between TL_LABEL and TL_W - 10. */
static long
tl_x(int64_t us, int64_t lo, int64_t hi)
{
	double span = (double)(hi - lo);

	return TL_LABEL + (long)((double)(us - lo) / span *
	    (TL_W - TL_LABEL - 10));
}

static void
timeline(struct hw *w, const struct ks_report *r, const struct ks_fgroup *g,
    size_t n)
{
	int64_t lo = r->first_us, hi = r->last_us;
	size_t rows = n < TL_ROWS ? n : TL_ROWS;

	if (lo == INT64_MAX || n == 0)
		return;
	if (hi - lo < 60000000)
		hi = lo + 60000000;
	ks_buf_addf(w->b, "<svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"0 0 %d %zu\" width=\"100%%\" role=\"img\">\n<title>",
	    TL_W, (rows + 2) * TL_ROW + 10);
	esc(w, _("Timeline of the findings"));
	ks_buf_addf(w->b, "</title>\n<line x1=\"%d\" y1=\"%zu\" x2=\"%d\" "
	    "y2=\"%zu\" stroke=\"#333\"/>\n", TL_LABEL, rows * TL_ROW + 6,
	    TL_W - 10, rows * TL_ROW + 6);
	ks_buf_addf(w->b, "<text x=\"%d\" y=\"%zu\">", TL_LABEL,
	    (rows + 1) * TL_ROW + 4);
	ks_time_format(w->b, lo, r->first_off);
	ks_buf_addf(w->b, "</text>\n<text x=\"%d\" y=\"%zu\" "
	    "text-anchor=\"end\">", TL_W - 10, (rows + 2) * TL_ROW + 4);
	ks_time_format(w->b, r->last_us, r->last_off);
	ks_buf_adds(w->b, "</text>\n");
	for (size_t i = 0; i < rows; i++) {
		const struct ks_rule_info *ru = g[i].fd->rule;
		long x1 = tl_x(g[i].first_us, lo, hi);
		long x2 = tl_x(g[i].last_us, lo, hi);

		ks_buf_addf(w->b, "<text x=\"0\" y=\"%zu\">", i * TL_ROW + 13);
		esc(w, ru->id);
		ks_buf_addf(w->b, "</text><rect class=\"sev-%s\" x=\"%ld\" "
		    "y=\"%zu\" width=\"%ld\" height=\"12\" fill=\"currentColor\">"
		    "<title>", ks_severity_rank(ru->severity) >= 0 ?
		    ru->severity : "info", x1, i * TL_ROW + 3,
		    x2 - x1 < 4 ? 4 : x2 - x1);
		esc(w, ks_tr(ru->title));
		ks_buf_adds(w->b, "</title></rect>\n");
	}
	ks_buf_adds(w->b, "</svg>\n");
}

static void
findings(struct hw *w, const struct ks_report *r, enum ks_tlp share)
{
	struct ks_fgroup *g;
	size_t n = ks_report_groups(r, share, &g), shown = 0;

	if (r->nfindings == 0)
		return;
	section(w, _("What happened"));
	timeline(w, r, g, n);
	ks_buf_adds(w->b, "<ul>\n");
	for (size_t i = 0; i < n; i++) {
		const struct ks_rule_info *ru = g[i].fd->rule;

		ks_buf_addf(w->b, "<li><span class=\"sev sev-%s\">",
		    ks_severity_rank(ru->severity) >= 0 ? ru->severity : "info");
		esc(w, ks_severity_label(ru->severity));
		ks_buf_adds(w->b, "</span> ");
		esc(w, ks_tr(ru->title));
		ks_buf_adds(w->b, " (<code>");
		esc(w, ru->id);
		ks_buf_adds(w->b, "</code>), ");
		esc(w, g[i].fd->host);
		ks_buf_adds(w->b, ", ");
		ks_time_format(w->b, g[i].first_us, g[i].first_off);
		if (g[i].last_us != g[i].first_us) {
			ks_buf_adds(w->b, " .. ");
			ks_time_format(w->b, g[i].last_us, g[i].last_off);
		}
		ks_buf_adds(w->b, ", ");
		ks_buf_addf(w->b, ngettext("%llu event", "%llu events",
		    (unsigned long)g[i].count), (unsigned long long)g[i].count);
		tlp_badge(w, g[i].tlp);
		ks_buf_adds(w->b, "</li>\n");
		shown += g[i].n;
	}
	ks_buf_adds(w->b, "</ul>\n");
	w->withheld += r->nfindings - shown;
	free(g);
}

static void
excerpts(struct hw *w, const struct ks_report *r, enum ks_tlp share)
{
	section(w, _("Log excerpts"));
	ks_buf_adds(w->b, "<pre>");
	for (size_t i = 0; i < r->nexcerpts; i++) {
		const struct ks_excerpt *e = &r->excerpts[i];

		if (!ks_tlp_shown(e->tlp, share)) {
			w->withheld++;
			continue;
		}
		esc(w, e->path);
		if (e->line > 0)
			ks_buf_addf(w->b, ":%llu", (unsigned long long)e->line);
		tlp_badge(w, e->tlp);
		ks_buf_addc(w->b, '\n');
		esc(w, e->text);
		ks_buf_adds(w->b, "\n\n");
	}
	ks_buf_adds(w->b, "</pre>\n");
}

static void
tail(struct hw *w, const struct ks_report *r, enum ks_tlp share)
{
	if (r->nadvice > 0) {
		section(w, _("Advice"));
		ks_buf_adds(w->b, "<ul>\n");
		for (size_t i = 0; i < r->nadvice; i++) {
			ks_buf_adds(w->b, "<li>");
			esc(w, r->advice[i]);
			ks_buf_adds(w->b, "</li>\n");
		}
		ks_buf_adds(w->b, "</ul>\n");
	}
	section(w, _("Evidence integrity"));
	ks_buf_adds(w->b, "<ul>\n");
	for (size_t i = 0; i < r->ninputs; i++) {
		ks_buf_adds(w->b, "<li>SHA-256 <code>");
		esc(w, r->inputs[i].sha256);
		ks_buf_adds(w->b, "</code> ");
		esc(w, r->inputs[i].path);
		ks_buf_adds(w->b, "</li>\n");
	}
	ks_buf_adds(w->b, "</ul>\n");
	if (r->redacted) {
		ks_buf_adds(w->b, "<p>");
		esc(w, _("This site's own addresses, host names and account "
		    "names are masked."));
		ks_buf_adds(w->b, "</p>\n");
	}
	if (w->withheld > 0) {
		ks_buf_adds(w->b, "<p>");
		ks_buf_addf(w->b, ngettext("%zu element withheld: its level "
		    "is stricter than TLP:%s.", "%zu elements withheld: their "
		    "level is stricter than TLP:%s.", (unsigned long)w->withheld),
		    w->withheld, ks_tlp_name(share));
		ks_buf_adds(w->b, "</p>\n");
	}
	ks_buf_adds(w->b, "</section>\n</body>\n</html>\n");
}

void
ks_report_html(struct ks_buf *b, const struct ks_report *r,
    enum ks_tlp share)
{
	struct hw w = { .b = b };

	ks_buf_init(&w.tmp);
	head(&w, r, share);
	reporter(&w, r, share);
	classification_time(&w, r);
	discovery_request(&w, r);
	systems(&w, r, share);
	findings(&w, r, share);
	excerpts(&w, r, share);
	tail(&w, r, share);
	ks_buf_free(&w.tmp);
}
