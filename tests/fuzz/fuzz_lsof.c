/*
 * fuzz_lsof.c - libFuzzer target for saved socket listings read as
 * lsof -i.
 */
#include "fuzz_net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_listing(data, size, KS_NF_LSOF);
	return 0;
}
