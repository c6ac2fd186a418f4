/*
 * fuzz_profile.c - libFuzzer target for the reporter profile reader: any
 * bytes must give a profile or be refused with a message.
 */
#include <stdint.h>
#include <stdlib.h>

#include "report/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ks_profile p;
	struct ks_err err;

	err.msg[0] = '\0';
	if (ks_profile_parse(&p, (const char *)data, size, &err) < 0) {
		if (err.msg[0] == '\0' || p.site != NULL)
			abort();
		return 0;
	}
	if (p.site == NULL || p.contact_email == NULL)
		abort();
	ks_profile_free(&p);
	return 0;
}
