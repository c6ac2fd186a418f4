/*
 * fuzz_timeparse.c - libFuzzer target for the time parsers a person or a
 * log feeds: --since/--until values, ISO 8601 stamps, <PRI>, BSD stamps,
 * and the RFC 3339 formatter on whatever they produce.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frame/frame_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ks_bsd_stamp bsd;
	struct ks_iso iso;
	struct ks_tz tz;
	struct ks_buf b;
	int64_t us;
	int32_t off;
	int fac, sev;
	char *s;

	if (size > 4096 || (s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (ks_tz_init(&tz, "+09:00", NULL) < 0)
		abort();
	ks_buf_init(&b);
	if (ks_time_parse_user(s, &tz, 1700000000LL * 1000000, &us, NULL) == 0)
		ks_time_format(&b, us, 0);
	if (ks_iso_parse(s, size, false, &iso) > 0) {
		ks_iso_resolve(&iso, &tz, &us, &off);
		ks_time_format(&b, us, off);
	}
	ks_pri_parse(s, size, &fac, &sev);
	ks_bsd_stamp_parse(s, size, &bsd);
	ks_buf_free(&b);
	free(s);
	return 0;
}
