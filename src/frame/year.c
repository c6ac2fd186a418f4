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
 * A crossing is a jump of the month by six or more: December to January
 * going forward (+1 year), and January back to December for a line that
 * is out of order across the boundary (-1).  Small backward steps (a late
 * line from the previous month) are ordinary disorder, not a new year.
 * Both passes use ks_year_step so they cannot disagree.
 */
#include <string.h>

#include "frame/frame_int.h"

/* The change of year implied by going from month a to month b. */
static int
ks_year_step(int a, int b)
{
	if (a == 0)
		return 0;
	if (b - a <= -6)
		return 1;
	if (b - a >= 6)
		return -1;
	return 0;
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

	used = ks_pri_parse(p, n, &fac, &sev);
	if (ks_bsd_stamp_parse(p + used, n - used, &st) == 0)
		return;
	ys->crossings += ks_year_step(ys->last_month, st.month);
	ys->last_month = st.month;
	ys->last_day = (int)st.day;
	ys->last_sod = st.hour * 3600 + st.min * 60 + st.sec;
	ys->seen = true;
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
ks_year_next(struct ks_year *y, int month, int day)
{
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
		y->last_month = month;
		return y->year;
	}
	y->year += ks_year_step(y->last_month, month);
	y->last_month = month;
	return y->year;
}
