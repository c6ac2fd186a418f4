/*
 * fuzz_fimblob.c - libFuzzer target for the blobs a baseline keeps per
 * file and verify reads back (from a baseline used with --insecure they
 * are anything): security.capability shown in words, and two lists of
 * extended attributes compared.
 */
#include <stdint.h>

#include "integrity/fim_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ks_buf b;
	size_t half = size / 2;

	if (size > 65536)
		return 0;
	ks_buf_init(&b);
	ks_caps_text(&b, data, size < KS_CAPS_MAX ? size : KS_CAPS_MAX);
	ks_xattrs_diff(&b, data, half, data + half, size - half);
	ks_buf_free(&b);
	return 0;
}
