/*
 * web.c - the logs web and ftp servers write themselves, outside syslog:
 * Apache/nginx access logs (common and combined), the Apache and nginx
 * error logs, and wu-ftpd's xferlog.  None names the host, so the event's
 * host is left empty for the pipeline to fill with the name of the host
 * the logs belong to.  The message is the line after the stamp, whole:
 * the decoders of the detection stage take the fields apart.
 */
#include <string.h>

#include "frame/frame_int.h"

/* "10/Oct/2000:13:55:36 -0700" */
static size_t
parse_clf_stamp(const char *p, size_t n, struct ks_iso *iso)
{
	int d, y, h, mi, s, mo;

	memset(iso, 0, sizeof(*iso));
	if (n < 26 || p[2] != '/' || p[6] != '/' || p[11] != ':' ||
	    p[14] != ':' || p[17] != ':' || p[20] != ' ' ||
	    (d = ks_digits2(p)) < 1 || d > 31 ||
	    (mo = ks_month_from_name(p + 3)) == 0 ||
	    (y = ks_digits(p + 7, 4)) < 0 ||
	    (h = ks_digits2(p + 12)) < 0 || h > 23 ||
	    (mi = ks_digits2(p + 15)) < 0 || mi > 59 ||
	    (s = ks_digits2(p + 18)) < 0 || s > 60)
		return 0;
	iso->year = y;
	iso->month = (unsigned)mo;
	iso->day = (unsigned)d;
	iso->hour = (unsigned)h;
	iso->min = (unsigned)mi;
	iso->sec = (unsigned)s;
	iso->has_time = true;
	if ((p[21] != '+' && p[21] != '-') || (h = ks_digits2(p + 22)) < 0 ||
	    (mi = ks_digits2(p + 24)) < 0)
		return 0;
	iso->has_zone = true;
	iso->off = (p[21] == '-' ? -1 : 1) * (h * 3600 + mi * 60);
	return 26;
}

/*
 * "Wed Oct 11 14:32:52[.123456] 2000": ctime's form, which after the
 * weekday is a BSD syslog stamp followed by the year.
 */
static size_t
parse_ctime(const char *p, size_t n, struct ks_iso *iso)
{
	struct ks_bsd_stamp st;
	size_t i;
	int y;

	memset(iso, 0, sizeof(*iso));
	if (n < 24 || p[3] != ' ' ||
	    (i = ks_bsd_stamp_parse(p + 4, n - 4, &st)) == 0)
		return 0;
	i += 4;
	if (i + 5 > n || p[i] != ' ' || (y = ks_digits(p + i + 1, 4)) < 0)
		return 0;
	*iso = (struct ks_iso){ .year = y, .month = (unsigned)st.month,
	    .day = st.day, .hour = st.hour, .min = st.min, .sec = st.sec,
	    .usec = st.usec, .has_time = true };
	return i + 5;
}

static const char *
skip_token(const char *p, const char *end)
{
	const char *sp = memchr(p, ' ', (size_t)(end - p));

	return sp ? sp + 1 : NULL;
}

bool
ks_frame_access(struct ks_framer *fr, const char *p, size_t n,
    struct ks_event *ev)
{
	const char *s = p, *end = p + n;
	struct ks_iso iso;
	int i;

	for (i = 0; i < 3 && s != NULL; i++)
		s = skip_token(s, end);
	if (s == NULL || end - s < 30 || *s != '[' ||
	    parse_clf_stamp(s + 1, (size_t)(end - s - 1), &iso) == 0 ||
	    s[27] != ']' || s[28] != ' ' || s[29] != '"')
		return false;
	ks_iso_resolve(&iso, fr->tz, &ev->ts_us, &ev->utc_off);
	ev->message = ks_str_make(p, n);
	ev->fmt = KS_FMT_ACCESS;
	return true;
}

/* "[pid 1234" or "[pid 1234:tid 5678]" in Apache 2.4's bracket prefix. */
static int64_t
apache_pid(const char *p, const char *end)
{
	const char *s = p;
	int64_t v = -1;

	while (s < end && *s == '[') {
		if (end - s > 6 && memcmp(s, "[pid ", 5) == 0) {
			for (s += 5, v = 0; s < end && ks_isdigit(*s) &&
			    v < 100000000000; s++)
				v = v * 10 + (*s - '0');
			return v;
		}
		if ((s = memchr(s, ']', (size_t)(end - s))) == NULL)
			return -1;
		s++;
		if (s < end && *s == ' ')
			s++;
	}
	return -1;
}

