/*
 * fuzz_dpkg_lists.c - libFuzzer target for dpkg's line-based files: the
 * md5sums files of /var/lib/dpkg/info, the diversions file and a .deb's
 * conffiles list, all fed the same input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "integrity/dpkg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
count(void *ctx, const char *path, size_t n)
{
	(void)path;
	*(size_t *)ctx += n;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size, *path;
	struct ks_dpkg_diversions d;
	unsigned char md5[16];
	uint64_t bad = 0;
	size_t n, total = 0;

	if (size > (1 << 20))
		return 0;
	while (ks_dpkg_md5sums_next(&p, end, md5, &path, &n) >= 0)
		total += n;
	if (ks_dpkg_diversions_parse(&d, (const char *)data, size, NULL) == 0) {
		for (size_t i = 0; i < d.n; i++)
			ks_dpkg_divert(&d, d.v[i].from, "pkg");
		ks_dpkg_diversions_free(&d);
	}
	ks_dpkg_conffiles_parse((const char *)data, size, count, &total, &bad);
	return 0;
}
