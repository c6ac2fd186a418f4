/*
 * pipeline.c - every source through read -> frame -> filter -> consumer.
 *
 * One loop serves files, stdin and journals.  For a regular file it first
 * runs the year pre-scan (a second, cheap pass over the same bytes: only
 * the stamps are looked at) because the year of RFC 3164 lines is fixed
 * by the file's last line and its mtime, and events must leave the
 * pipeline with their final time.  Streams cannot be read twice, so for
 * them the first line decides the year against the time of reading.
 *
 * Nothing is dropped silently: a line that does not frame is counted as
 * unparsed, a line cut at KS_LINE_MAX is counted as cut, a binary or
 * unreadable file is recorded as skipped with its reason, and a stream
 * that breaks off (a truncated .gz) keeps what was read and says why.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pipeline/pipeline.h"

/* Lines between progress reports: cheap enough to never show in a profile. */
#define PROGRESS_EVERY 65536
/* Bytes the year pre-scan reads at a time: well inside the L2 cache. */
#define PRESCAN_BUF (128 * 1024)

static void
stat_reason(struct ks_srcstat *st, const char *msg)
{
	snprintf(st->reason, sizeof(st->reason), "%s", msg);
}

/*
 * A binary file (wtmp, a core dump, random data): in its first 4 KiB
 * more than one byte in ten is NUL, a control byte or not UTF-8, and no
 * line there frames.  The second condition keeps an intruder from hiding
 * a log behind a binary first line.
 */
static bool
looks_binary(struct ks_framer *fr, const char *p, size_t n)
{
	size_t bad = 0, i = 0, len;
	const char *line, *nl, *end;
	struct ks_event ev;
	struct ks_framer probe = *fr;

	n = n > 4096 ? 4096 : n;
	while (i < n) {
		unsigned char c = (unsigned char)p[i];

		if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' &&
		    c != 0x1b && c != '\f' && c != '\b')
			bad++;
		len = c < 0x80 ? 1 : ks_utf8_seq((const unsigned char *)p + i,
		    n - i);
		if (len == 0) {
			bad++;
			len = 1;
		}
		i += len;
	}
	if (bad * 10 <= n)
		return false;
	for (line = p, end = p + n; line < end &&
	    (nl = memchr(line, '\n', (size_t)(end - line))) != NULL;
	    line = nl + 1)
		if (ks_frame_line(&probe, line, (size_t)(nl - line), &ev))
			return false;
	return true;
}

/* The reference for year inference, broken down in the log's zone. */
static void
ref_tm(struct ks_tz *tz, int64_t t, struct tm *tm)
{
	int64_t local = t + ks_tz_offset_utc(tz, t), y;
	int64_t days = local / 86400 - (local % 86400 < 0);
	unsigned m, d;

	ks_civil_from_days(days, &y, &m, &d);
	memset(tm, 0, sizeof(*tm));
	tm->tm_year = (int)(y - 1900);
	tm->tm_mon = (int)m - 1;
	tm->tm_mday = (int)d;
}

/*
 * Pre-scan of a regular file: the year of its first RFC 3164 line.  The
 * bytes go straight to the scanner, not through ks_lines, in pieces small
 * enough to stay in the cache between read() and the scan.
 */
static int
prescan_year(int fd, const struct ks_pipeline_opts *opts, int64_t mtime,
    int *year, struct ks_err *err)
{
	struct ks_stream *s;
	struct ks_yearscan ys;
	struct tm ref;
	char *buf;
	ssize_t r;
	int dfd;

	if ((dfd = dup(fd)) < 0)
		return ks_err_set(err, "dup: %s", strerror(errno));
	if (ks_stream_open_fd(&s, dfd, err) < 0)
		return -1;
	if ((buf = malloc(PRESCAN_BUF)) == NULL) {
		ks_stream_close(s);
		return ks_err_set(err, "out of memory");
	}
	ks_yearscan_init(&ys);
	/* a read error ends the data here; the main pass reports it */
	while ((r = ks_stream_read(s, buf, PRESCAN_BUF, NULL)) > 0)
		ks_yearscan_feed(&ys, buf, (size_t)r);
	ks_yearscan_end(&ys);
	free(buf);
	ks_stream_close(s);
	ref_tm(opts->tz, mtime, &ref);
	*year = ks_yearscan_first_year(&ys, &ref);
	if (lseek(fd, 0, SEEK_SET) < 0)
		return ks_err_set(err, "lseek: %s", strerror(errno));
	return 0;
}

static void
account(struct ks_srcstat *st, const struct ks_event *ev)
{
	if (st->events == 0 || ev->ts_us < st->first_us)
		st->first_us = ev->ts_us;
	if (st->events == 0 || ev->ts_us > st->last_us)
		st->last_us = ev->ts_us;
	st->events++;
}

/* Filters and hands one event on: non-zero to stop the run. */
static int
deliver(const struct ks_pipeline_opts *opts, struct ks_srcstat *st,
    struct ks_event *ev)
{
	if (ev->host.n == 0 && opts->hostname != NULL)
		ev->host = ks_str_make(opts->hostname, strlen(opts->hostname));
	if (ev->ts_us < opts->since_us || ev->ts_us > opts->until_us) {
		st->filtered++;
		return 0;
	}
	account(st, ev);
	return opts->on_event(opts->ctx, ev);
}