bool
ks_frame_apache_error(struct ks_framer *fr, const char *p, size_t n,
    struct ks_event *ev)
{
	struct ks_iso iso;
	size_t used;

	if ((used = parse_ctime(p + 1, n - 1, &iso)) == 0 || used + 1 >= n ||
	    p[used + 1] != ']')
		return false;
	used += 2;
	if (used < n && p[used] == ' ')
		used++;
	ks_iso_resolve(&iso, fr->tz, &ev->ts_us, &ev->utc_off);
	ev->message = ks_str_make(p + used, n - used);
	ev->pid = apache_pid(p + used, p + n);
	ev->fmt = KS_FMT_APACHE_ERROR;
	return true;
}

static const struct {
	const char *name;
	int sev;
} nginx_levels[] = {
	{ "[emerg] ", 0 }, { "[alert] ", 1 }, { "[crit] ", 2 },
	{ "[error] ", 3 }, { "[warn] ", 4 }, { "[notice] ", 5 },
	{ "[info] ", 6 }, { "[debug] ", 7 },
};

/* "2026/11/21 23:49:45 [error] 1234#1234: *1 message" */
bool
ks_frame_nginx_error(struct ks_framer *fr, const char *p, size_t n,
    struct ks_event *ev)
{
	struct ks_iso iso = { 0 };
	const char *s, *end = p + n;
	int y, mo, d, h, mi, se;
	size_t i, l;
	int64_t pid = 0;

	if (n < 21 || p[4] != '/' || p[7] != '/' || p[10] != ' ' ||
	    p[13] != ':' || p[16] != ':' || p[19] != ' ' ||
	    (y = ks_digits(p, 4)) < 0 || (mo = ks_digits2(p + 5)) < 1 ||
	    mo > 12 || (d = ks_digits2(p + 8)) < 1 || d > 31 ||
	    (h = ks_digits2(p + 11)) < 0 || h > 23 ||
	    (mi = ks_digits2(p + 14)) < 0 || mi > 59 ||
	    (se = ks_digits2(p + 17)) < 0 || se > 60)
		return false;
	s = p + 20;
	for (i = 0; i < sizeof(nginx_levels) / sizeof(nginx_levels[0]); i++) {
		l = strlen(nginx_levels[i].name);
		if ((size_t)(end - s) >= l &&
		    memcmp(s, nginx_levels[i].name, l) == 0)
			break;
	}
	if (i == sizeof(nginx_levels) / sizeof(nginx_levels[0]))
		return false;
	ev->severity = nginx_levels[i].sev;
	s += l;
	for (l = 0; s + l < end && ks_isdigit(s[l]) && l < 10; l++)
		pid = pid * 10 + (s[l] - '0');
	if (l > 0 && s + l < end && s[l] == '#') {
		ev->pid = pid;
		while (s < end && *s != ':')
			s++;
		s += (end - s >= 2) ? 2 : end - s;
	}
	iso = (struct ks_iso){ .year = y, .month = (unsigned)mo,
	    .day = (unsigned)d, .hour = (unsigned)h, .min = (unsigned)mi,
	    .sec = (unsigned)se, .has_time = true };
	ks_iso_resolve(&iso, fr->tz, &ev->ts_us, &ev->utc_off);
	ev->message = ks_str_make(s, (size_t)(end - s));
	ev->fmt = KS_FMT_NGINX_ERROR;
	return true;
}

/* "Mon Jan 20 12:58:29 2003 1 host.example 1234 /path b _ o a user ftp 0 * c" */
bool
ks_frame_xferlog(struct ks_framer *fr, const char *p, size_t n,
    struct ks_event *ev)
{
	struct ks_iso iso;
	size_t used;

	if ((used = parse_ctime(p, n, &iso)) == 0 || used >= n ||
	    p[used] != ' ')
		return false;
	used++;
	ks_iso_resolve(&iso, fr->tz, &ev->ts_us, &ev->utc_off);
	ev->message = ks_str_make(p + used, n - used);
	ev->fmt = KS_FMT_XFERLOG;
	return true;
}
