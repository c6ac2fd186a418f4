/*
 * fuzz_netstat.c - libFuzzer target for saved socket listings read as
 * any layout, chosen line by line (the default).
 */
#include "fuzz_net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_listing(data, size, KS_NF_AUTO);
	return 0;
}
