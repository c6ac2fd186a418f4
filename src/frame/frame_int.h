/*
 * frame_int.h - what the framer's files share and nobody else needs:
 * the stamp parsers (RFC 3164, ISO 8601/RFC 3339) that the year pre-scan
 * and the user-time parser use too, and the per-format framers that
 * frame.c dispatches to.
 */
#ifndef KS_FRAME_INT_H
#define KS_FRAME_INT_H

#include "frame/frame.h"

/* A parsed ISO 8601 / RFC 3339 stamp. */
struct ks_iso {
	int64_t year;
	unsigned month, day, hour, min, sec;
	uint32_t usec;
	bool has_time;
	bool has_zone;
	int32_t off;            /* seconds east of UTC, when has_zone */
};

/*
 * Parses "YYYY-MM-DD[(T| )HH:MM[:SS[(.|,)frac]][Z|(+|-)HH[:]MM]]" at p.
 * Returns the number of bytes used, 0 when p does not start with one.
 * need_time: a date alone is not enough.
 */
size_t ks_iso_parse(const char *p, size_t n, bool need_time,
    struct ks_iso *out);

/* Parses "Mmm dd hh:mm:ss[.frac]"; bytes used or 0. */
struct ks_bsd_stamp {
	int month;
	unsigned day, hour, min, sec;
	uint32_t usec;
};
size_t ks_bsd_stamp_parse(const char *p, size_t n, struct ks_bsd_stamp *out);

/*
 * Seconds since the epoch of a civil time, as if it were UTC, its date's
 * day number remembered in tz (ks_tz_days): every stamped line asks.
 */
static inline int64_t
ks_civil_seconds(struct ks_tz *tz, int64_t y, unsigned mo, unsigned d,
    unsigned h, unsigned mi, unsigned s)
{
	return ks_tz_days(tz, y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

/* Resolves an ISO stamp to UTC microseconds and the offset to show. */
void ks_iso_resolve(const struct ks_iso *iso, struct ks_tz *tz,
    int64_t *ts_us, int32_t *off);

/* Parses a leading "<PRI>": bytes used (0 if none), facility, severity. */
size_t ks_pri_parse(const char *p, size_t n, int *fac, int *sev);

/* "HOST TAG[PID]: MSG" after a stamp; never fails. */
void ks_syslog_rest(const char *p, size_t n, struct ks_event *ev);

bool ks_frame_rfc3164(struct ks_framer *fr, const char *p, size_t n,
    struct ks_event *ev);
bool ks_frame_iso(struct ks_framer *fr, const char *p, size_t n,
    struct ks_event *ev);
bool ks_frame_rfc5424(struct ks_framer *fr, const char *p, size_t n,
    struct ks_event *ev);
bool ks_frame_access(struct ks_framer *fr, const char *p, size_t n,
    struct ks_event *ev);
bool ks_frame_apache_error(struct ks_framer *fr, const char *p, size_t n,
    struct ks_event *ev);
bool ks_frame_nginx_error(struct ks_framer *fr, const char *p, size_t n,
    struct ks_event *ev);
bool ks_frame_xferlog(struct ks_framer *fr, const char *p, size_t n,
    struct ks_event *ev);

/* Reads exactly w digits at p; -1 when they are not all digits. */
static inline int
ks_digits(const char *p, size_t w)
{
	int v = 0;

	for (size_t i = 0; i < w; i++) {
		if (!ks_isdigit(p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

/*
 * ks_digits(p, 2), the width of every field of a stamp but the year: a
 * stamp has five or six of them, so they are read without a loop, both
 * bytes tested at once (an unsigned difference above 9 is no digit).
 */
static inline int
ks_digits2(const char *p)
{
	unsigned a = (unsigned)(unsigned char)p[0] - '0';
	unsigned b = (unsigned)(unsigned char)p[1] - '0';

	if ((a > 9) | (b > 9))
		return -1;
	return (int)(a * 10 + b);
}

#endif
