/*
 * pipeline.h - read -> frame -> (filter) -> consumer, over every source.
 *
 * The pipeline owns the order of work: sources one after another in the
 * order the source list gives (rotated sets already oldest first), the
 * year pre-scan of each seekable file before its lines are framed, and the
 * accounting that makes sure no line disappears silently: each source's
 * lines, events, unparsed and cut lines are counted in a ks_srcstat that
 * the caller reports.
 *
 * The consumer is a callback so that `logs --events`, `--count` and the
 * detection stage can all sit on the same loop without copies.
 */
#ifndef KS_PIPELINE_H
#define KS_PIPELINE_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/decode.h"
#include "frame/frame.h"
#include "input/input.h"
#include "util/util.h"

struct ks_srcstat {
	char *path;              /* as the source list names it */
	enum ks_comp comp;
	bool skipped;            /* binary or unreadable: nothing read */
	bool failed;             /* read, then a read error cut it short */
	char reason[256];        /* why, when skipped or failed */
	uint64_t lines;
	uint64_t events;
	uint64_t unparsed;
	uint64_t cut;            /* lines longer than KS_LINE_MAX */
	uint64_t filtered;       /* outside --since/--until */
	int64_t first_us, last_us;  /* event time range, 0 if none */
};

/* Called for each event; return non-zero to stop the whole run. */
typedef int (*ks_event_fn)(void *ctx, const struct ks_event *ev);
/* Called for each line that cannot be framed (optional). */
typedef void (*ks_unparsed_fn)(void *ctx, const char *path,
    const struct ks_line *line);
/* Progress: bytes done of total for the current source (optional). */
typedef void (*ks_progress_fn)(void *ctx, const char *path, uint64_t done,
    uint64_t total);

struct ks_pipeline_opts {
	struct ks_tz *tz;
	int year;                /* 0: infer */
	int64_t since_us;        /* INT64_MIN: none */
	int64_t until_us;        /* INT64_MAX: none */
	int64_t now_us;          /* reference for streams without an mtime */
	const char *hostname;    /* host.name of lines that name none */
	ks_event_fn on_event;
	ks_unparsed_fn on_unparsed;
	ks_progress_fn on_progress;
	void *ctx;
};

struct ks_pipeline_result {
	struct ks_srcstat *stats;   /* one per source, same order */
	size_t nstats;
	bool stopped;               /* a callback asked to stop */
};

/*
 * Runs every source.  A source that cannot be read is recorded as skipped
 * with a reason and the run goes on; -1 only for failures that make the
 * whole run meaningless (out of memory, a journal that cannot be opened
 * when asked for explicitly).
 */
int ks_pipeline_run(const struct ks_srclist *srcs,
    const struct ks_pipeline_opts *opts, struct ks_pipeline_result *res,
    struct ks_err *err);
void ks_pipeline_result_free(struct ks_pipeline_result *res);

/* Frames one file or stream: exposed for the fuzzers and tests. */
int ks_pipeline_read_fd(int fd, const char *path, bool seekable,
    const struct ks_pipeline_opts *opts, struct ks_srcstat *st,
    struct ks_err *err);

/*
 * JSON Lines form of an event (the `logs --events` view), with newline;
 * with its decoded fields when f is not NULL.
 */
void ks_event_to_json(struct ks_buf *b, const struct ks_event *ev,
    const struct ks_fields *f);

#endif
