/*
 * frame.c - choosing the header format of a line, and the lexing the
 * formats share (months, <PRI>, the BSD stamp).
 *
 * The first byte of a line is enough to choose among the formats almost
 * always, so dispatch is a switch on it rather than a series of attempts:
 * a letter starts an RFC 3164 stamp (or an xferlog weekday, or an access
 * log with a host name), a digit an ISO stamp, an nginx error stamp or an
 * access log's client address, '<' a priority, '[' an Apache error log.
 */
#include <string.h>

#include "frame/frame_int.h"

const char *
ks_fmt_name(enum ks_fmt f)
{
	switch (f) {
	case KS_FMT_RFC3164: return "rfc3164";
	case KS_FMT_RFC3339: return "rfc3339";
	case KS_FMT_RFC5424: return "rfc5424";
	case KS_FMT_ISO8601: return "iso8601";
	case KS_FMT_ACCESS: return "access";
	case KS_FMT_APACHE_ERROR: return "apache-error";
	case KS_FMT_NGINX_ERROR: return "nginx-error";
	case KS_FMT_XFERLOG: return "xferlog";
	case KS_FMT_JOURNAL: return "journal";
	case KS_FMT_NONE: break;
	}
	return "none";
}

int
ks_month_from_name(const char *p)
{
	/* case-sensitive as syslogd writes them, lower case also seen */
	char a = (char)(p[0] | 0x20), b = (char)(p[1] | 0x20),
	    c = (char)(p[2] | 0x20);

	switch (a) {
	case 'j':
		if (b == 'a' && c == 'n') return 1;
		if (b == 'u' && c == 'n') return 6;
		if (b == 'u' && c == 'l') return 7;
		return 0;
	case 'f': return b == 'e' && c == 'b' ? 2 : 0;
	case 'm':
		if (b != 'a') return 0;
		return c == 'r' ? 3 : c == 'y' ? 5 : 0;
	case 'a':
		if (b == 'p' && c == 'r') return 4;
		if (b == 'u' && c == 'g') return 8;
		return 0;
	case 's': return b == 'e' && c == 'p' ? 9 : 0;
	case 'o': return b == 'c' && c == 't' ? 10 : 0;
	case 'n': return b == 'o' && c == 'v' ? 11 : 0;
	case 'd': return b == 'e' && c == 'c' ? 12 : 0;
	default: return 0;
	}
}

size_t
ks_pri_parse(const char *p, size_t n, int *fac, int *sev)
{
	size_t i = 1;
	int v = 0;

	if (n < 3 || p[0] != '<')
		return 0;
	while (i < n && i <= 4 && ks_isdigit(p[i]))
		v = v * 10 + (p[i++] - '0');
	if (i == 1 || i >= n || p[i] != '>' || v > 191)
		return 0;
	*fac = v / 8;
	*sev = v % 8;
	return i + 1;
}

size_t
ks_bsd_stamp_parse(const char *p, size_t n, struct ks_bsd_stamp *out)
{
	size_t i;
	int d, h, mi, s;

	if (n < 15 || p[3] != ' ' || (out->month = ks_month_from_name(p)) == 0)
		return 0;
	/* "Jan  3", "Jan 03", "Jan 3" */
	i = 4;
	if (p[i] == ' ')
		i++;
	if (!ks_isdigit(p[i]))
		return 0;
	d = p[i++] - '0';
	if (ks_isdigit(p[i]))
		d = d * 10 + (p[i++] - '0');
	if (d < 1 || d > 31 || i + 9 > n || p[i] != ' ' || p[i + 3] != ':' ||
	    p[i + 6] != ':' || (h = ks_digits2(p + i + 1)) < 0 || h > 23 ||
	    (mi = ks_digits2(p + i + 4)) < 0 || mi > 59 ||
	    (s = ks_digits2(p + i + 7)) < 0 || s > 60)
		return 0;
	i += 9;
	out->day = (unsigned)d;
	out->hour = (unsigned)h;
	out->min = (unsigned)mi;
	out->sec = (unsigned)s;
	out->usec = 0;
	if (i + 1 < n && p[i] == '.' && ks_isdigit(p[i + 1])) {
		uint32_t scale = 100000;

		for (i++; i < n && ks_isdigit(p[i]); i++) {
			out->usec += (uint32_t)(p[i] - '0') * scale;
			scale /= 10;
		}
	}
	return i;
}

void
ks_framer_init(struct ks_framer *fr, struct ks_tz *tz, int first_year,
    bool year_fixed)
{
	memset(fr, 0, sizeof(*fr));
	fr->tz = tz;
	ks_year_init(&fr->year, first_year, year_fixed);
}

void
ks_framer_set_ref(struct ks_framer *fr, const struct tm *ref)
{
	if (!fr->year.fixed)
		ks_year_init_ref(&fr->year, ref);
}

/*
 * Every string field starts as an empty slice of the line itself, never
 * NULL, so that the decoders can do pointer arithmetic on any of them.
 */
static void
event_reset(struct ks_event *ev, const char *p, size_t n)
{
	ev->ts_us = 0;
	ev->utc_off = 0;
	ev->fmt = KS_FMT_NONE;
	ev->host = ev->program = ev->message = ks_str_make(p, 0);
	ev->sdata = ev->msgid = ks_str_make(p, 0);
	ev->pid = -1;
	ev->facility = ev->severity = -1;
	ev->repeat = 0;
	ev->cursor = NULL;
	ev->raw = ks_str_make(p, n);
}

/* After a <PRI>: RFC 5424 ("1 "), else a BSD or ISO stamp. */
static bool
frame_after_pri(struct ks_framer *fr, const char *p, size_t n,
    struct ks_event *ev)
{
	if (n >= 2 && p[0] == '1' && p[1] == ' ')
		return ks_frame_rfc5424(fr, p, n, ev);
	if (n > 0 && ks_isdigit(p[0]))
		return ks_frame_iso(fr, p, n, ev);
	return ks_frame_rfc3164(fr, p, n, ev);
}

bool
ks_frame_line(struct ks_framer *fr, const char *p, size_t n,
    struct ks_event *ev)
{
	size_t used;
	int fac, sev;

	event_reset(ev, p, n);
	if (n == 0)
		return false;
	switch (p[0]) {
	case '<':
		if ((used = ks_pri_parse(p, n, &fac, &sev)) == 0)
			return false;
		if (!frame_after_pri(fr, p + used, n - used, ev))
			return false;
		if (ev->facility < 0) {
			ev->facility = fac;
			ev->severity = sev;
		}
		ev->raw = ks_str_make(p, n);
		return true;
	case '[':
		return ks_frame_apache_error(fr, p, n, ev);
	case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return ks_frame_iso(fr, p, n, ev) ||
		    ks_frame_nginx_error(fr, p, n, ev) ||
		    ks_frame_access(fr, p, n, ev);
	default:
		return ks_frame_rfc3164(fr, p, n, ev) ||
		    ks_frame_xferlog(fr, p, n, ev) ||
		    ks_frame_access(fr, p, n, ev);
	}
}
