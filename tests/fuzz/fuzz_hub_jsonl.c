/*
 * fuzz_hub_jsonl.c - libFuzzer target for the streamed reader of
 * findings JSONL (ingest_jsonl.c), differential: the same bytes read
 * line by line through jansson with duplicate keys refused (as findings
 * were read before, and as a finding inside a report still is) must give
 * the same report: findings, lines not understood, elements, indicators,
 * classification, events and times.  Any difference aborts.  The one
 * known difference is jansson's, and the reference refuses it too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hub/hub_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
same_str(const char *a, const char *b)
{
	if ((a == NULL) != (b == NULL) || (a != NULL && strcmp(a, b) != 0))
		abort();
}

/* The reference: every line through json_loadb and ks_hub_take_finding. */
static int
by_jansson(struct ks_hub_report *r, const char *data, size_t n,
    const struct ks_hub_profile *p, struct ks_err *err)
{
	const char *s = data, *end = data + n, *nl;
	json_error_t je;
	json_t *j;
	size_t len;

	if (ks_hub_profile_copy(&r->reporter, p) < 0 ||
	    ks_hub_add_contact(r) < 0)
		abort();
	r->tlp = p->tlp;
	for (; s < end; s = nl ? nl + 1 : end) {
		nl = memchr(s, '\n', (size_t)(end - s));
		len = nl ? (size_t)(nl - s) : (size_t)(end - s);
		while (len > 0 && (s[len - 1] == '\r' || s[len - 1] == ' '))
			len--;
		if (len == 0)
			continue;
		/* jansson 2.14 skips a NUL right after a number ({"a":1\0});
		   a NUL is no JSON, and the streamed reader refuses it */
		j = len > KS_HUB_LINE_MAX || memchr(s, '\0', len) != NULL ?
		    NULL : json_loadb(s, len, JSON_REJECT_DUPLICATES, &je);
		if (j == NULL || ks_hub_take_finding(r, j, s, len, r->tlp,
		    err) < 0)
			r->unparsed++;
		json_decref(j);
	}
	if (r->nfindings == 0)
		return -1;
	return ks_hub_report_finish(r, err);
}

static void
compare(const struct ks_hub_report *a, const struct ks_hub_report *b)
{
	if (a->nfindings != b->nfindings || a->unparsed != b->unparsed ||
	    a->bad_values != b->bad_values || a->nevents != b->nevents ||
	    a->severity != b->severity || a->has_times != b->has_times ||
	    a->first_us != b->first_us || a->last_us != b->last_us ||
	    a->reported_off != b->reported_off || a->nel != b->nel ||
	    a->nind != b->nind)
		abort();
	same_str(a->taxonomy, b->taxonomy);
	same_str(a->type, b->type);
	same_str(a->outcome, b->outcome);
	same_str(a->title, b->title);
	for (size_t i = 0; i < a->nel; i++) {
		const struct ks_hub_element *x = &a->el[i], *y = &b->el[i];

		if (x->kind != y->kind || x->tlp != y->tlp ||
		    x->raw_off != y->raw_off || x->raw_len != y->raw_len)
			abort();
		same_str(x->title, y->title);
		same_str(x->body, y->body);
	}
	for (size_t i = 0; i < a->nind; i++) {
		const struct ks_hub_indicator *x = &a->ind[i], *y = &b->ind[i];

		if (x->kind != y->kind || x->role != y->role ||
		    x->tlp != y->tlp || x->keylen != y->keylen ||
		    memcmp(x->key, y->key, x->keylen) != 0)
			abort();
		same_str(x->value, y->value);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ks_hub_profile p = { 0 };
	struct ks_hub_report a, b;
	struct ks_err err;
	char site[] = "fuzz", email[] = "f@fuzz.example";
	const char *text = (const char *)data;
	int ra, rb;

	p.site = site;
	p.contact_email = email;
	p.tlp = KS_TLP_AMBER;
	ks_hub_report_init(&a);
	ks_hub_report_init(&b);
	a.raw = b.raw = text;
	a.rawn = b.rawn = size;
	ra = ks_hub_parse_findings(&a, text, size, &p, &err);
	rb = by_jansson(&b, text, size, &p, &err);
	if (ra != rb)
		abort();
	compare(&a, &b);
	ks_hub_report_free(&a);
	ks_hub_report_free(&b);
	return 0;
}
