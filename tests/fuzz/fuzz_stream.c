/*
 * fuzz_stream.c - libFuzzer target for ks_stream.
 *
 * The input is a file's whole content: it is put in a memfd and read to
 * the end through ks_stream_* with a small buffer, so that detection,
 * every codec's member boundaries, truncation and garbage handling are
 * reached.  Besides the sanitizers, it checks what the stream promises:
 * plain data comes back unchanged, the raw position never runs past the
 * input, and a failure always carries a message.
 *
 * A few bytes of zstd can stand for gigabytes, so decompressed output is
 * read only up to a cap; the stream is then closed in the middle, which
 * is a case worth running too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "input/input.h"

/* Decompressed bytes read at most per input. */
#define OUT_CAP		(8u << 20)
/* The first bytes are read in this odd small size, the rest in BIG. */
#define SMALL		61
#define SMALL_UNTIL	(256u << 10)
#define BIG		(64u << 10)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
memfd_with(const uint8_t *data, size_t size)
{
	size_t off = 0;
	ssize_t r;
	int fd;

	fd = memfd_create("fuzz_stream", MFD_CLOEXEC);
	if (fd == -1)
		return -1;
	while (off < size) {
		r = write(fd, data + off, size - off);
		if (r <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)r;
	}
	if (lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char buf[BIG];
	struct ks_stream *s;
	struct ks_err err;
	size_t total = 0;
	ssize_t r = 1;
	bool plain;
	int fd;

	fd = memfd_with(data, size);
	if (fd == -1)
		return 0;
	err.msg[0] = '\0';
	if (ks_stream_open_fd(&s, fd, &err) == -1) {
		if (err.msg[0] == '\0')
			abort();
		return 0;
	}
	plain = ks_stream_comp(s) == KS_COMP_NONE;
	while (total < OUT_CAP) {
		r = ks_stream_read(s, buf, total < SMALL_UNTIL ? SMALL : BIG,
		    &err);
		if (ks_stream_raw_pos(s) > size)
			abort();
		if (r == 0)
			break;
		if (r < 0) {
			/* Plain data cannot fail on a memfd. */
			if (err.msg[0] == '\0' || plain)
				abort();
			break;
		}
		if (plain && ((size_t)r > size - total ||
		    memcmp(buf, data + total, (size_t)r) != 0))
			abort();
		total += (size_t)r;
	}
	/* Read to the end, plain data has come back whole. */
	if (plain && r == 0 && total != size)
		abort();
	ks_stream_close(s);
	return 0;
}
