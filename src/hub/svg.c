/*
 * svg.c - a stacked bar chart as inline SVG, for the monthly report's
 * trend of reports by category over the last year (seed 004's "不正アク
 * セス報告件数の推移").  Inline SVG needs no image file and no plotting
 * library, and shows in any browser and in Markdown viewers that allow
 * HTML.  Labels are escaped as XML text.
 */
#include <string.h>

#include "hub/hub_int.h"

#define W 720
#define H 300
#define LEFT 40
#define TOP 30
#define PLOT_H 180
#define LEGEND_Y 255

/* Colour-blind safe (Okabe-Ito), one per series, repeating. */
static const char *const colours[] = { "#0072B2", "#D55E00", "#E69F00",
    "#009E73", "#CC79A7", "#56B4E9", "#999999", "#F0E442" };

static void
xml_text(struct ks_buf *b, const char *s)
{
	struct ks_buf t;

	ks_buf_init(&t);
	ks_escape_text(&t, s, strlen(s));
	for (size_t i = 0; i < t.len; i++) {
		switch (t.p[i]) {
		case '&': ks_buf_adds(b, "&amp;"); break;
		case '<': ks_buf_adds(b, "&lt;"); break;
		case '>': ks_buf_adds(b, "&gt;"); break;
		case '"': ks_buf_adds(b, "&quot;"); break;
		default: ks_buf_addc(b, t.p[i]); break;
		}
	}
	ks_buf_free(&t);
}

static unsigned
column_total(const struct ks_chart *c, size_t col)
{
	unsigned t = 0;

	for (size_t s = 0; s < c->nseries; s++)
		t += c->counts[col * c->nseries + s];
	return t;
}

static void
bars(struct ks_buf *b, const struct ks_chart *c, unsigned max, unsigned step)
{
	for (size_t col = 0; col < c->ncols; col++) {
		unsigned x = LEFT + (unsigned)col * step + step / 6, y =
		    TOP + PLOT_H, total = column_total(c, col);

		for (size_t s = 0; s < c->nseries; s++) {
			unsigned v = c->counts[col * c->nseries + s];
			unsigned h = v * PLOT_H / max;

			if (v == 0)
				continue;
			y -= h;
			ks_buf_addf(b, "<rect x=\"%u\" y=\"%u\" width=\"%u\" "
			    "height=\"%u\" fill=\"%s\"><title>", x, y,
			    step * 2 / 3, h, colours[s % 8]);
			xml_text(b, c->cols[col]);
			ks_buf_adds(b, " ");
			xml_text(b, c->series[s]);
			ks_buf_addf(b, ": %u</title></rect>\n", v);
		}
		if (total > 0)
			ks_buf_addf(b, "<text x=\"%u\" y=\"%u\" font-size=\"10\" "
			    "text-anchor=\"middle\">%u</text>\n",
			    x + step / 3, y - 3, total);
		ks_buf_addf(b, "<text x=\"%u\" y=\"%u\" font-size=\"10\" "
		    "text-anchor=\"middle\">", x + step / 3, TOP + PLOT_H + 14);
		xml_text(b, c->cols[col]);
		ks_buf_adds(b, "</text>\n");
	}
}

static void
legend(struct ks_buf *b, const struct ks_chart *c)
{
	unsigned per = c->nseries > 0 ? (W - LEFT) / (unsigned)c->nseries :
	    W;

	for (size_t s = 0; s < c->nseries; s++) {
		unsigned x = LEFT + (unsigned)s * per;

		ks_buf_addf(b, "<rect x=\"%u\" y=\"%u\" width=\"10\" "
		    "height=\"10\" fill=\"%s\"/><text x=\"%u\" y=\"%u\" "
		    "font-size=\"11\">", x, LEGEND_Y, colours[s % 8], x + 14,
		    LEGEND_Y + 9);
		xml_text(b, c->series[s]);
		ks_buf_adds(b, "</text>\n");
	}
}

void
ks_chart_svg(struct ks_buf *b, const struct ks_chart *c)
{
	unsigned max = 1, step;

	for (size_t col = 0; col < c->ncols; col++)
		if (column_total(c, col) > max)
			max = column_total(c, col);
	step = c->ncols > 0 ? (W - LEFT - 10) / (unsigned)c->ncols : W;
	ks_buf_addf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"%u\" height=\"%u\" viewBox=\"0 0 %u %u\" role=\"img\" "
	    "font-family=\"sans-serif\">\n<title>", W, H, W, H);
	xml_text(b, c->title);
	ks_buf_addf(b, "</title>\n<text x=\"%u\" y=\"18\" font-size=\"13\">",
	    LEFT);
	xml_text(b, c->title);
	ks_buf_addf(b, "</text>\n<line x1=\"%u\" y1=\"%u\" x2=\"%u\" y2=\"%u\" "
	    "stroke=\"#333\"/>\n<text x=\"%u\" y=\"%u\" font-size=\"10\" "
	    "text-anchor=\"end\">%u</text>\n", LEFT, TOP + PLOT_H, W - 10,
	    TOP + PLOT_H, LEFT - 4, TOP + 8, max);
	bars(b, c, max, step);
	legend(b, c);
	ks_buf_adds(b, "</svg>\n");
}
