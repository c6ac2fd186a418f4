/*
 * fuzz_hub_profile.c - libFuzzer target for the reporter profile (YAML):
 * any bytes must give a profile with a site and a contact address, or a
 * message.
 */
#include <stdint.h>
#include <stdlib.h>

#include "hub/hub.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ks_hub_profile p;
	struct ks_err err;

	err.msg[0] = '\0';
	if (ks_hub_profile_parse(&p, (const char *)data, size, &err) < 0) {
		if (err.msg[0] == '\0')
			abort();
		return 0;
	}
	if (p.site == NULL || p.contact_email == NULL)
		abort();
	ks_hub_profile_free(&p);
	return 0;
}
