/*
 * stats.c - `hub stats`: the monthly report of seed 001 ("1999年5月の
 * コンピュータ不正アクセス被害の届け出が9件あった"): reports received,
 * incidents and coordinations in the period; the reports by category
 * with the JPCERT/CC label and the RSIT class beside it; a paragraph per
 * case grouped as the seed groups them; and the trend of the last twelve
 * months as an inline SVG chart (a table in text).
 *
 * The report is meant to be published, so case summaries carry no
 * address and no site: the title of the most severe finding (a rule's
 * words), the span and the count, and whether there was damage; the
 * reporter's own words only when the whole report is CLEAR.  Text,
 * Markdown and HTML, in Japanese or English (--lang), each escaped for
 * what it is written in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame/frame.h"
#include "hub/hub_int.h"

#define MONTHS 12
#define CASES_MAX 10000

/* The seed's groups: intrusion and stepping stone are one section. */
static const struct {
	const char *ja, *en;
	enum ks_cat cat[2];
	size_t ncat;
} groups[] = {
	{ "スキャン", "Scanning", { KS_CAT_SCAN }, 1 },
	{ "メール不正中継", "Spam relay", { KS_CAT_RELAY }, 1 },
	{ "不正侵入・踏み台", "Intrusion / stepping stone",
	    { KS_CAT_INTRUSION, KS_CAT_STEPPING_STONE }, 2 },
	{ "Web改ざん", "Web defacement", { KS_CAT_DEFACEMENT }, 1 },
	{ "DoS", "Denial of service", { KS_CAT_DOS }, 1 },
	{ "その他", "Other", { KS_CAT_OTHER }, 1 },
};
#define NGROUPS (sizeof(groups) / sizeof(*groups))

static const char *const cat_en[KS_CAT_COUNT] = {
	"Scanning", "Intrusion", "Stepping stone", "Spam relay",
	"Web defacement", "Denial of service", "Other",
};

struct scase {
	enum ks_cat cat;
	char *title;
	enum ks_tlp tlp;
	char *format, *outcome;
	int64_t nevents, first_us, last_us;
};

struct stats {
	struct ks_hub *h;
	const struct ks_hub_stats_opts *o;
	bool ja;
	struct ks_buf *b;
	int64_t reports, incidents, coordinations;
	struct scase *c;
	size_t nc;
	unsigned trend[MONTHS][KS_CAT_COUNT];
	char months[MONTHS][32];
	bool oom;
};

/* ---- output in the three formats ------------------------------------------------ */

static void
put(struct stats *s, const char *text)
{
	struct ks_buf t;

	ks_buf_init(&t);
	ks_escape_text(&t, text, strlen(text));
	for (size_t i = 0; i < t.len; i++) {
		char ch = t.p[i];

		if (s->o->format == KS_STATS_HTML && strchr("&<>\"", ch)) {
			ks_buf_adds(s->b, ch == '&' ? "&amp;" : ch == '<' ?
			    "&lt;" : ch == '>' ? "&gt;" : "&quot;");
		} else if (s->o->format == KS_STATS_MARKDOWN &&
		    strchr("\\`*_[]<>|#&", ch)) {
			ks_buf_addc(s->b, '\\');
			ks_buf_addc(s->b, ch);
		} else {
			ks_buf_addc(s->b, ch);
		}
	}
	ks_buf_free(&t);
}

static void
raw(struct stats *s, const char *text)
{
	ks_buf_adds(s->b, text);
}

static const char *
L(const struct stats *s, const char *ja, const char *en)
{
	return s->ja ? ja : en;
}

static void
heading(struct stats *s, int level, const char *text)
{
	if (s->o->format == KS_STATS_HTML) {
		ks_buf_addf(s->b, "<h%d>", level);
		put(s, text);
		ks_buf_addf(s->b, "</h%d>\n", level);
	} else if (s->o->format == KS_STATS_MARKDOWN) {
		for (int i = 0; i < level; i++)
			raw(s, "#");
		raw(s, " ");
		put(s, text);
		raw(s, "\n\n");
	} else {
		put(s, text);
		raw(s, "\n");
	}
}

static void
date(struct stats *s, int64_t us)
{
	struct ks_buf t;

	ks_buf_init(&t);
	ks_time_format(&t, us, s->o->utc_off);
	ks_buf_addc(&t, '\0');
	if (!t.failed) {
		t.p[10] = '\0';
		put(s, t.p);
	}
	ks_buf_free(&t);
}

