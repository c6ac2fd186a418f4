/*
 * test_year.c - the year of RFC 3164 lines and the time arithmetic under
 * it: New Year crossings in both directions, the mtime anchor, streams,
 * zones with daylight saving, and the --since/--until parser.  The
 * pre-scan's chunked scanner is checked against the line-by-line one fed
 * by ks_lines, on random and hostile data cut into chunks of every size.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "frame/frame.h"
#include "input/input.h"

static struct tm
tm_of(int y, int m, int d)
{
	struct tm t;

	memset(&t, 0, sizeof(t));
	t.tm_year = y - 1900;
	t.tm_mon = m - 1;
	t.tm_mday = d;
	return t;
}

static int
first_year(const char *const *lines, size_t n, struct tm ref)
{
	struct ks_yearscan ys;

	ks_yearscan_init(&ys);
	for (size_t i = 0; i < n; i++)
		ks_yearscan_line(&ys, lines[i], strlen(lines[i]));
	return ks_yearscan_first_year(&ys, &ref);
}

static void
test_new_year(void **state)
{
	const char *lines[] = {
		"Dec 31 23:59:59 h a: x",
		"Jan  1 00:00:01 h a: y",
	};
	struct ks_year y;

	(void)state;
	/* mtime in January 2004: the file ends in 2004, so it began in 2003 */
	assert_int_equal(first_year(lines, 2, tm_of(2004, 1, 1)), 2003);
	ks_year_init(&y, 2003, false);
	assert_int_equal(ks_year_next(&y, 12, 31, 86399), 2003);
	assert_int_equal(ks_year_next(&y, 1, 1, 1), 2004);
	assert_int_equal(ks_year_next(&y, 1, 1, 2), 2004);
	/* an out-of-order late line from December goes back a year */
	assert_int_equal(ks_year_next(&y, 12, 31, 86398), 2003);
	assert_int_equal(ks_year_next(&y, 1, 2, 0), 2004);
	/* a sparse log: February, then December of the same year */
	assert_int_equal(ks_year_next(&y, 2, 1, 0), 2004);
	assert_int_equal(ks_year_next(&y, 12, 1, 0), 2004);
	/* a long gap across New Year: July, then March */
	assert_int_equal(ks_year_next(&y, 7, 1, 0), 2005);
	assert_int_equal(ks_year_next(&y, 3, 1, 0), 2006);
}

static void
test_mtime_anchor(void **state)
{
	const char *lines[] = { "Jan 20 12:58:29 school sshd[399]: x" };
	const char *late[] = { "Dec 30 10:00:00 h a: x" };
	const char *three[] = {
		"Nov  1 00:00:00 h a: x", "Dec  1 00:00:00 h a: x",
		"Jan  1 00:00:00 h a: x", "Feb  1 00:00:00 h a: x",
		"Dec  1 00:00:00 h a: x", "Jan  5 00:00:00 h a: x",
	};
	const char *gap[] = {
		"Jul  1 00:00:00 h a: x", "Mar  1 00:00:00 h a: x",
	};

	(void)state;
	/* read months later: the mtime's year, not the reading's */
	assert_int_equal(first_year(lines, 1, tm_of(2003, 1, 20)), 2003);
	/* last line after the mtime's date: it was last year */
	assert_int_equal(first_year(late, 1, tm_of(2004, 1, 2)), 2003);
	/* a day of slack for zone differences */
	assert_int_equal(first_year(lines, 1, tm_of(2003, 1, 19)), 2003);
	/* Nov 2001 .. Feb 2002, Dec 2002 .. Jan 2003: two crossings */
	assert_int_equal(first_year(three, 6, tm_of(2003, 1, 6)), 2001);
	/* July, then (after a long gap) March: a crossing */
	assert_int_equal(first_year(gap, 2, tm_of(2003, 3, 2)), 2002);
	/* no RFC 3164 line at all: the reference year */
	assert_int_equal(first_year(NULL, 0, tm_of(1998, 3, 22)), 1998);
}

