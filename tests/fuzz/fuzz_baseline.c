/*
 * fuzz_baseline.c - libFuzzer target for the host baseline file: any
 * input either fails with a message or loads; what loads is written out
 * and read back to the same accounts and listeners (the escaping must
 * carry every byte of a name through).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ks_baseline *a, *b;
	const struct ks_baseline_account *aa, *ba;
	const struct ks_baseline_listener *al, *bl;
	struct ks_buf out;
	struct ks_err err;
	size_t na, nl;

	if (ks_baseline_parse(&a, (const char *)data, size, &err) < 0) {
		if (err.msg[0] == '\0')
			abort();
		return 0;
	}
	ks_buf_init(&out);
	ks_baseline_write(a, 0, 0, &out);
	if (ks_buf_failed(&out) || ks_baseline_parse(&b, out.p, out.len,
	    &err) < 0)
		abort();
	na = ks_baseline_accounts(a, &aa);
	nl = ks_baseline_listeners(a, &al);
	if (ks_baseline_accounts(b, &ba) != na ||
	    ks_baseline_listeners(b, &bl) != nl ||
	    strcmp(ks_baseline_host(a), ks_baseline_host(b)) != 0)
		abort();
	for (size_t i = 0; i < na; i++)
		if (strcmp(aa[i].name, ba[i].name) != 0 ||
		    strcmp(aa[i].home, ba[i].home) != 0 ||
		    strcmp(aa[i].shell, ba[i].shell) != 0 || aa[i].uid != ba[i].uid)
			abort();
	for (size_t i = 0; i < nl; i++)
		if (strcmp(al[i].program, bl[i].program) != 0 ||
		    al[i].port != bl[i].port || !ks_baseline_listener_known(b,
		    al[i].proto, al[i].port, al[i].program))
			abort();
	ks_buf_free(&out);
	ks_baseline_free(a);
	ks_baseline_free(b);
	return 0;
}
