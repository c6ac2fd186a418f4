/*
 * fuzz_netstat_bsd.c - libFuzzer target for saved socket listings read as
 * BSD and Solaris (address.port).
 */
#include "fuzz_net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_listing(data, size, KS_NF_BSD);
	return 0;
}
