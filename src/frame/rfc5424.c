/*
 * rfc5424.c - the IETF syslog format:
 *   <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD...] MSG
 * The caller has consumed <PRI>; this file reads from the version on.
 * Structured data is kept as one slice (its escapes make it unsafe to cut
 * further here); a line whose timestamp is the nil value "-" cannot be
 * placed in time and is left unframed, to be counted, never stamped with
 * the time of reading.
 */
#include <string.h>

#include "frame/frame_int.h"

/* Next space-separated field; "-" is the nil value (an empty slice). */
static bool
next_field(const char **p, const char *end, struct ks_str *out)
{
	const char *s = *p, *sp;

	if (s >= end)
		return false;
	sp = memchr(s, ' ', (size_t)(end - s));
	if (sp == NULL)
		return false;
	*out = (sp - s == 1 && *s == '-') ? ks_str_make(s, 0) :
	    ks_str_make(s, (size_t)(sp - s));
	*p = sp + 1;
	return true;
}

/* Length of the structured data at p ("-" or "[...][...]"), 0 if bad. */
static size_t
sd_len(const char *p, const char *end)
{
	const char *s = p;
	bool quoted = false;

	if (s < end && *s == '-')
		return 1;
	while (s < end && *s == '[') {
		for (s++; s < end; s++) {
			if (quoted && *s == '\\' && s + 1 < end)
				s++;
			else if (*s == '"')
				quoted = !quoted;
			else if (!quoted && *s == ']')
				break;
		}
		if (s >= end)
			return 0;
		s++;
	}
	return (size_t)(s - p);
}

static int64_t
parse_procid(struct ks_str s)
{
	int64_t v = 0;

	if (s.n == 0 || s.n > 10)
		return -1;
	for (size_t i = 0; i < s.n; i++) {
		if (!ks_isdigit(s.p[i]))
			return -1;
		v = v * 10 + (s.p[i] - '0');
	}
	return v;
}

bool
ks_frame_rfc5424(struct ks_framer *fr, const char *p, size_t n,
    struct ks_event *ev)
{
	const char *s = p + 2, *end = p + n;
	struct ks_str stamp, procid;
	struct ks_iso iso;
	size_t sd;

	if (!next_field(&s, end, &stamp) || stamp.n == 0 ||
	    ks_iso_parse(stamp.p, stamp.n, true, &iso) != stamp.n)
		return false;
	if (!next_field(&s, end, &ev->host) ||
	    !next_field(&s, end, &ev->program) ||
	    !next_field(&s, end, &procid) || !next_field(&s, end, &ev->msgid))
		return false;
	if ((sd = sd_len(s, end)) == 0)
		return false;
	ev->sdata = (sd == 1 && *s == '-') ? ks_str_make(s, 0) :
	    ks_str_make(s, sd);
	s += sd;
	if (s < end && *s == ' ')
		s++;
	else if (s < end)
		return false;
	if (end - s >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	ev->message = ks_str_make(s, (size_t)(end - s));
	ev->pid = parse_procid(procid);
	ks_iso_resolve(&iso, fr->tz, &ev->ts_us, &ev->utc_off);
	ev->fmt = KS_FMT_RFC5424;
	return true;
}
