/*
 * fuzz_sigma.c - libFuzzer target for the Sigma rule loader and the
 * condition parser: any bytes must load or be refused with a message,
 * and a loaded rule must evaluate against an event without fault.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detect/detect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ks_rule *r;
	struct ks_err err;
	struct ks_event ev;
	struct ks_fields f;
	static const char msg[] = "Failed password for root from 192.0.2.1";

	err.msg[0] = '\0';
	if (ks_rule_parse(&r, "fuzz.yml", (const char *)data, size, &err) < 0) {
		if (err.msg[0] == '\0')
			abort();
		return 0;
	}
	memset(&ev, 0, sizeof(ev));
	ev.message = ks_str_make(msg, sizeof(msg) - 1);
	ev.program = ks_str_make("sshd", 4);
	ev.pid = 1;
	ev.path = "fuzz";
	ks_fields_reset(&f);
	ks_fields_sets(&f, KS_F_SOURCE_IP, "192.0.2.1");
	ks_fields_sets(&f, KS_F_USER_NAME, "root");
	ks_rule_match(r, &ev, &f);
	ks_rule_free(r);
	return 0;
}