/* ---- reading the period ------------------------------------------------------------ */

static int
count(struct stats *s, const char *sql, int64_t *out, struct ks_err *err)
{
	struct ks_stmt *st;
	int rc;

	if (ks_store_prepare(s->h->s, sql, &st, err) < 0)
		return -1;
	ks_stmt_bind_int(st, 1, s->o->from_us);
	ks_stmt_bind_int(st, 2, s->o->to_us);
	if ((rc = ks_stmt_step(st, err)) > 0)
		*out = ks_stmt_int(st, 0);
	ks_stmt_free(st);
	return rc < 0 ? -1 : 0;
}

static int
load_cases(struct stats *s, struct ks_err *err)
{
	struct ks_stmt *st;
	int rc;
	bool ok = true;

	if (ks_store_prepare(s->h->s, "SELECT category, title, tlp, format,"
	    " outcome, nevents, COALESCE(first_us, reported_us),"
	    " COALESCE(last_us, reported_us) FROM reports"
	    " WHERE reported_us >= ? AND reported_us < ?"
	    " ORDER BY reported_us, id LIMIT ?", &st, err) < 0)
		return -1;
	ks_stmt_bind_int(st, 1, s->o->from_us);
	ks_stmt_bind_int(st, 2, s->o->to_us);
	ks_stmt_bind_int(st, 3, CASES_MAX);
	while ((rc = ks_stmt_step(st, err)) > 0) {
		struct scase *v = reallocarray(s->c, s->nc + 1, sizeof(*v)), *c;

		if (v == NULL) {
			ok = false;
			break;
		}
		s->c = v;
		c = &v[s->nc++];
		c->cat = (enum ks_cat)(ks_stmt_int(st, 0) % KS_CAT_COUNT);
		c->title = ks_hub_strdup(ks_stmt_text(st, 1), &ok);
		c->tlp = (enum ks_tlp)(ks_stmt_int(st, 2) % KS_TLP_COUNT);
		c->format = ks_hub_strdup(ks_stmt_text(st, 3), &ok);
		c->outcome = ks_hub_strdup(ks_stmt_text(st, 4), &ok);
		c->nevents = ks_stmt_int(st, 5);
		c->first_us = ks_stmt_int(st, 6);
		c->last_us = ks_stmt_int(st, 7);
	}
	ks_stmt_free(st);
	if (!ok)
		return ks_err_set(err, "out of memory");
	return rc < 0 ? -1 : 0;
}

/* The first second (UTC) of month m (0-based, may be negative) of year y. */
static int64_t
month_start(int64_t y, int m, int32_t off)
{
	while (m < 0) {
		m += 12;
		y--;
	}
	while (m >= 12) {
		m -= 12;
		y++;
	}
	return (ks_days_from_civil(y, (unsigned)m + 1, 1) * 86400 - off) *
	    1000000;
}

static int
load_trend(struct stats *s, struct ks_err *err)
{
	int64_t local = s->o->from_us / 1000000 + s->o->utc_off, y, start[MONTHS + 1];
	unsigned m, d;
	struct ks_stmt *st;
	int rc;

	ks_civil_from_days(local / 86400 - (local % 86400 < 0), &y, &m, &d);
	for (int i = 0; i <= MONTHS; i++) {
		start[i] = month_start(y, (int)m - MONTHS + i, s->o->utc_off);
		if (i < MONTHS) {
			int64_t yy = y;
			int mm = (int)m - MONTHS + i;

			while (mm < 0) {
				mm += 12;
				yy--;
			}
			snprintf(s->months[i], sizeof(s->months[i]),
			    "%04lld-%02d", (long long)yy, mm + 1);
		}
	}
	if (ks_store_prepare(s->h->s, "SELECT reported_us, category FROM reports"
	    " WHERE reported_us >= ? AND reported_us < ?", &st, err) < 0)
		return -1;
	ks_stmt_bind_int(st, 1, start[0]);
	ks_stmt_bind_int(st, 2, start[MONTHS]);
	while ((rc = ks_stmt_step(st, err)) > 0) {
		int64_t t = ks_stmt_int(st, 0);

		for (int i = 0; i < MONTHS; i++)
			if (t >= start[i] && t < start[i + 1])
				s->trend[i][ks_stmt_int(st, 1) % KS_CAT_COUNT]++;
	}
	ks_stmt_free(st);
	return rc < 0 ? -1 : 0;
}

/* ---- writing ------------------------------------------------------------------------ */

