/*
 * fuzz_dpkg_status.c - libFuzzer target for the parser of dpkg's status
 * file (and of a .deb's control file, which is one stanza of it): it is
 * read from the disk of a host that may be compromised.
 */
#include <stdint.h>

#include "integrity/dpkg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ks_dpkg_status s;

	if (size > (1 << 20) ||
	    ks_dpkg_status_parse(&s, (const char *)data, size, NULL) < 0)
		return 0;
	for (size_t i = 0; i < s.n; i++)
		ks_dpkg_find(&s, s.v[i].name, s.v[i].arch);
	ks_dpkg_status_free(&s);
	return 0;
}
