/*
 * fuzz_findings.c - libFuzzer target for the findings reader and
 * everything after it: any bytes, read as JSON Lines, must give findings
 * or counted bad lines, and the report built from them must write in
 * every format, redacted or not, without fault.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char profile[] =
    "site: ash\ncontact: {email: s@ash.or.jp, tlp: CLEAR}\n"
    "networks: [192.0.2.0/24, 2001:db8::/32]\ndomains: [ash.or.jp]\n"
    "disclosure: {source: GREEN, excerpt: RED}\n";

static void
write_all(struct ks_report *r)
{
	struct ks_buf b;
	struct ks_err err;

	for (int f = KS_RF_TEXT; f <= KS_RF_JSON; f++)
		for (int share = KS_TLP_CLEAR; share <= KS_TLP_RED; share += 2) {
			ks_buf_init(&b);
			ks_report_write(&b, r, (enum ks_report_format)f,
			    (enum ks_tlp)share, &err);
			ks_buf_free(&b);
		}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	struct ks_findset set;
	struct ks_profile prof;
	struct ks_report r;
	struct ks_report_opts o = { .now_us = 0, .version = "f", .host = "h",
	    .clock_sync = -1 };
	struct ks_err err;
	uint64_t no = 0;

	if (ks_findset_init(&set, &err) < 0 ||
	    ks_profile_parse(&prof, profile, sizeof(profile) - 1, &err) < 0)
		abort();
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (ks_findset_line(&set, p, n, "fuzz", ++no, &err) < 0)
			abort();
		p += n + 1;
	}
	ks_findings_sort(&set.list);
	o.redact = size > 0 && (data[0] & 1);
	if (ks_report_build(&r, &set.list, &prof, &o, &err) < 0)
		abort();
	write_all(&r);
	ks_report_free(&r);
	ks_profile_free(&prof);
	ks_findset_free(&set);
	return 0;
}
