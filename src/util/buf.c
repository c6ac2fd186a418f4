/*
 * buf.c - the growable byte buffer and the error carrier.
 *
 * Output of every command is assembled in a ks_buf and written in large
 * chunks: one write per ~64 KiB instead of stdio per field keeps the
 * `--events` path cheap.  A failed allocation marks the buffer failed and
 * later appends are ignored, so that hot loops test for failure once.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/util.h"

int
ks_err_set(struct ks_err *err, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL) {
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return -1;
}

void
ks_buf_init(struct ks_buf *b)
{
	memset(b, 0, sizeof(*b));
}

void
ks_buf_free(struct ks_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

bool
ks_buf_reserve(struct ks_buf *b, size_t extra)
{
	size_t want, cap;
	char *p;

	if (b->failed)
		return false;
	if (extra <= b->cap - b->len)
		return true;
	if (extra > SIZE_MAX / 2 - b->len)
		goto fail;
	want = b->len + extra;
	cap = b->cap ? b->cap : 256;
	while (cap < want)
		cap *= 2;
	if ((p = realloc(b->p, cap)) == NULL)
		goto fail;
	b->p = p;
	b->cap = cap;
	return true;
fail:
	b->failed = true;
	return false;
}

void
ks_buf_adds(struct ks_buf *b, const char *s)
{
	ks_buf_add(b, s, strlen(s));
}

void
ks_buf_addf(struct ks_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !ks_buf_reserve(b, (size_t)n + 1))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
ks_buf_addu(struct ks_buf *b, uint64_t v)
{
	char tmp[24];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	ks_buf_add(b, tmp + i, sizeof(tmp) - i);
}

void
ks_buf_addi(struct ks_buf *b, int64_t v)
{
	if (v < 0) {
		ks_buf_addc(b, '-');
		ks_buf_addu(b, (uint64_t)0 - (uint64_t)v);
	} else
		ks_buf_addu(b, (uint64_t)v);
}

int
ks_buf_flush(struct ks_buf *b, int fd)
{
	size_t off = 0;
	ssize_t w;

	while (off < b->len) {
		w = write(fd, b->p + off, b->len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		off += (size_t)w;
	}
	b->len = 0;
	return 0;
}