static void
head(struct stats *s)
{
	char buf[160];

	if (s->o->format == KS_STATS_HTML)
		raw(s, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
		    "<title>kansatsu hub stats</title></head><body>\n");
	heading(s, 1, L(s, "不正アクセス届け出状況", "Incident reports"));
	if (s->o->format == KS_STATS_HTML)
		raw(s, "<p>");
	put(s, L(s, "期間: ", "Period: "));
	date(s, s->o->from_us);
	put(s, " .. ");
	date(s, s->o->to_us - 1);
	raw(s, s->o->format == KS_STATS_HTML ? "<br>\n" :
	    s->o->format == KS_STATS_MARKDOWN ? "  \n" : "\n");
	snprintf(buf, sizeof(buf), s->ja ? "届け出: %lld 件、インシデント: "
	    "%lld 件、連絡: %lld 件" : "Reports received: %lld, incidents: "
	    "%lld, coordinations: %lld", (long long)s->reports,
	    (long long)s->incidents, (long long)s->coordinations);
	put(s, buf);
	raw(s, s->o->format == KS_STATS_HTML ? "</p>\n" : "\n\n");
}

static unsigned
cat_count(const struct stats *s, enum ks_cat c)
{
	unsigned n = 0;

	for (size_t i = 0; i < s->nc; i++)
		n += s->c[i].cat == c;
	return n;
}

static void
row(struct stats *s, const char *const *cells, size_t n, bool header)
{
	if (s->o->format == KS_STATS_HTML) {
		raw(s, "<tr>");
		for (size_t i = 0; i < n; i++) {
			raw(s, header ? "<th>" : "<td>");
			put(s, cells[i]);
			raw(s, header ? "</th>" : "</td>");
		}
		raw(s, "</tr>\n");
	} else if (s->o->format == KS_STATS_MARKDOWN) {
		for (size_t i = 0; i < n; i++) {
			raw(s, "| ");
			put(s, cells[i]);
			raw(s, " ");
		}
		raw(s, "|\n");
		if (header) {
			for (size_t i = 0; i < n; i++)
				raw(s, "|---");
			raw(s, "|\n");
		}
	} else {
		for (size_t i = 0; i < n; i++) {
			raw(s, i == 0 ? "  " : "  ");
			put(s, cells[i]);
		}
		raw(s, "\n");
	}
}

static void
table_open(struct stats *s)
{
	if (s->o->format == KS_STATS_HTML)
		raw(s, "<table border=\"1\">\n");
}

static void
table_close(struct stats *s)
{
	raw(s, s->o->format == KS_STATS_HTML ? "</table>\n" : "\n");
}

static void
categories(struct stats *s)
{
	const char *hdr[] = { "JPCERT", L(s, "英語名", "Category"), "RSIT",
	    L(s, "件数", "Reports") };
	char n[24];

	heading(s, 2, L(s, "分類別の件数", "Reports by category"));
	table_open(s);
	row(s, hdr, 4, true);
	for (int c = 0; c < KS_CAT_COUNT; c++) {
		const char *cells[] = { ks_cat_jpcert(c), cat_en[c],
		    ks_cat_rsit(c), n };

		snprintf(n, sizeof(n), "%u", cat_count(s, (enum ks_cat)c));
		row(s, cells, 4, false);
	}
	table_close(s);
}

/* One case: "title (N events, 1999-05-03 .. 1999-05-18); damage". */
static void
case_text(struct stats *s, const struct scase *c)
{
	char buf[64];
	bool words = strcmp(c->format, "iodef") != 0 &&
	    strcmp(c->format, "xarf") != 0;

	if (c->title[0] != '\0' && (words || c->tlp == KS_TLP_CLEAR))
		put(s, c->title);
	else
		put(s, L(s, ks_cat_jpcert(c->cat), cat_en[c->cat]));
	snprintf(buf, sizeof(buf), s->ja ? " (%lld 件、" : " (%lld events, ",
	    (long long)c->nevents);
	put(s, buf);
	date(s, c->first_us);
	put(s, " .. ");
	date(s, c->last_us);
	put(s, s->ja ? ")。" : ").");
	if (strcmp(c->outcome, "success") == 0 ||
	    strcmp(c->outcome, "likely-success") == 0)
		put(s, L(s, "実際の被害があった模様。", " There was damage."));
	else if (strcmp(c->outcome, "attempt") == 0)
		put(s, L(s, "実際の被害には遭っていない。",
		    " No actual damage."));
}

