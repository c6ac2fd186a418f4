/*
 * selftest.c - a rule's own samples, run: the lines it must fire on and
 * the lines it must not.  Every bundled rule carries them, and the test
 * suite runs them all, so that a rule that stopped matching (a decoder
 * changed a field, a typo in a value) fails loudly instead of going
 * quiet in production.
 *
 * Samples are framed and decoded exactly as `kansatsu logs` does (zone
 * UTC, year 2000 for RFC 3164 stamps).  A detection rule is asked
 * directly, line by line; a correlation gets a fresh engine over the
 * whole rule set, fed the sample block, and must (not) produce a finding
 * of its own (a quiet one, which makes none: must (not) hold).
 */
#include <string.h>

#include "detect/ruleset_int.h"
#include "frame/frame.h"

struct sample_ctx {
	struct ks_tz tz;
	struct ks_framer fr;
};

/* Frames one sample line; a line without a header is a bare message. */
static void
frame_sample(struct sample_ctx *sc, const char *p, size_t n,
    struct ks_event *ev)
{
	if (!ks_frame_line(&sc->fr, p, n, ev)) {
		memset(ev, 0, sizeof(*ev));
		ev->message = ev->raw = ks_str_make(p, n);
		ev->pid = -1;
		ev->facility = ev->severity = -1;
	}
	ev->path = "sample";
	ev->line = 1;
	ev->orig_len = n;
	if (ev->host.n == 0)
		ev->host = ks_str_make("sample", 6);
}

static bool
line_matches(struct sample_ctx *sc, const struct ks_rule *r, const char *s)
{
	struct ks_event ev;
	struct ks_fields f;

	frame_sample(sc, s, strlen(s), &ev);
	ks_decode(&ev, &f);
	return ks_rule_match(r, &ev, &f);
}

/* Feeds a block of lines to a fresh engine: did corr fire?  -1: OOM. */
static int
block_fires(struct sample_ctx *sc, const struct ks_ruleset *rs,
    size_t corr, const char *block, struct ks_err *err)
{
	const struct ks_finding *const *fs;
	struct ks_engine *e;
	struct ks_event ev;
	struct ks_fields f;
	const struct ks_corr *c = rs->corrs[corr];
	const char *p = block, *nl;
	size_t n;
	int fired = 0;

	if (ks_engine_new(&e, rs, err) < 0)
		return -1;
	while (*p != '\0') {
		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		if (n > 0) {
			frame_sample(sc, p, n, &ev);
			ks_decode(&ev, &f);
			if (ks_engine_event(e, &ev, &f, err) < 0) {
				ks_engine_free(e);
				return -1;
			}
		}
		p += n + (nl != NULL);
	}
	n = ks_engine_findings(e, &fs);
	for (size_t i = 0; i < n; i++)
		fired |= fs[i]->rule == &c->info;
	/* a quiet correlation makes no finding: that it held is enough */
	if (c->quiet)
		fired = ks_engine_fired(e, corr) > 0;
	ks_engine_free(e);
	return fired;
}

static void
failure(struct ks_buf *report, const struct ks_rule_info *in,
    const char *what, const char *sample)
{
	ks_buf_adds(report, in->id);
	ks_buf_adds(report, ": ");
	ks_buf_adds(report, what);
	if (sample != NULL) {
		ks_buf_adds(report, ": ");
		ks_escape_text(report, sample, strlen(sample));
	}
	ks_buf_addc(report, '\n');
}

int
ks_ruleset_selftest(const struct ks_ruleset *rs, size_t i,
    struct ks_buf *report, struct ks_err *err)
{
	const struct ks_rule_info *in = ks_ruleset_info(rs, i);
	const struct ks_corr *c = i >= rs->nrules ? rs->corrs[i - rs->nrules] :
	    NULL;
	struct sample_ctx sc;
	int fails = 0, r;

	if (in == NULL)
		return ks_err_set(err, "no rule %zu", i);
	if (ks_tz_init(&sc.tz, "UTC", err) < 0)
		return -1;
	if (in->nmatch == 0) {
		failure(report, in, "no samples that must match", NULL);
		fails++;
	}
	for (size_t k = 0; k < in->nmatch + in->nnomatch; k++) {
		bool want = k < in->nmatch;
		const char *s = want ? in->match[k] : in->nomatch[k - in->nmatch];

		ks_framer_init(&sc.fr, &sc.tz, 2000, true);
		if (c == NULL)
			r = line_matches(&sc, rs->rules[i], s);
		else if ((r = block_fires(&sc, rs, i - rs->nrules, s, err)) < 0)
			return -1;
		if (r != want) {
			failure(report, in, want ? "did not fire on" :
			    "fired on", s);
			fails++;
		}
	}
	return fails;
}
