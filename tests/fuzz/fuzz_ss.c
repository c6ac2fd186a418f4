/*
 * fuzz_ss.c - libFuzzer target for saved socket listings read as
 * ss (iproute2).
 */
#include "fuzz_net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_listing(data, size, KS_NF_SS);
	return 0;
}
