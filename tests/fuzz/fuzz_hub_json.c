/*
 * fuzz_hub_json.c - libFuzzer target for the hub's JSON readers: the
 * same bytes as a kansatsu report, as an XARF v3 report, and as findings
 * JSONL of a site (nested and flat keys).  Each must parse or be
 * refused with a message; a parsed report names its site.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hub/hub.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(int rc, const struct ks_hub_report *r, const struct ks_err *err)
{
	if (rc < 0 && err->msg[0] == '\0')
		abort();
	if (rc == 0 && (r->reporter.site == NULL || r->reporter.site[0] == '\0'))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ks_hub_profile p = { 0 };
	struct ks_hub_report r;
	struct ks_err err;
	char site[] = "fuzz", email[] = "f@fuzz.example";

	p.site = site;
	p.contact_email = email;
	err.msg[0] = '\0';
	ks_hub_report_init(&r);
	check(ks_hub_parse_report_json(&r, (const char *)data, size, &err), &r,
	    &err);
	ks_hub_report_free(&r);
	err.msg[0] = '\0';
	ks_hub_report_init(&r);
	check(ks_hub_parse_xarf(&r, (const char *)data, size, &err), &r, &err);
	ks_hub_report_free(&r);
	err.msg[0] = '\0';
	ks_hub_report_init(&r);
	check(ks_hub_parse_findings(&r, (const char *)data, size, &p, &err),
	    &r, &err);
	ks_hub_report_free(&r);
	return 0;
}