static void
test_disorder(void **state)
{
	const char *lines[] = {
		"Feb  1 00:00:01 h a: x",
		"Jan 31 23:59:59 h a: late by two seconds",
		"Feb  1 00:00:02 h a: y",
		"garbage that is not a stamp",
		"<13>Mar  1 00:00:00 h a: with a priority",
	};

	(void)state;
	assert_int_equal(first_year(lines, 5, tm_of(2010, 3, 1)), 2010);
}

/* xorshift64: the same hostile data on every run. */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void
add_text(struct ks_buf *b, uint64_t *seed, const char *s)
{
	static const char bytes[] = "ab: []<>.0123456789\r\t\n\0";
	size_t n = strlen(s), at;

	if (rnd(seed) % 8 != 0) {
		ks_buf_add(b, s, n);
		return;
	}
	/* a stamp or text with one byte changed or cut short */
	at = (size_t)(rnd(seed) % (n + 1));
	ks_buf_add(b, s, at);
	if (rnd(seed) % 2)
		ks_buf_addc(b, bytes[rnd(seed) % (sizeof(bytes) - 1)]);
	else if (at < n)
		ks_buf_add(b, s + at + 1, n - at - 1);
}

/* One line of a log whose dates jump around, or of something else. */
static void
hostile_line(struct ks_buf *b, uint64_t *seed)
{
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "jan",
	    "DEC", "Foo", "Ja" };
	static const char *const pris[] = { "", "", "", "<13>", "<191>",
	    "<192>", "<1", "<>", "<0013>" };
	static const char *const tails[] = { " h sshd[1]: x", "", "\r",
	    ".123456 h a: y", " h a: z\r", "\t", " ", ".", "x" };
	char stamp[64];
	size_t long_n;

	switch (rnd(seed) % 16) {
	case 0:
		return;         /* an empty line */
	case 1:
		add_text(b, seed, "2026-10-01T00:00:02+09:00 h a: iso");
		return;
	case 2:
		/* longer than KS_LINE_MAX, or a head cut by a chunk */
		long_n = rnd(seed) % 2 ? KS_LINE_MAX + 100 : rnd(seed) % 40;
		for (size_t i = 0; i < long_n; i++)
			ks_buf_addc(b, (char)('0' + i % 10));
		return;
	default:
		break;
	}
	snprintf(stamp, sizeof(stamp), "%s%s %s%u %02u:%02u:%02u",
	    pris[rnd(seed) % 9], months[rnd(seed) % 16],
	    rnd(seed) % 2 ? " " : "", (unsigned)(rnd(seed) % 33),
	    (unsigned)(rnd(seed) % 25), (unsigned)(rnd(seed) % 61),
	    (unsigned)(rnd(seed) % 62));
	add_text(b, seed, stamp);
	add_text(b, seed, tails[rnd(seed) % 9]);
}

/* The pre-scan as it was: a stream cut into lines by ks_lines. */
static void
scan_by_lines(int fd, struct ks_yearscan *ys)
{
	struct ks_stream *s;
	struct ks_lines *l;
	struct ks_line line;

	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(ks_stream_open_fd(&s, dup(fd), NULL), 0);
	assert_int_equal(ks_lines_open(&l, s, NULL), 0);
	ks_yearscan_init(ys);
	while (ks_lines_next(l, &line, NULL) > 0)
		ks_yearscan_line(ys, line.p, line.n);
	ks_lines_close(l);
}

static void
scan_by_chunks(const struct ks_buf *b, size_t most, uint64_t *seed,
    struct ks_yearscan *ys)
{
	size_t at = 0, n;

	ks_yearscan_init(ys);
	while (at < b->len) {
		n = 1 + (size_t)(rnd(seed) % most);
		n = n < b->len - at ? n : b->len - at;
		ks_yearscan_feed(ys, b->p + at, n);
		at += n;
	}
	ks_yearscan_end(ys);
}

static void
scan_equal(const struct ks_yearscan *a, const struct ks_yearscan *b)
{
	assert_int_equal(a->seen, b->seen);
	assert_int_equal(a->crossings, b->crossings);
	assert_int_equal(a->last_pos, b->last_pos);
	assert_int_equal(a->last_month, b->last_month);
	assert_int_equal(a->last_day, b->last_day);
}

