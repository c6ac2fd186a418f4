/*
 * cron.c - one crontab line: blank or comment, an environment setting,
 * or an entry with its schedule, its user (in /etc/crontab and
 * /etc/cron.d, which name one) and its command.
 *
 * Vixie cron's format, which cronie and Debian's cron share: five time
 * fields (digits, '*', ',', '-', '/', and month or day names) or one
 * @-keyword (@reboot, @daily, ...), then the command up to the end of
 * the line.  The parser is strict about the fields and hands back slices
 * of the line; a line it cannot read is BAD and is reported by the
 * caller with its number, since cron would reject it too and an odd
 * line is worth a look.
 */
#include <string.h>

#include "host/host_int.h"

static bool
space(char c)
{
	return c == ' ' || c == '\t';
}

static const char *
skip_space(const char *p, const char *end)
{
	while (p < end && space(*p))
		p++;
	return p;
}

/* The next space-separated field as a slice; p moves past it. */
static struct ks_str
next_field(const char **p, const char *end)
{
	const char *s = skip_space(*p, end), *e = s;

	while (e < end && !space(*e))
		e++;
	*p = e;
	return ks_str_make(s, (size_t)(e - s));
}

static bool
time_field(struct ks_str f)
{
	if (f.n == 0)
		return false;
	for (size_t i = 0; i < f.n; i++) {
		char c = f.p[i];

		if (!(ks_isdigit(c) || c == '*' || c == ',' || c == '-' ||
		    c == '/' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
			return false;
	}
	return true;
}

static bool
keyword(struct ks_str f)
{
	static const char *const words[] = { "@reboot", "@yearly", "@annually",
	    "@monthly", "@weekly", "@daily", "@midnight", "@hourly" };

	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (ks_str_eq(f, words[i]))
			return true;
	return false;
}

static bool
is_env(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && ((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z') ||
	    ks_isdigit(*q) || *q == '_'))
		q++;
	if (q == p || ks_isdigit(*p))
		return false;
	q = skip_space(q, end);
	return q < end && *q == '=';
}

enum ks_cron_line
ks_cron_parse(const char *p, size_t n, bool system, struct ks_cron_entry *e)
{
	const char *end = p + n, *start;
	struct ks_str f;

	memset(e, 0, sizeof(*e));
	while (end > p && (end[-1] == '\r' || space(end[-1])))
		end--;
	p = skip_space(p, end);
	if (p == end || *p == '#')
		return KS_CRON_BLANK;
	if (is_env(p, end))
		return KS_CRON_ENV;
	start = p;
	f = next_field(&p, end);
	if (f.p[0] == '@') {
		if (!keyword(f))
			return KS_CRON_BAD;
	} else {
		for (int i = 0; i < 5; i++) {
			if (!time_field(f))
				return KS_CRON_BAD;
			if (i < 4)
				f = next_field(&p, end);
		}
	}
	e->schedule = ks_str_make(start, (size_t)(p - start));
	if (system) {
		e->user = next_field(&p, end);
		if (e->user.n == 0)
			return KS_CRON_BAD;
	}
	p = skip_space(p, end);
	if (p == end)
		return KS_CRON_BAD;
	e->command = ks_str_make(p, (size_t)(end - p));
	return KS_CRON_ENTRY;
}
