/*
 * syslog.c - BSD syslog (RFC 3164) and ISO-stamped syslog (RFC 3339 as
 * rsyslog writes it, and ISO 8601 with a space), which share the part
 * after the stamp: "HOST TAG[PID]: MESSAGE".
 *
 * Real syslogds bend RFC 3164 in many ways and every one of them appears
 * in the seeds or in peers' bug trackers: no pid, a version after the tag
 * ("syslogd 1.3-3: restart."), no tag at all ("exiting on signal 15"),
 * an inserted facility.priority, Solaris's "[ID 123456 auth.info]", and
 * "last message repeated N times".  The parser accepts them all and never
 * fails once the stamp is read: a line with a stamp and a host is framed,
 * whatever follows.
 */
#include <string.h>

#include "frame/frame_int.h"

static const char *const facility_names[] = {
	"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
	"uucp", "cron", "authpriv", "ftp", "ntp", "security", "console",
	"solaris-cron", "local0", "local1", "local2", "local3", "local4",
	"local5", "local6", "local7",
};

static const char *const severity_names[] = {
	"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug",
};

static int
name_index(const char *const *names, size_t count, const char *p, size_t n)
{
	for (size_t i = 0; i < count; i++)
		if (strlen(names[i]) == n && memcmp(names[i], p, n) == 0)
			return (int)i;
	return -1;
}

