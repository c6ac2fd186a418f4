/*
 * frame.h - turning one raw log line into an event placed in time.
 *
 * A line is framed by the first header format that fits: RFC 3164 (BSD
 * syslog, with its variants), RFC 3339 as rsyslog writes it, RFC 5424,
 * ISO 8601 with a space, Apache/nginx access and error logs, and xferlog.
 * The result is a ks_event whose strings are slices into the line: the
 * framer never allocates, because it runs once for every line of every
 * log and must stay far above disk speed.
 *
 * Time is always the event's own.  Zoneless stamps are read in the zone
 * of a ks_tz; RFC 3164 stamps carry no year, so a ks_year tracker supplies
 * one, seeded from the file's modification time by a pre-scan that counts
 * New Year crossings (see year.c).
 */
#ifndef KS_FRAME_H
#define KS_FRAME_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "util/util.h"

enum ks_fmt {
	KS_FMT_NONE = 0,   /* not framed */
	KS_FMT_RFC3164,
	KS_FMT_RFC3339,    /* rsyslog's high-precision format */
	KS_FMT_RFC5424,
	KS_FMT_ISO8601,    /* "2026-11-21 23:49:45,123 host prog: ..." */
	KS_FMT_ACCESS,     /* Apache/nginx common and combined */
	KS_FMT_APACHE_ERROR,
	KS_FMT_NGINX_ERROR,
	KS_FMT_XFERLOG,
	KS_FMT_JOURNAL,
};

const char *ks_fmt_name(enum ks_fmt f);

/*
 * One framed log record.  String fields are slices into storage the
 * producer owns (the line buffer, or the journal entry), valid until the
 * next event is produced.
 */
struct ks_event {
	int64_t ts_us;          /* microseconds since the epoch, UTC */
	int32_t utc_off;        /* seconds east of UTC to show the time in */
	enum ks_fmt fmt;
	struct ks_str host;
	struct ks_str program;
	struct ks_str message;
	struct ks_str sdata;    /* RFC 5424 structured data, "" if none */
	struct ks_str msgid;    /* RFC 5424 MSGID, Solaris "ID n fac.pri" */
	int64_t pid;            /* -1 when the line names none */
	int facility;           /* 0..23, -1 when unknown */
	int severity;           /* 0..7, -1 when unknown */
	uint32_t repeat;        /* "last message repeated N times": N */
	const char *path;       /* log.file.path */
	uint64_t line;          /* 1-based; 0 for the journal */
	const char *cursor;     /* journal cursor, NULL otherwise */
	struct ks_str raw;      /* the whole line as framed (maybe cut) */
	size_t orig_len;        /* its length before any cut */
};

/* ---- time ------------------------------------------------------------ */

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t ks_days_from_civil(int64_t y, unsigned m, unsigned d);
void ks_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

/*
 * The zone of zoneless timestamps.  Process-wide by nature (it sets TZ
 * once, in ks_tz_init, because the C library reads the zone from there);
 * conversions are cached per half hour, so the per-line cost is a compare.
 */
struct ks_tz {
	bool fixed;             /* a fixed offset: no rules, no libc */
	int32_t fixed_off;
	int64_t l2u_key;        /* cache: local half-hour -> offset */
	int32_t l2u_off;
	int64_t u2l_key;        /* cache: UTC half-hour -> offset */
	int32_t u2l_off;
	int64_t day_y;          /* cache: the last civil date -> day number */
	unsigned day_m, day_d;
	int64_t day_num;
};

/* zone: an Olson name, "UTC", "+09:00", or NULL for the local zone. */
int ks_tz_init(struct ks_tz *tz, const char *zone, struct ks_err *err);
/* Offset east of UTC that applies at a local wall-clock time. */
int32_t ks_tz_offset_local(struct ks_tz *tz, int64_t local_s);
/* Offset east of UTC that applies at a UTC instant. */
int32_t ks_tz_offset_utc(struct ks_tz *tz, int64_t utc_s);
/* ks_tz_days when the date is not the one remembered. */
int64_t ks_tz_days_miss(struct ks_tz *tz, int64_t y, unsigned m, unsigned d);

/*
 * ks_days_from_civil, remembering the last date: lines come in order, a
 * log holds thousands of lines of one date, and every stamped line asks,
 * so the compare is inline.
 */