static void
group(struct stats *s, size_t g)
{
	char buf[160];
	unsigned n = 0, k = 0;

	for (size_t i = 0; i < groups[g].ncat; i++)
		n += cat_count(s, groups[g].cat[i]);
	if (n == 0)
		return;
	snprintf(buf, sizeof(buf), s->ja ? "(%zu) %s: %u 件" : "(%zu) %s: %u",
	    g + 1, s->ja ? groups[g].ja : groups[g].en, n);
	heading(s, 3, buf);
	if (s->o->format == KS_STATS_HTML)
		raw(s, "<ul>\n");
	for (size_t i = 0; i < s->nc; i++) {
		bool in = false;

		for (size_t c = 0; c < groups[g].ncat; c++)
			in |= s->c[i].cat == groups[g].cat[c];
		if (!in)
			continue;
		raw(s, s->o->format == KS_STATS_HTML ? "<li>" :
		    s->o->format == KS_STATS_MARKDOWN ? "- " : "  ");
		snprintf(buf, sizeof(buf), s->ja ? "ケース%u: " : "Case %u: ",
		    ++k);
		put(s, buf);
		case_text(s, &s->c[i]);
		raw(s, s->o->format == KS_STATS_HTML ? "</li>\n" : "\n");
	}
	raw(s, s->o->format == KS_STATS_HTML ? "</ul>\n" : "\n");
}

static void
trend(struct stats *s)
{
	const char *cols[MONTHS], *series[KS_CAT_COUNT];
	unsigned counts[MONTHS * KS_CAT_COUNT];
	const char *title = L(s, "月別の届け出件数 (過去12か月)",
	    "Reports by month, last twelve months");

	for (int i = 0; i < MONTHS; i++) {
		cols[i] = s->months[i];
		for (int c = 0; c < KS_CAT_COUNT; c++)
			counts[i * KS_CAT_COUNT + c] = s->trend[i][c];
	}
	for (int c = 0; c < KS_CAT_COUNT; c++)
		series[c] = L(s, ks_cat_jpcert(c), cat_en[c]);
	if (s->o->format != KS_STATS_TEXT) {
		struct ks_chart ch = { title, MONTHS, KS_CAT_COUNT, cols,
		    series, counts };

		heading(s, 2, title);
		ks_chart_svg(s->b, &ch);
		raw(s, "\n");
		return;
	}
	heading(s, 2, title);
	for (int i = 0; i < MONTHS; i++) {
		unsigned total = 0;

		ks_buf_addf(s->b, "  %s ", s->months[i]);
		for (int c = 0; c < KS_CAT_COUNT; c++)
			total += s->trend[i][c];
		ks_buf_addf(s->b, "%4u ", total);
		for (int c = 0; c < KS_CAT_COUNT; c++)
			if (s->trend[i][c] > 0) {
				put(s, series[c]);
				ks_buf_addf(s->b, " %u ", s->trend[i][c]);
			}
		raw(s, "\n");
	}
}

int
ks_hub_stats(struct ks_hub *h, const struct ks_hub_stats_opts *o,
    struct ks_buf *out, struct ks_err *err)
{
	struct stats s = { .h = h, .o = o, .b = out };
	int rc = -1;

	s.ja = o->lang != NULL && strcmp(o->lang, "ja") == 0;
	if (count(&s, "SELECT COUNT(*) FROM reports WHERE reported_us >= ?"
	    " AND reported_us < ?", &s.reports, err) < 0 ||
	    count(&s, "SELECT COUNT(*) FROM incidents WHERE created_us >= ?"
	    " AND created_us < ?", &s.incidents, err) < 0 ||
	    count(&s, "SELECT COUNT(*) FROM coordinations WHERE at_us >= ?"
	    " AND at_us < ?", &s.coordinations, err) < 0 ||
	    load_cases(&s, err) < 0 || load_trend(&s, err) < 0)
		goto out;
	head(&s);
	categories(&s);
	heading(&s, 2, L(&s, "概要", "Cases"));
	for (size_t g = 0; g < NGROUPS; g++)
		group(&s, g);
	trend(&s);
	if (o->format == KS_STATS_HTML)
		raw(&s, "</body></html>\n");
	rc = ks_buf_failed(out) ? ks_err_set(err, "out of memory") : 0;
out:
	for (size_t i = 0; i < s.nc; i++) {
		free(s.c[i].title);
		free(s.c[i].format);
		free(s.c[i].outcome);
	}
	free(s.c);
	return rc;
}
