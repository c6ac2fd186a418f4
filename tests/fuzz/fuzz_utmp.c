/*
 * fuzz_utmp.c - libFuzzer target for the login record decoders: the
 * input as a utmp/wtmp file (whole 384-byte records, as many as fit) and
 * as lastlog entries, each decoded, its host judged local or remote and
 * its RUN_LVL judged a shutdown or not; the decoded strings must be
 * terminated within their fields.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/host_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ks_utmp u;
	struct ks_lastlog l;

	for (size_t off = 0; off + KS_UTMP_SIZE <= size; off += KS_UTMP_SIZE) {
		ks_utmp_parse(data + off, &u);
		if (strlen(u.line) > 32 || strlen(u.user) > 32 ||
		    strlen(u.host) > 256 || strlen(u.id) > 4)
			abort();
		ks_host_is_remote(u.host);
		ks_host_is_remote(u.addr);
		ks_utmp_is_shutdown(&u);
	}
	for (size_t off = 0; off + KS_LASTLOG_SIZE <= size;
	    off += KS_LASTLOG_SIZE) {
		ks_lastlog_parse(data + off, &l);
		if (strlen(l.line) > 32 || strlen(l.host) > 256)
			abort();
	}
	return 0;
}
