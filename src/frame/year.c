/*
 * year.c - the year of RFC 3164 lines, which carry none.
 *
 * fail2ban and others guess from the time of reading and get every log
 * that spans New Year, or is read months later, wrong.  kansatsu anchors
 * the year on the file's modification time, which is the time of its last
 * line: a pre-scan counts the New Year crossings between the first and
 * the last line, so the first line's year is the last line's minus the
 * crossings, and the forward pass then crosses the same boundaries again.
 *
 * A step back in (month, day, time) is a New Year crossing (+1) unless
 * it is small (two days at most): syslogd writes lines a little out of
 * order.  A step forward is the same year, unless going back across New
 * Year instead would be such a small step: a late December line after an
 * early January one (-1).  A sparse log (February, then December) stays
 * in one year, and one with a long gap across New Year (July, then March)
 * is crossed.  Both passes use year_step so they cannot disagree.
 *
 * The pre-scan reads every byte of the file a second time, so it has its
 * own lean loop (ks_yearscan_feed): the raw bytes in chunks, one memchr
 * per line, and the stamp parsed only where the first byte can start one.
 * A line's verdict depends on its first KS_YEARSCAN_HEAD bytes alone (and
 * on whether it has that many), so a line cut by the end of a chunk keeps
 * only its head, and a long line is never copied.  A line shorter than
 * that is scanned without a CR at its end, as ks_lines hands it out: the
 * CR decides whether "Jan 3 00:00:00" is long enough to be a stamp.
 */
#include <string.h>

#include "frame/frame_int.h"

#define YEAR_S (365 * 86400)
#define DISORDER_S (2 * 86400)

/* Position in a (non-leap) year, in seconds: only differences matter. */
static int64_t
year_pos(int month, int day, int64_t sod)
{
	static const int before[] = { 0, 31, 59, 90, 120, 151, 181, 212, 243,
	    273, 304, 334 };

	return ((int64_t)before[month - 1] + day - 1) * 86400 + sod;
}

/* The change of year from the line at position a to the one at b. */
static int
year_step(int64_t a, int64_t b)
{
	int64_t fwd = b - a;

	if (fwd < 0)
		return -fwd <= DISORDER_S ? 0 : 1;
	return YEAR_S - fwd <= DISORDER_S ? -1 : 0;
}

void
ks_yearscan_init(struct ks_yearscan *ys)
{
	memset(ys, 0, sizeof(*ys));
}

void
ks_yearscan_line(struct ks_yearscan *ys, const char *p, size_t n)
{
	struct ks_bsd_stamp st;
	size_t used;
	int fac, sev;
	int64_t pos;

	used = ks_pri_parse(p, n, &fac, &sev);
	if (ks_bsd_stamp_parse(p + used, n - used, &st) == 0)
		return;
	pos = year_pos(st.month, (int)st.day, st.hour * 3600 + st.min * 60 +
	    st.sec);
	if (ys->seen)
		ys->crossings += year_step(ys->last_pos, pos);
	ys->last_pos = pos;
	ys->last_month = st.month;
	ys->last_day = (int)st.day;
	ys->seen = true;
}

/*
 * A stamp starts with '<' or a month's first letter.  The test folds case
 * as ks_month_from_name does, and lets a few other bytes through, but it
 * never turns a stamp away.
 */
static bool
may_start_stamp(char c)
{
	switch (c | 0x20) {
	case '<': case 'a': case 'd': case 'f': case 'j': case 'm': case 'n':
	case 'o': case 's':
		return true;
	default:
		return false;
	}
}

/* One line, or its first KS_YEARSCAN_HEAD bytes or more. */
static void
scan_line(struct ks_yearscan *ys, const char *p, size_t n)
{
	if (n > 0 && may_start_stamp(p[0]))
		ks_yearscan_line(ys, p, n);
}

