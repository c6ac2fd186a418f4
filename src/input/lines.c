/*
 * lines.c - cutting a stream into lines, with a bound on every line.
 *
 * Lines are handed out as slices of one 1 MiB buffer, so the common case
 * is a memchr and no copy.  A line longer than KS_LINE_MAX (an overflow
 * attempt against a daemon, or a binary blob) keeps its first KS_LINE_MAX
 * bytes in a side buffer and the rest is read and counted but not kept:
 * memory stays bounded whatever the input, and the line's true length is
 * still reported, because an overlong line is itself evidence.
 */
#include <stdlib.h>
#include <string.h>

#include "input/input.h"

#define KS_LINES_BUF (1024 * 1024)

struct ks_lines {
	struct ks_stream *s;
	char *buf;              /* KS_LINES_BUF bytes */
	size_t start, end;      /* unconsumed data is buf[start, end) */
	bool eof;
	char *longbuf;          /* first KS_LINE_MAX bytes of a long line */
	uint64_t no;
	bool failed;            /* the stream broke off: report after the data */
	struct ks_err err;
};

int
ks_lines_open(struct ks_lines **out, struct ks_stream *s, struct ks_err *err)
{
	struct ks_lines *l;

	*out = NULL;
	if ((l = calloc(1, sizeof(*l))) == NULL ||
	    (l->buf = malloc(KS_LINES_BUF)) == NULL) {
		free(l);
		ks_stream_close(s);
		return ks_err_set(err, "out of memory");
	}
	l->s = s;
	*out = l;
	return 0;
}

void
ks_lines_close(struct ks_lines *l)
{
	if (l == NULL)
		return;
	ks_stream_close(l->s);
	free(l->buf);
	free(l->longbuf);
	free(l);
}

struct ks_stream *
ks_lines_stream(struct ks_lines *l)
{
	return l->s;
}

/*
 * Moves unconsumed data to the front and reads more.  A read error ends
 * the data like an end of file, so that the part of a line read before
 * it is still handed out; the error is reported after that.
 */
static void
fill(struct ks_lines *l)
{
	ssize_t r;

	if (l->start > 0) {
		memmove(l->buf, l->buf + l->start, l->end - l->start);
		l->end -= l->start;
		l->start = 0;
	}
	while (!l->eof && l->end < KS_LINES_BUF) {
		r = ks_stream_read(l->s, l->buf + l->end, KS_LINES_BUF - l->end,
		    &l->err);
		if (r < 0) {
			l->failed = true;
			l->eof = true;
			return;
		}
		if (r == 0)
			l->eof = true;
		l->end += (size_t)r;
		if (r > 0)
			break;
	}
}

static void
set_line(struct ks_lines *l, struct ks_line *line, const char *p, size_t n,
    size_t orig)
{
	if (n > 0 && p[n - 1] == '\r') {
		n--;
		orig--;
	}
	line->p = p;
	line->n = n;
	line->orig_len = orig;
	line->no = ++l->no;
}

/*
 * The current line is longer than KS_LINE_MAX: keep its head, then read
 * and count the rest up to the newline.
 */
static int
long_line(struct ks_lines *l, struct ks_line *line, struct ks_err *err)
{
	size_t total = KS_LINE_MAX;
	char *nl;

	if (l->longbuf == NULL && (l->longbuf = malloc(KS_LINE_MAX)) == NULL)
		return ks_err_set(err, "out of memory");
	memcpy(l->longbuf, l->buf + l->start, KS_LINE_MAX);
	l->start += KS_LINE_MAX;
	for (;;) {
		nl = memchr(l->buf + l->start, '\n', l->end - l->start);
		if (nl != NULL) {
			total += (size_t)(nl - (l->buf + l->start));
			l->start = (size_t)(nl - l->buf) + 1;
			break;
		}
		total += l->end - l->start;
		l->start = l->end;
		if (l->eof)
			break;
		fill(l);
	}
	line->p = l->longbuf;
	line->n = KS_LINE_MAX;
	line->orig_len = total;
	line->no = ++l->no;
	return 1;
}

int
ks_lines_next(struct ks_lines *l, struct ks_line *line, struct ks_err *err)
{
	char *p, *nl;
	size_t avail;

	for (;;) {
		p = l->buf + l->start;
		avail = l->end - l->start;
		nl = avail ? memchr(p, '\n', avail) : NULL;
		if (nl != NULL && (size_t)(nl - p) <= KS_LINE_MAX) {
			l->start += (size_t)(nl - p) + 1;
			set_line(l, line, p, (size_t)(nl - p), (size_t)(nl - p));
			return 1;
		}
		if (avail > KS_LINE_MAX)
			return long_line(l, line, err);
		if (l->eof) {
			if (avail == 0 && l->failed)
				return ks_err_set(err, "%s", l->err.msg);
			if (avail == 0)
				return 0;
			l->start = l->end;
			set_line(l, line, p, avail, avail);
			return 1;
		}
		fill(l);
	}
}

void
ks_lines_peek(struct ks_lines *l, const char **p, size_t *n)
{
	while (!l->eof && l->end - l->start < 4096)
		fill(l);
	*p = l->buf + l->start;
	*n = l->end - l->start;
}