static int
frame_lines(struct ks_lines *l, const char *path, struct ks_framer *fr,
    const struct ks_pipeline_opts *opts, struct ks_srcstat *st,
    uint64_t total, struct ks_err *err)
{
	struct ks_line line;
	struct ks_event ev;
	int r;

	while ((r = ks_lines_next(l, &line, err)) > 0) {
		st->lines++;
		if (line.orig_len > line.n)
			st->cut++;
		if (opts->on_progress != NULL && line.no % PROGRESS_EVERY == 0)
			opts->on_progress(opts->ctx, path,
			    ks_stream_raw_pos(ks_lines_stream(l)), total);
		if (!ks_frame_line(fr, line.p, line.n, &ev)) {
			st->unparsed++;
			if (opts->on_unparsed != NULL)
				opts->on_unparsed(opts->ctx, path, &line);
			continue;
		}
		ev.path = path;
		ev.line = line.no;
		ev.orig_len = line.orig_len;
		if (deliver(opts, st, &ev) != 0)
			return 1;
	}
	return r;
}

int
ks_pipeline_read_fd(int fd, const char *path, bool seekable,
    const struct ks_pipeline_opts *opts, struct ks_srcstat *st,
    struct ks_err *err)
{
	struct ks_framer fr;
	struct ks_stream *s;
	struct ks_lines *l;
	struct stat sb;
	struct tm ref;
	const char *peek;
	size_t npeek;
	int year = opts->year, r;
	uint64_t total = 0;

	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode))
		total = (uint64_t)sb.st_size;
	if (year == 0 && seekable &&
	    prescan_year(fd, opts, (int64_t)sb.st_mtime, &year, err) < 0) {
		close(fd);
		return -1;
	}
	ks_framer_init(&fr, opts->tz, year, opts->year != 0);
	if (year == 0) {
		ref_tm(opts->tz, opts->now_us / 1000000, &ref);
		ks_framer_set_ref(&fr, &ref);
	}
	if (ks_stream_open_fd(&s, fd, err) < 0 || ks_lines_open(&l, s, err) < 0)
		return -1;
	st->comp = ks_stream_comp(s);
	ks_lines_peek(l, &peek, &npeek);
	if (looks_binary(&fr, peek, npeek)) {
		st->skipped = true;
		stat_reason(st, "binary file");
		ks_lines_close(l);
		return 0;
	}
	r = frame_lines(l, path, &fr, opts, st, total, err);
	ks_lines_close(l);
	return r;
}

static int
read_file(const char *path, const struct ks_pipeline_opts *opts,
    struct ks_srcstat *st, struct ks_err *err)
{
	struct stat sb;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC)) < 0 ||
	    fstat(fd, &sb) < 0) {
		st->skipped = true;
		stat_reason(st, strerror(errno));
		if (fd >= 0)
			close(fd);
		return 0;
	}
	if (S_ISDIR(sb.st_mode)) {
		st->skipped = true;
		stat_reason(st, "is a directory");
		close(fd);
		return 0;
	}
	return ks_pipeline_read_fd(fd, path, S_ISREG(sb.st_mode), opts, st,
	    err);
}

static int
read_journal(const char *dir, const struct ks_pipeline_opts *opts,
    struct ks_srcstat *st, struct ks_err *err)
{
	struct ks_journal *j;
	struct ks_event ev;
	int r;

	if (ks_journal_open(&j, dir, err) < 0)
		return -1;
	while ((r = ks_journal_next(j, opts->tz, &ev, err)) > 0) {
		st->lines++;
		if (ev.orig_len > ev.message.n)
			st->cut++;
		if (deliver(opts, st, &ev) != 0) {
			r = 1;
			break;
		}
	}
	ks_journal_close(j);
	return r;
}

static int
run_one(const struct ks_src *src, const struct ks_pipeline_opts *opts,
    struct ks_srcstat *st, struct ks_err *err)
{
	int fd;

	switch (src->kind) {
	case KS_SRC_FILE:
		return read_file(src->path, opts, st, err);
	case KS_SRC_STDIN:
		if ((fd = dup(STDIN_FILENO)) < 0)
			return ks_err_set(err, "stdin: %s", strerror(errno));
		return ks_pipeline_read_fd(fd, "-", false, opts, st, err);
	case KS_SRC_JOURNAL_LOCAL:
		return read_journal(NULL, opts, st, err);
	case KS_SRC_JOURNAL_DIR:
		return read_journal(src->path, opts, st, err);
	}
	return 0;
}

int
ks_pipeline_run(const struct ks_srclist *srcs,
    const struct ks_pipeline_opts *opts, struct ks_pipeline_result *res,
    struct ks_err *err)
{
	struct ks_srcstat *st;
	struct ks_err e;
	int r;

	memset(res, 0, sizeof(*res));
	if (srcs->n == 0)
		return 0;
	if ((res->stats = calloc(srcs->n, sizeof(*res->stats))) == NULL)
		return ks_err_set(err, "out of memory");
	for (size_t i = 0; i < srcs->n; i++) {
		st = &res->stats[i];
		res->nstats++;
		if ((st->path = strdup(srcs->v[i].path)) == NULL)
			return ks_err_set(err, "out of memory");
		e.msg[0] = '\0';
		r = run_one(&srcs->v[i], opts, st, &e);
		if (r < 0 && (srcs->v[i].kind == KS_SRC_JOURNAL_LOCAL ||
		    srcs->v[i].kind == KS_SRC_JOURNAL_DIR) && st->lines == 0) {
			if (!srcs->v[i].optional)
				return ks_err_set(err, "%s", e.msg);
			st->skipped = true;
			stat_reason(st, e.msg);
		} else if (r < 0) {
			st->failed = true;
			stat_reason(st, e.msg);
		}
		if (r > 0) {
			res->stopped = true;
			break;
		}
	}
	return 0;
}

void
ks_pipeline_result_free(struct ks_pipeline_result *res)
{
	for (size_t i = 0; i < res->nstats; i++)
		free(res->stats[i].path);
	free(res->stats);
	memset(res, 0, sizeof(*res));
}