/* A whole line: without the CR before its newline, as ks_lines hands it. */
static void
scan_whole(struct ks_yearscan *ys, const char *p, size_t n)
{
	scan_line(ys, p, n > 0 && p[n - 1] == '\r' ? n - 1 : n);
}

/*
 * Continues the head of a line begun in an earlier chunk; bytes of p
 * used.  The line is scanned once it ends or its head is complete.
 */
static size_t
feed_head(struct ks_yearscan *ys, const char *p, size_t n)
{
	size_t room = KS_YEARSCAN_HEAD - ys->nhead, take = n < room ? n : room;
	const char *nl = memchr(p, '\n', take);

	if (nl != NULL)
		take = (size_t)(nl - p);
	memcpy(ys->head + ys->nhead, p, take);
	ys->nhead += take;
	if (nl == NULL && ys->nhead < KS_YEARSCAN_HEAD)
		return take;
	scan_whole(ys, ys->head, ys->nhead);
	ys->nhead = 0;
	ys->skip = nl == NULL;
	return nl != NULL ? take + 1 : take;
}

void
ks_yearscan_feed(struct ks_yearscan *ys, const char *p, size_t n)
{
	const char *end = p + n, *nl;

	if (ys->nhead > 0) {
		p += feed_head(ys, p, n);
		if (ys->nhead > 0)
			return;
	}
	if (ys->skip) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			return;
		p = nl + 1;
		ys->skip = false;
	}
	while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		scan_whole(ys, p, (size_t)(nl - p));
		p = nl + 1;
	}
	if (end - p >= KS_YEARSCAN_HEAD) {
		scan_line(ys, p, (size_t)(end - p));
		ys->skip = true;
	} else {
		ys->nhead = (size_t)(end - p);
		memcpy(ys->head, p, ys->nhead);
	}
}

void
ks_yearscan_end(struct ks_yearscan *ys)
{
	scan_whole(ys, ys->head, ys->nhead);
	ys->nhead = 0;
	ys->skip = false;
}

/* The year in which month/day lies on or before ref (a day of slack). */
static int
year_not_after(int month, int day, const struct tm *ref)
{
	int y = ref->tm_year + 1900;
	int64_t line = ks_days_from_civil(y, (unsigned)month, (unsigned)day);
	int64_t r = ks_days_from_civil(y, (unsigned)ref->tm_mon + 1,
	    (unsigned)ref->tm_mday);

	return line > r + 1 ? y - 1 : y;
}

int
ks_yearscan_first_year(const struct ks_yearscan *ys, const struct tm *ref)
{
	if (!ys->seen)
		return ref->tm_year + 1900;
	return year_not_after(ys->last_month, ys->last_day, ref) -
	    ys->crossings;
}

void
ks_year_init(struct ks_year *y, int first_year, bool fixed)
{
	memset(y, 0, sizeof(*y));
	y->year = first_year;
	y->fixed = fixed;
}

void
ks_year_init_ref(struct ks_year *y, const struct tm *ref)
{
	memset(y, 0, sizeof(*y));
	y->ref_year = ref->tm_year + 1900;
	y->ref_month = ref->tm_mon + 1;
	y->ref_day = ref->tm_mday;
}

int
ks_year_next(struct ks_year *y, int month, int day, int64_t sod)
{
	int64_t pos = year_pos(month, day, sod);

	if (y->fixed)
		return y->year;
	if (y->year == 0) {
		/* a stream: the first line decides against the reference */
		struct tm ref;

		memset(&ref, 0, sizeof(ref));
		ref.tm_year = y->ref_year - 1900;
		ref.tm_mon = y->ref_month - 1;
		ref.tm_mday = y->ref_day;
		y->year = year_not_after(month, day, &ref);
		y->last_pos = pos;
		y->seen = true;
		return y->year;
	}
	if (y->seen)
		y->year += year_step(y->last_pos, pos);
	y->last_pos = pos;
	y->seen = true;
	return y->year;
}