/* A small decimal number, or -1. */
static int
small_number(const char *p, size_t n)
{
	int v = 0;

	if (n == 0 || n > 3)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!ks_isdigit(p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

static int
severity_from_name(const char *p, size_t n)
{
	int v = name_index(severity_names, 8, p, n);

	if (v >= 0)
		return v;
	if (n == 5 && memcmp(p, "error", 5) == 0)
		return 3;
	if (n == 4 && memcmp(p, "warn", 4) == 0)
		return 4;
	if (n == 5 && memcmp(p, "panic", 5) == 0)
		return 0;
	return -1;
}

/* Whether c can end a severity: a digit or a lower-case letter. */
static inline bool
sev_end(char c)
{
	return ks_isdigit(c) || (c >= 'a' && c <= 'z');
}

/*
 * "auth.info" or FreeBSD's numeric "10.5" (optionally in <>): facility
 * and severity, true if both are known.  A severity is a name or digits,
 * so a token ending otherwise (a tag's ':' after every host) is no
 * facility.priority, and is turned away before the search for the dot.
 */
static bool
parse_facpri(const char *p, size_t n, struct ks_event *ev)
{
	const char *dot;
	int fac, sev;

	if (n >= 2 && p[0] == '<' && p[n - 1] == '>') {
		p++;
		n -= 2;
	}
	if (n == 0 || !sev_end(p[n - 1]) || (dot = memchr(p, '.', n)) == NULL)
		return false;
	fac = name_index(facility_names, 24, p, (size_t)(dot - p));
	sev = severity_from_name(dot + 1, n - (size_t)(dot - p) - 1);
	if (fac < 0 && sev < 0) {
		fac = small_number(p, (size_t)(dot - p));
		sev = small_number(dot + 1, n - (size_t)(dot - p) - 1);
		if (fac > 23 || sev > 7)
			return false;
	}
	if (fac < 0 || sev < 0)
		return false;
	ev->facility = fac;
	ev->severity = sev;
	return true;
}

static size_t
token_len(const char *p, size_t n)
{
	const char *sp = memchr(p, ' ', n);

	return sp ? (size_t)(sp - p) : n;
}

/* A tag-like first token ("sshd[1]:", "kernel:"): the host was left out. */
static bool
looks_like_tag(const char *p, size_t n)
{
	return n > 1 && p[n - 1] == ':' &&
	    (memchr(p, '[', n) != NULL || memchr(p, ':', n - 1) == NULL) &&
	    memchr(p, '.', n) == NULL;
}

/* "1.3-3:" after a tag: syslogd's version, not part of the message. */
static size_t
version_token(const char *p, size_t n)
{
	size_t t = token_len(p, n);

	if (t < 2 || !ks_isdigit(p[0]) || p[t - 1] != ':')
		return 0;
	for (size_t i = 0; i < t - 1; i++)
		if (!ks_isdigit(p[i]) && p[i] != '.' && p[i] != '-' &&
		    !(p[i] >= 'a' && p[i] <= 'z'))
			return 0;
	return t;
}

/* The bytes that end a tag's name. */
static const bool tag_end[256] = { [' '] = true, ['['] = true, [':'] = true };

/* Parses "TAG[PID]: " at p; bytes used up to the message, 0 if no tag. */
static size_t
parse_tag(const char *p, size_t n, struct ks_event *ev)
{
	size_t j = 0, k, v, lim = n < 65 ? n : 65;
	int64_t pid = -1, acc = 0;
	unsigned d;

	while (j < lim && !tag_end[(unsigned char)p[j]])
		j++;
	if (j == 0 || j > 64 || j == n)
		return 0;
	if (p[j] == ':') {
		k = j + 1;
	} else if (p[j] == '[') {
		/*
		 * the digits of a pid, at most 12, with one bound and one
		 * compare a byte; then, rarely, anything else up to ']'
		 */
		lim = n < j + 13 ? n : j + 13;
		for (k = j + 1; k < lim && (d = (unsigned char)p[k] - '0') <= 9;
		    k++)
			acc = acc * 10 + d;
		if ((v = k - j - 1) > 0)
			pid = acc;
		lim = n < j + 24 ? n : j + 24;
		for (; k < lim && p[k] != ']'; k++) {
			if (ks_isdigit(p[k]) && v < 12) {
				pid = (pid < 0 ? 0 : pid) * 10 + (p[k] - '0');
				v++;
			} else
				pid = -2;
		}
		if (k >= n || p[k] != ']')
			return 0;
		k++;
		if (k < n && p[k] == ':')
			k++;
		else if (k < n && p[k] != ' ')
			return 0;
	} else {
		if ((v = version_token(p + j + 1, n - j - 1)) == 0)
			return 0;
		k = j + 1 + v;
	}
	ev->program = ks_str_make(p, j);
	ev->pid = pid >= 0 ? pid : -1;
	if (k < n && p[k] == ' ')
		k++;
	return k;
}

/* Solaris: "[ID 800047 auth.info] message". */
static void
solaris_id(struct ks_event *ev)
{
	const char *p = ev->message.p, *end, *sp;
	size_t n = ev->message.n, in;

	if (n < 6 || memcmp(p, "[ID ", 4) != 0)
		return;
	if ((end = memchr(p, ']', n < 80 ? n : 80)) == NULL)
		return;
	in = (size_t)(end - p) - 1;
	if ((sp = memchr(p + 4, ' ', in - 3)) != NULL)
		parse_facpri(sp + 1, (size_t)(end - sp - 1), ev);
	ev->msgid = ks_str_make(p + 1, sp ? (size_t)(sp - p - 1) : in);
	p = end + 1;
	if (p < ev->message.p + n && *p == ' ')
		p++;
	ev->message = ks_str_make(p, n - (size_t)(p - ev->message.p));
}

static uint32_t
leading_count(const char *p, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n && i < 10 && ks_isdigit(p[i]); i++)
		v = v * 10 + (uint64_t)(p[i] - '0');
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

static void
repeat_count(struct ks_event *ev)
{
	static const char last[] = "last message repeated ";
	static const char rs[] = "message repeated ";
	const char *p = ev->message.p;
	size_t n = ev->message.n;

	if (n > sizeof(last) && memcmp(p, last, sizeof(last) - 1) == 0)
		ev->repeat = leading_count(p + sizeof(last) - 1,
		    n - sizeof(last) + 1);
	else if (n > sizeof(rs) && memcmp(p, rs, sizeof(rs) - 1) == 0)
		ev->repeat = leading_count(p + sizeof(rs) - 1,
		    n - sizeof(rs) + 1);
}

void
ks_syslog_rest(const char *p, size_t n, struct ks_event *ev)
{
	size_t i = 0, t, used;

	while (i < n && p[i] == ' ')
		i++;
	t = token_len(p + i, n - i);
	if (t > 0 && p[i] == '<' && parse_facpri(p + i, t, ev)) {
		i += t;
		while (i < n && p[i] == ' ')
			i++;
		t = token_len(p + i, n - i);
	}
	if (!looks_like_tag(p + i, t)) {
		ev->host = ks_str_make(p + i, t);
		i += t;
		if (i < n)
			i++;
		t = token_len(p + i, n - i);
		/* after a host, a tag's ':' is turned away before the call */
		if (t > 0 && t < n - i && (sev_end(p[i + t - 1]) ||
		    p[i + t - 1] == '>') && parse_facpri(p + i, t, ev))
			i += t + 1;
	}
	used = parse_tag(p + i, n - i, ev);
	ev->message = ks_str_make(p + i + used, n - i - used);
	solaris_id(ev);
	if (ev->message.n > 16 && (ev->message.p[0] == 'l' ||
	    ev->message.p[0] == 'm'))
		repeat_count(ev);
}

bool
ks_frame_rfc3164(struct ks_framer *fr, const char *p, size_t n,
    struct ks_event *ev)
{
	struct ks_bsd_stamp st;
	size_t used;
	int64_t local;
	int year;

	if ((used = ks_bsd_stamp_parse(p, n, &st)) == 0)
		return false;
	if (used < n && p[used] != ' ')
		return false;
	year = ks_year_next(&fr->year, st.month, (int)st.day,
	    st.hour * 3600 + st.min * 60 + st.sec);
	local = ks_civil_seconds(fr->tz, year, (unsigned)st.month, st.day,
	    st.hour, st.min, st.sec);
	ev->utc_off = ks_tz_offset_local(fr->tz, local);
	ev->ts_us = (local - ev->utc_off) * 1000000 + st.usec;
	ev->fmt = KS_FMT_RFC3164;
	if (used < n)
		ks_syslog_rest(p + used + 1, n - used - 1, ev);
	return true;
}

bool
ks_frame_iso(struct ks_framer *fr, const char *p, size_t n,
    struct ks_event *ev)
{
	struct ks_iso iso;
	size_t used;

	if ((used = ks_iso_parse(p, n, true, &iso)) == 0)
		return false;
	if (used < n && p[used] != ' ')
		return false;
	ks_iso_resolve(&iso, fr->tz, &ev->ts_us, &ev->utc_off);
	ev->fmt = p[10] == 'T' && iso.has_zone ? KS_FMT_RFC3339 :
	    KS_FMT_ISO8601;
	if (used < n)
		ks_syslog_rest(p + used + 1, n - used - 1, ev);
	return true;
}
