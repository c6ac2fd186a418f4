/*
 * input.h - where log bytes come from.
 *
 * Three layers, each small:
 *   ks_stream  a file descriptor, transparently decompressed when its
 *              first bytes are gzip, xz or zstd magic (names lie; magic
 *              does not);
 *   ks_lines   a stream cut into lines, each bounded in length so that a
 *              hostile 10 MB line costs a fixed amount of memory;
 *   ks_source  the list of things to read: files, directories searched
 *              for log files by name and content, rotated sets ordered
 *              oldest first, stdin, and systemd journals.
 *
 * The journal is read through sd-journal (journal.c) and yields events
 * directly, since its records are already framed.
 */
#ifndef KS_INPUT_H
#define KS_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "frame/frame.h"
#include "util/util.h"

/* ---- streams ---------------------------------------------------------- */

enum ks_comp {
	KS_COMP_NONE = 0,
	KS_COMP_GZIP,
	KS_COMP_XZ,
	KS_COMP_ZSTD,
};

const char *ks_comp_name(enum ks_comp c);

struct ks_stream;

/*
 * Takes ownership of fd (closed by ks_stream_close, or at once when this
 * fails).  Reads the first bytes to detect compression, so it works on
 * pipes as well as files.
 */
int ks_stream_open_fd(struct ks_stream **out, int fd, struct ks_err *err);
/* Reads up to n decompressed bytes: >0 bytes, 0 at the end, -1 error. */
ssize_t ks_stream_read(struct ks_stream *s, void *buf, size_t n,
    struct ks_err *err);
enum ks_comp ks_stream_comp(const struct ks_stream *s);
/* Compressed bytes consumed so far (for progress). */
uint64_t ks_stream_raw_pos(const struct ks_stream *s);
void ks_stream_close(struct ks_stream *s);

/* ---- lines ------------------------------------------------------------ */

/* Longest line kept; the rest of a longer line is counted, not stored. */
#define KS_LINE_MAX (64 * 1024)

struct ks_line {
	const char *p;     /* without the newline (and a CR before it) */
	size_t n;          /* at most KS_LINE_MAX */
	size_t orig_len;   /* the line's full length */
	uint64_t no;       /* 1-based line number */
};

struct ks_lines;

/* Takes ownership of s. */
int ks_lines_open(struct ks_lines **out, struct ks_stream *s,
    struct ks_err *err);
/* 1 and a line, 0 at the end, -1 on a read error. */
int ks_lines_next(struct ks_lines *l, struct ks_line *line,
    struct ks_err *err);
/* The next (up to) 4 KiB not yet handed out, for sniffing content. */
void ks_lines_peek(struct ks_lines *l, const char **p, size_t *n);
struct ks_stream *ks_lines_stream(struct ks_lines *l);
void ks_lines_close(struct ks_lines *l);

/* ---- sources ---------------------------------------------------------- */

enum ks_src_kind {
	KS_SRC_FILE,
	KS_SRC_STDIN,
	KS_SRC_JOURNAL_LOCAL,
	KS_SRC_JOURNAL_DIR,
};

struct ks_src {
	enum ks_src_kind kind;
	char *path;         /* file or journal directory; "-" for stdin */
	bool optional;      /* not asked for: failing to open it is a notice */
};

struct ks_srclist {
	struct ks_src *v;
	size_t n, cap;
	/* notices about what was skipped while collecting, one per line */
	struct ks_buf notices;
};

void ks_srclist_init(struct ks_srclist *l);
void ks_srclist_free(struct ks_srclist *l);
int ks_srclist_add(struct ks_srclist *l, enum ks_src_kind kind,
    const char *path, struct ks_err *err);

/*
 * Adds a command-line path: "-" is stdin, a directory is searched for log
 * files, a file is added as it is.  Unreadable entries are noted, not
 * fatal; a path that does not exist is an error.
 */
int ks_srclist_add_path(struct ks_srclist *l, const char *path,
    struct ks_err *err);

/*
 * Orders rotated sets oldest first: "messages.3.gz, messages.2.gz,
 * messages.1, messages" and "messages-20261101, messages", keeping each
 * set where its first member stood.
 */
void ks_srclist_order_rotations(struct ks_srclist *l);

/* True when a file name belongs to the logs kansatsu reads by name. */
bool ks_logname_wanted(const char *name);

/*
 * Rotation key of a file name: the base length and an age (0 for the live
 * file, larger for older).  Exposed for tests.
 */
void ks_rotation_key(const char *name, size_t *base_len, int64_t *age);

/* ---- journal ---------------------------------------------------------- */

struct ks_journal;

/* dir NULL: the local journal; else the journal files in dir. */
int ks_journal_open(struct ks_journal **out, const char *dir,
    struct ks_err *err);
/*
 * 1 and the next event, 0 at the end, -1 on error.  The event's strings
 * stay valid until the next call.  Times in ev are UTC with utc_off set
 * from tz.
 */
int ks_journal_next(struct ks_journal *j, struct ks_tz *tz,
    struct ks_event *ev, struct ks_err *err);
void ks_journal_close(struct ks_journal *j);

#endif
