/*
 * time.c - calendar arithmetic, zones, and the time formats kansatsu
 * reads and writes.
 *
 * Logs are read at hundreds of megabytes a second, so the conversions on
 * the per-line path avoid the C library: civil dates become day numbers
 * by arithmetic (the days-from-civil method), the last one remembered in
 * the ks_tz (see ks_tz_days in frame.h), and zone offsets are asked
 * of mktime/localtime only once per half hour of log time and cached in
 * the ks_tz.  The zone itself is process-wide in the C library (TZ), so
 * ks_tz_init sets it once at start-up; a fixed offset ("+09:00", "UTC")
 * needs no rules and bypasses the library altogether.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "frame/frame_int.h"

int64_t
ks_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
ks_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* "+09:00", "-0500", "+9", "UTC", "Z": a fixed offset; false otherwise. */
static bool
parse_fixed_zone(const char *z, int32_t *off)
{
	int sign, h, m = 0;
	size_t n = strlen(z);

	if (strcmp(z, "UTC") == 0 || strcmp(z, "Z") == 0 ||
	    strcmp(z, "GMT") == 0) {
		*off = 0;
		return true;
	}
	if (n < 2 || (z[0] != '+' && z[0] != '-'))
		return false;
	sign = z[0] == '-' ? -1 : 1;
	if (n == 2 || n == 3) {
		if ((h = ks_digits(z + 1, n - 1)) < 0)
			return false;
	} else if (n == 5 && (h = ks_digits2(z + 1)) >= 0 &&
	    (m = ks_digits2(z + 3)) >= 0) {
		;
	} else if (n == 6 && z[3] == ':' && (h = ks_digits2(z + 1)) >= 0 &&
	    (m = ks_digits2(z + 4)) >= 0) {
		;
	} else
		return false;
	if (h > 18 || m > 59)
		return false;
	*off = sign * (h * 3600 + m * 60);
	return true;
}

/* An Olson name must exist in the zone database; a POSIX rule may pass. */
static bool
zone_known(const char *z)
{
	char path[512];
	struct stat st;
	const char *p = z[0] == ':' ? z + 1 : z;

	if (strstr(p, "..") != NULL || p[0] == '\0')
		return false;
	if (p[0] == '/')
		return stat(p, &st) == 0 && S_ISREG(st.st_mode);
	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", p);
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
		return true;
	/* POSIX TZ rule such as "JST-9" or "EST5EDT" */
	size_t i = 0;
	while ((p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= 'a' && p[i] <= 'z'))
		i++;
	return i >= 3 && (ks_isdigit(p[i]) || p[i] == '+' || p[i] == '-');
}

int
ks_tz_init(struct ks_tz *tz, const char *zone, struct ks_err *err)
{
	memset(tz, 0, sizeof(*tz));
	tz->l2u_key = INT64_MIN;
	tz->u2l_key = INT64_MIN;
	(void)ks_tz_days_miss(tz, 1970, 1, 1);
	if (zone != NULL && parse_fixed_zone(zone, &tz->fixed_off)) {
		tz->fixed = true;
		return 0;
	}
	if (zone != NULL) {
		if (!zone_known(zone))
			return ks_err_set(err, "unknown time zone '%s'", zone);
		if (setenv("TZ", zone, 1) != 0)
			return ks_err_set(err, "setenv TZ: %s", strerror(errno));
	}
	tzset();
	return 0;
}

