/*
 * fuzz_hub_iodef.c - libFuzzer target for the hub's IODEF v2 reader:
 * any bytes must parse into a report or be refused with a message, and
 * a parsed report's every element and indicator must be whole.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hub/hub.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ks_hub_report r;
	struct ks_err err;

	err.msg[0] = '\0';
	ks_hub_report_init(&r);
	if (ks_hub_parse_iodef(&r, (const char *)data, size, &err) < 0) {
		if (err.msg[0] == '\0')
			abort();
	} else {
		for (size_t i = 0; i < r.nind; i++)
			if (strlen(r.ind[i].value) == 0)
				abort();
	}
	ks_hub_report_free(&r);
	return 0;
}
