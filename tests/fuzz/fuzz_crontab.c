/*
 * fuzz_crontab.c - libFuzzer target for crontab lines: each line of the
 * input parsed in the system format (with a user) and the user format;
 * every slice must lie inside the line, and each command goes through
 * the shell-command classifier as persistence checks run it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/host_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
inside(struct ks_str s, const char *p, size_t n)
{
	if (s.n > 0 && (s.p < p || s.p + s.n > p + n))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size, *nl;
	struct ks_cron_entry e;

	for (; p < end; p = nl + 1) {
		size_t n;

		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		n = (size_t)(nl - p);
		for (int sys = 0; sys < 2; sys++) {
			if (ks_cron_parse(p, n, sys, &e) != KS_CRON_ENTRY)
				continue;
			inside(e.schedule, p, n);
			inside(e.user, p, n);
			inside(e.command, p, n);
			if (e.command.n == 0)
				abort();
			ks_cmd_classify(e.command.p, e.command.n, NULL);
		}
	}
	return 0;
}
