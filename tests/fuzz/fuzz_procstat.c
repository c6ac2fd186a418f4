/*
 * fuzz_procstat.c - libFuzzer target for the /proc parsers: the input
 * as /proc/PID/stat (a command name between the first '(' and the last
 * ')', then numbers) and as /proc/PID/status; the terminal number found
 * is named as the process view names it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/host_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ks_proc pr;
	char tty[32];

	memset(&pr, 0, sizeof(pr));
	if (ks_proc_parse_stat((const char *)data, size, &pr) == 0) {
		if (pr.pid <= 0 || strlen(pr.comm) >= sizeof(pr.comm))
			abort();
		ks_tty_name(pr.tty_nr, tty, sizeof(tty));
	}
	memset(&pr, 0, sizeof(pr));
	ks_proc_parse_status((const char *)data, size, &pr);
	return 0;
}
