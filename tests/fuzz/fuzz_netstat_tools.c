/*
 * fuzz_netstat_tools.c - libFuzzer target for saved socket listings read as
 * net-tools and the old BSD/SunOS form.
 */
#include "fuzz_net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_listing(data, size, KS_NF_NETSTAT);
	return 0;
}