static int64_t
floordiv(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

int32_t
ks_tz_offset_local(struct ks_tz *tz, int64_t local_s)
{
	int64_t key, days, y;
	unsigned mo, d, sod;
	struct tm tm;
	time_t t;

	if (tz->fixed)
		return tz->fixed_off;
	key = floordiv(local_s, 1800);
	if (key == tz->l2u_key)
		return tz->l2u_off;
	days = floordiv(local_s, 86400);
	sod = (unsigned)(local_s - days * 86400);
	ks_civil_from_days(days, &y, &mo, &d);
	memset(&tm, 0, sizeof(tm));
	if (y < INT_MIN + 1900 || y > INT_MAX)
		return 0;
	tm.tm_year = (int)(y - 1900);
	tm.tm_mon = (int)mo - 1;
	tm.tm_mday = (int)d;
	tm.tm_hour = (int)(sod / 3600);
	tm.tm_min = (int)(sod / 60 % 60);
	tm.tm_sec = (int)(sod % 60);
	tm.tm_isdst = -1;
	t = mktime(&tm);
	if (t == (time_t)-1 && tm.tm_year != 69)
		return 0;
	tz->l2u_key = key;
	tz->l2u_off = (int32_t)(local_s - (int64_t)t);
	return tz->l2u_off;
}

int32_t
ks_tz_offset_utc(struct ks_tz *tz, int64_t utc_s)
{
	int64_t key;
	struct tm tm;
	time_t t = (time_t)utc_s;

	if (tz->fixed)
		return tz->fixed_off;
	key = floordiv(utc_s, 1800);
	if (key == tz->u2l_key)
		return tz->u2l_off;
	if (localtime_r(&t, &tm) == NULL)
		return 0;
	tz->u2l_key = key;
	tz->u2l_off = (int32_t)tm.tm_gmtoff;
	return tz->u2l_off;
}

static void
put2(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
}

void
ks_time_format(struct ks_buf *b, int64_t ts_us, int32_t off)
{
	int64_t s = floordiv(ts_us, 1000000), days, y;
	uint32_t us = (uint32_t)(ts_us - s * 1000000);
	unsigned mo, d, sod, aoff;
	char t[40];
	size_t n;

	s += off;
	days = floordiv(s, 86400);
	sod = (unsigned)(s - days * 86400);
	ks_civil_from_days(days, &y, &mo, &d);
	if (y < 0 || y > 9999) {
		ks_buf_addf(b, "%+lld-%02u-%02u", (long long)y, mo, d);
		n = 0;
	} else {
		put2(t, (unsigned)(y / 100));
		put2(t + 2, (unsigned)(y % 100));
		t[4] = '-';
		put2(t + 5, mo);
		t[7] = '-';
		put2(t + 8, d);
		n = 10;
	}
	t[n] = 'T';
	put2(t + n + 1, sod / 3600);
	t[n + 3] = ':';
	put2(t + n + 4, sod / 60 % 60);
	t[n + 6] = ':';
	put2(t + n + 7, sod % 60);
	n += 9;
	if (us != 0) {
		t[n++] = '.';
		for (int i = 5; i >= 0; i--) {
			t[n + (size_t)i] = (char)('0' + us % 10);
			us /= 10;
		}
		n += 6;
	}
	t[n++] = off < 0 ? '-' : '+';
	aoff = (unsigned)(off < 0 ? -off : off);
	put2(t + n, aoff / 3600);
	t[n + 2] = ':';
	put2(t + n + 3, aoff / 60 % 60);
	n += 5;
	ks_buf_add(b, t, n);
}

/*
 * Fraction digits after '.' or ',': microseconds, bytes used.  The first
 * six digits are read as a number and scaled once by what is missing to
 * six; any further digits are passed over.
 */
static size_t
parse_frac(const char *p, size_t n, uint32_t *usec)
{
	static const uint32_t pad[7] = { 0, 100000, 10000, 1000, 100, 10, 1 };
	size_t i = 0;
	uint32_t v = 0;
	unsigned d;

	for (; i < n && i < 6 && (d = (unsigned)(unsigned char)p[i] - '0') <= 9;
	    i++)
		v = v * 10 + d;
	*usec = v * pad[i];
	while (i < n && ks_isdigit(p[i]))
		i++;
	return i;
}

static size_t
parse_zone(const char *p, size_t n, struct ks_iso *out)
{
	int h, m, sign;

	if (n >= 1 && (p[0] == 'Z' || p[0] == 'z')) {
		out->has_zone = true;
		out->off = 0;
		return 1;
	}
	if (n < 3 || (p[0] != '+' && p[0] != '-') || (h = ks_digits2(p + 1)) < 0)
		return 0;
	sign = p[0] == '-' ? -1 : 1;
	if (n >= 6 && p[3] == ':' && (m = ks_digits2(p + 4)) >= 0) {
		out->off = sign * (h * 3600 + m * 60);
		out->has_zone = true;
		return 6;
	}
	if (n >= 5 && (m = ks_digits2(p + 3)) >= 0) {
		out->off = sign * (h * 3600 + m * 60);
		out->has_zone = true;
		return 5;
	}
	out->off = sign * h * 3600;
	out->has_zone = true;
	return 3;
}

size_t
ks_iso_parse(const char *p, size_t n, bool need_time, struct ks_iso *out)
{
	int y, mo, d, h, mi, s = 0;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (n < 10 || p[4] != '-' || p[7] != '-' || (y = ks_digits(p, 4)) < 0 ||
	    (mo = ks_digits2(p + 5)) < 1 || mo > 12 ||
	    (d = ks_digits2(p + 8)) < 1 || d > 31)
		return 0;
	out->year = y;
	out->month = (unsigned)mo;
	out->day = (unsigned)d;
	i = 10;
	if (n < 16 || (p[10] != 'T' && p[10] != ' ' && p[10] != 't') ||
	    p[13] != ':' || (h = ks_digits2(p + 11)) < 0 || h > 23 ||
	    (mi = ks_digits2(p + 14)) < 0 || mi > 59)
		return need_time ? 0 : i;
	i = 16;
	if (i + 3 <= n && p[i] == ':') {
		if ((s = ks_digits2(p + i + 1)) < 0 || s > 60)
			return 0;
		i += 3;
		if (i + 1 < n && (p[i] == '.' || p[i] == ',') &&
		    ks_isdigit(p[i + 1]))
			i += 1 + parse_frac(p + i + 1, n - i - 1, &out->usec);
	}
	out->hour = (unsigned)h;
	out->min = (unsigned)mi;
	out->sec = (unsigned)s;
	out->has_time = true;
	i += parse_zone(p + i, n - i, out);
	return i;
}

/* Computes the day number of a date and makes it the one remembered. */
int64_t
ks_tz_days_miss(struct ks_tz *tz, int64_t y, unsigned m, unsigned d)
{
	tz->day_y = y;
	tz->day_m = m;
	tz->day_d = d;
	tz->day_num = ks_days_from_civil(y, m, d);
	return tz->day_num;
}

void
ks_iso_resolve(const struct ks_iso *iso, struct ks_tz *tz, int64_t *ts_us,
    int32_t *off)
{
	int64_t local = ks_civil_seconds(tz, iso->year, iso->month, iso->day,
	    iso->hour, iso->min, iso->sec);

	*off = iso->has_zone ? iso->off : ks_tz_offset_local(tz, local);
	*ts_us = (local - *off) * 1000000 + iso->usec;
}

int
ks_time_parse_user(const char *s, struct ks_tz *tz, int64_t now_us,
    int64_t *out_us, struct ks_err *err)
{
	struct ks_iso iso;
	size_t n = strlen(s), used;
	char *end;
	long long v;
	int64_t unit;
	int32_t off;

	if (n > 0 && ks_isdigit(s[0]) && strchr("smhdw", s[n - 1]) != NULL &&
	    strspn(s, "0123456789") == n - 1) {
		errno = 0;
		v = strtoll(s, &end, 10);
		switch (s[n - 1]) {
		case 's': unit = 1; break;
		case 'm': unit = 60; break;
		case 'h': unit = 3600; break;
		case 'd': unit = 86400; break;
		default: unit = 7 * 86400; break;
		}
		if (errno != 0 || v > INT64_MAX / 1000000 / unit)
			return ks_err_set(err, "time span '%s' is too large", s);
		*out_us = now_us - (int64_t)v * unit * 1000000;
		return 0;
	}
	used = ks_iso_parse(s, n, false, &iso);
	if (used == 0 || used != n)
		return ks_err_set(err, "cannot read time '%s' (use RFC 3339 "
		    "like 2026-11-21T23:00:00+09:00, a date, or a span like 2h)",
		    s);
	ks_iso_resolve(&iso, tz, out_us, &off);
	return 0;
}