static void
test_scan_chunks(void **state)
{
	static const size_t most[] = { 1, 3, 19, 20, 21, 64, 4096, 1 << 20 };
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	struct ks_yearscan want, got;
	struct ks_buf b;
	FILE *f;

	(void)state;
	for (int round = 0; round < 40; round++) {
		ks_buf_init(&b);
		for (int i = 0; i < 400; i++) {
			hostile_line(&b, &seed);
			if (i < 399 || round % 2)
				ks_buf_addc(&b, '\n');
		}
		assert_non_null(f = tmpfile());
		assert_int_equal(fwrite(b.p, 1, b.len, f), b.len);
		assert_int_equal(fflush(f), 0);
		scan_by_lines(fileno(f), &want);
		fclose(f);
		assert_true(want.seen);
		for (size_t i = 0; i < sizeof(most) / sizeof(most[0]); i++) {
			scan_by_chunks(&b, most[i], &seed, &got);
			scan_equal(&want, &got);
		}
		ks_buf_free(&b);
	}
}

static void
test_stream_reference(void **state)
{
	struct ks_year y;
	struct tm ref = tm_of(2026, 1, 5);

	(void)state;
	ks_year_init_ref(&y, &ref);
	/* a December line read on Jan 5 is from last December */
	assert_int_equal(ks_year_next(&y, 12, 31, 0), 2025);
	assert_int_equal(ks_year_next(&y, 1, 2, 0), 2026);
	ks_year_init_ref(&y, &ref);
	assert_int_equal(ks_year_next(&y, 1, 5, 0), 2026);
	ks_year_init_ref(&y, &ref);
	assert_int_equal(ks_year_next(&y, 1, 7, 0), 2025);
}

static void
test_fixed(void **state)
{
	struct ks_year y;

	(void)state;
	ks_year_init(&y, 1997, true);
	assert_int_equal(ks_year_next(&y, 12, 1, 0), 1997);
	assert_int_equal(ks_year_next(&y, 1, 1, 0), 1997);
}