static inline int64_t
ks_tz_days(struct ks_tz *tz, int64_t y, unsigned m, unsigned d)
{
	if (d == tz->day_d && m == tz->day_m && y == tz->day_y)
		return tz->day_num;
	return ks_tz_days_miss(tz, y, m, d);
}

/* RFC 3339 with the offset, microseconds only when non-zero. */
void ks_time_format(struct ks_buf *b, int64_t ts_us, int32_t off);

/*
 * Parses a time a person typed for --since/--until: RFC 3339 or ISO 8601
 * ("2026-11-21", "2026-11-21 23:00", "...T23:00:00+09:00") read in tz
 * when it has no zone, or a span back from now ("90m", "2h", "7d").
 */
int ks_time_parse_user(const char *s, struct ks_tz *tz, int64_t now_us,
    int64_t *out_us, struct ks_err *err);

/* ---- year inference for RFC 3164 ------------------------------------ */

/*
 * The year of yearless lines.  The pre-scan reads the months of a file's
 * RFC 3164 lines and counts New Year crossings; with the file's mtime it
 * yields the year of the first line, and the tracker then carries it
 * forward, crossing New Year where the date steps back by more than a
 * little disorder (see year.c).
 */
struct ks_year {
	int year;              /* year of the last line seen; 0: not yet */
	int64_t last_pos;      /* position in the year of the last line */
	bool seen;
	bool fixed;            /* --year: never changes */
	int ref_year, ref_month, ref_day;  /* for streams: decide at line 1 */
};

/*
 * The bytes of a line that decide the pre-scan's view of it: "<0191>Mmm dd
 * hh:mm:ss", and one more so that the CR a line may end with (which is
 * not part of it) cannot matter.
 */
#define KS_YEARSCAN_HEAD 22

/* Feeds one line to a pre-scan: the month delta accounting. */
struct ks_yearscan {
	int last_month;
	int last_day;
	int64_t last_pos;      /* position in the year of the last line */
	int crossings;         /* net New Year crossings, first to last */
	bool seen;
	/* ks_yearscan_feed: the head of a line cut by the end of a chunk */
	char head[KS_YEARSCAN_HEAD];
	size_t nhead;
	bool skip;             /* the cut line is done with: skip to '\n' */
};

void ks_yearscan_init(struct ks_yearscan *ys);
void ks_yearscan_line(struct ks_yearscan *ys, const char *p, size_t n);
/*
 * The same over raw bytes in chunks of any size (lines end at '\n'), then
 * ks_yearscan_end for a last line without a newline: exactly as if each
 * line were given to ks_yearscan_line, without cutting the data into lines
 * first.
 */
void ks_yearscan_feed(struct ks_yearscan *ys, const char *p, size_t n);
void ks_yearscan_end(struct ks_yearscan *ys);
/*
 * The year of the first line, given the reference time (the file's mtime,
 * or now for a stream) as a broken-down local time in the log's zone.
 */
int ks_yearscan_first_year(const struct ks_yearscan *ys, const struct tm *ref);

void ks_year_init(struct ks_year *y, int first_year, bool fixed);
/*
 * For a stream that cannot be pre-scanned (stdin): the first line's year
 * is the reference's, or the one before when the line's date lies ahead
 * of the reference.
 */
void ks_year_init_ref(struct ks_year *y, const struct tm *ref);
/* The year of a line (month 1..12, day, second of day); updates y. */
int ks_year_next(struct ks_year *y, int month, int day, int64_t sod);

/* ---- the framer ------------------------------------------------------- */

struct ks_framer {
	struct ks_tz *tz;
	struct ks_year year;
};

void ks_framer_init(struct ks_framer *fr, struct ks_tz *tz, int first_year,
    bool year_fixed);
/* Restarts the year tracking for a stream (see ks_year_init_ref). */
void ks_framer_set_ref(struct ks_framer *fr, const struct tm *ref);

/*
 * Frames one line (without its newline).  Returns true and fills ev when
 * a header format fits; false when none does (the caller counts it).
 * ev->path, ev->line and ev->orig_len are left for the caller to set.
 */
bool ks_frame_line(struct ks_framer *fr, const char *p, size_t n,
    struct ks_event *ev);

/* Month number 1..12 of a three-letter English month name, else 0. */
int ks_month_from_name(const char *p);

#endif