static void
test_civil(void **state)
{
	int64_t y;
	unsigned m, d;

	(void)state;
	assert_int_equal(ks_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(ks_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(ks_days_from_civil(1969, 12, 31), -1);
	for (int64_t z = -800000; z < 800000; z += 997) {
		ks_civil_from_days(z, &y, &m, &d);
		assert_int_equal(ks_days_from_civil(y, m, d), z);
	}
}

/*
 * The remembered day number against the computed one: the date ks_tz_init
 * leaves, runs of one date, jumps back and forth, dates out of range.
 */
static void
test_days_memo(void **state)
{
	static const int64_t years[] = { 2026, 1969, 0, -1, 9999, 1 };
	struct ks_tz tz;
	uint32_t r = 1;

	(void)state;
	assert_int_equal(ks_tz_init(&tz, "UTC", NULL), 0);
	assert_int_equal(ks_tz_days(&tz, 1970, 1, 1), 0);
	assert_int_equal(ks_tz_days(&tz, 0, 0, 0), ks_days_from_civil(0, 0, 0));
	for (int i = 0; i < 20000; i++) {
		int64_t y;
		unsigned m, d;

		r = r * 1103515245u + 12345u;
		y = years[(r >> 8) % 6] + (r >> 20) % 3;
		m = (r >> 4) % 18;
		d = (r >> 11) % 34;
		if (i % 7 == 0)
			y = (r & 1) ? INT64_C(1) << 50 : -(INT64_C(1) << 50);
		for (int k = 0; k < 3; k++)
			assert_int_equal(ks_tz_days(&tz, y, m, d),
			    ks_days_from_civil(y, m, d));
	}
}

static void
fmt_equal(int64_t us, int32_t off, const char *want)
{
	struct ks_buf b;

	ks_buf_init(&b);
	ks_time_format(&b, us, off);
	ks_buf_addc(&b, '\0');
	assert_string_equal(b.p, want);
	ks_buf_free(&b);
}

static void
test_format(void **state)
{
	(void)state;
	fmt_equal(0, 0, "1970-01-01T00:00:00+00:00");
	fmt_equal(890532847000000LL, 9 * 3600, "1998-03-22T11:14:07+09:00");
	fmt_equal(1000001, -(5 * 3600 + 30 * 60), "1969-12-31T18:30:01.000001-05:30");
	fmt_equal(-1, 0, "1969-12-31T23:59:59.999999+00:00");
}

static void
test_zone_rules(void **state)
{
	struct ks_tz tz;
	int64_t us;

	(void)state;
	assert_int_equal(ks_tz_init(&tz, "America/New_York", NULL), 0);
	/* 2026-07-01 12:00 local is EDT, 2026-01-01 12:00 is EST */
	assert_int_equal(ks_tz_offset_local(&tz,
	    ks_days_from_civil(2026, 7, 1) * 86400 + 12 * 3600), -4 * 3600);
	assert_int_equal(ks_tz_offset_local(&tz,
	    ks_days_from_civil(2026, 1, 1) * 86400 + 12 * 3600), -5 * 3600);
	assert_int_equal(ks_tz_offset_utc(&tz,
	    ks_days_from_civil(2026, 7, 1) * 86400), -4 * 3600);
	assert_int_equal(ks_time_parse_user("2026-07-01T12:00", &tz, 0, &us,
	    NULL), 0);
	assert_int_equal(us, (ks_days_from_civil(2026, 7, 1) * 86400 +
	    16 * 3600) * 1000000LL);
	assert_int_equal(ks_tz_init(&tz, "Asia/Tokyo", NULL), 0);
	assert_int_equal(ks_tz_offset_local(&tz, 0), 9 * 3600);
	assert_int_equal(ks_tz_init(&tz, "Not/AZone", NULL), -1);
	assert_int_equal(ks_tz_init(&tz, "../../etc/passwd", NULL), -1);
	assert_int_equal(ks_tz_init(&tz, "-05:30", NULL), 0);
	assert_int_equal(ks_tz_offset_local(&tz, 12345), -(5 * 3600 + 1800));
}

static void
test_user_times(void **state)
{
	struct ks_tz tz;
	struct ks_err err;
	int64_t us, now = 1000000000LL * 1000000;

	(void)state;
	assert_int_equal(ks_tz_init(&tz, "+09:00", NULL), 0);
	assert_int_equal(ks_time_parse_user("2h", &tz, now, &us, NULL), 0);
	assert_int_equal(us, now - 7200LL * 1000000);
	assert_int_equal(ks_time_parse_user("7d", &tz, now, &us, NULL), 0);
	assert_int_equal(us, now - 7 * 86400LL * 1000000);
	assert_int_equal(ks_time_parse_user("1998-03-22", &tz, now, &us, NULL), 0);
	assert_int_equal(us, (ks_days_from_civil(1998, 3, 22) * 86400 -
	    9 * 3600) * 1000000LL);
	assert_int_equal(ks_time_parse_user("1998-03-22T03:14:07Z", &tz, now,
	    &us, NULL), 0);
	assert_int_equal(us, (ks_days_from_civil(1998, 3, 22) * 86400 +
	    3 * 3600 + 14 * 60 + 7) * 1000000LL);
	assert_int_equal(ks_time_parse_user("yesterday", &tz, now, &us, &err), -1);
	assert_non_null(strstr(err.msg, "yesterday"));
	assert_int_equal(ks_time_parse_user("99999999999999999d", &tz, now, &us,
	    &err), -1);
	assert_int_equal(ks_time_parse_user("1998-03-22T03:14:07+09:00junk",
	    &tz, now, &us, &err), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_year),
		cmocka_unit_test(test_mtime_anchor),
		cmocka_unit_test(test_disorder),
		cmocka_unit_test(test_scan_chunks),
		cmocka_unit_test(test_stream_reference),
		cmocka_unit_test(test_fixed),
		cmocka_unit_test(test_civil),
		cmocka_unit_test(test_days_memo),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_zone_rules),
		cmocka_unit_test(test_user_times),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
