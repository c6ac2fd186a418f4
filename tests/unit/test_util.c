/*
 * test_util.c - the buffer and the escaping of hostile bytes: every
 * control character, ESC sequences, C1 controls, NUL and invalid UTF-8
 * must come out visible and harmless, valid UTF-8 unchanged.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/util.h"

static void
json_equal(const char *in, size_t n, const char *want)
{
	struct ks_buf b;

	ks_buf_init(&b);
	ks_escape_json(&b, in, n);
	ks_buf_addc(&b, '\0');
	assert_false(ks_buf_failed(&b));
	assert_string_equal(b.p, want);
	ks_buf_free(&b);
}

static void
text_equal(const char *in, size_t n, const char *want)
{
	struct ks_buf b;

	ks_buf_init(&b);
	ks_escape_text(&b, in, n);
	ks_buf_addc(&b, '\0');
	assert_string_equal(b.p, want);
	ks_buf_free(&b);
}

static void
test_json_escape(void **state)
{
	(void)state;
	json_equal("plain", 5, "plain");
	json_equal("a\"b\\c", 5, "a\\\"b\\\\c");
	json_equal("\t\n\r", 3, "\\t\\n\\r");
	json_equal("\x1b[31mred", 8, "\\u001b[31mred");
	json_equal("a\0b", 3, "a\\u0000b");
	json_equal("\x7f", 1, "\\u007f");
	/* U+009B (CSI) in UTF-8 */
	json_equal("\xc2\x9b" "2J", 4, "\\u009b2J");
	/* invalid UTF-8: lone byte, truncated sequence, overlong, surrogate */
	json_equal("\xff", 1, "\\\\xff");
	json_equal("\xe3\x81", 2, "\\\\xe3\\\\x81");
	json_equal("\xc0\xaf", 2, "\\\\xc0\\\\xaf");
	json_equal("\xed\xa0\x80", 3, "\\\\xed\\\\xa0\\\\x80");
	/* valid UTF-8 passes: Japanese, and a 4-byte emoji */
	json_equal("観察", strlen("観察"), "観察");
	json_equal("\xf0\x9f\x98\x80", 4, "\xf0\x9f\x98\x80");
	json_equal("\xc2\xa0", 2, "\xc2\xa0");
}

static void
test_text_escape(void **state)
{
	(void)state;
	text_equal("a\\b", 3, "a\\\\b");
	text_equal("\x1b]0;owned\x07", 10, "\\e]0;owned\\x07");
	text_equal("line\nfake", 9, "line\\nfake");
	text_equal("\r", 1, "\\r");
	text_equal("\xc2\x9b", 2, "\\xc2\\x9b");
	text_equal("\xff\xfe", 2, "\\xff\\xfe");
	/* U+FFFE and U+FFFF, which XML cannot carry; U+FFFD can */
	text_equal("\xef\xbf\xbf\xef\xbf\xbe", 6,
	    "\\xef\\xbf\\xbf\\xef\\xbf\\xbe");
	text_equal("\xef\xbf\xbd", 3, "\xef\xbf\xbd");
	text_equal("名前", strlen("名前"), "名前");
}

static void
test_utf8_seq(void **state)
{
	(void)state;
	assert_int_equal(ks_utf8_seq((const unsigned char *)"a", 1), 1);
	assert_int_equal(ks_utf8_seq((const unsigned char *)"\xc3\xa9", 2), 2);
	assert_int_equal(ks_utf8_seq((const unsigned char *)"\xc3", 1), 0);
	assert_int_equal(ks_utf8_seq((const unsigned char *)"\xf4\x90\x80\x80", 4), 0);
	assert_int_equal(ks_utf8_seq((const unsigned char *)"\xf4\x8f\xbf\xbf", 4), 4);
	assert_int_equal(ks_utf8_seq((const unsigned char *)"\xe0\x80\x80", 3), 0);
}

static void
test_buf(void **state)
{
	struct ks_buf b;
	char big[100000];

	(void)state;
	ks_buf_init(&b);
	ks_buf_addu(&b, 0);
	ks_buf_addc(&b, ' ');
	ks_buf_addu(&b, UINT64_MAX);
	ks_buf_addc(&b, ' ');
	ks_buf_addi(&b, INT64_MIN);
	ks_buf_addc(&b, ' ');
	ks_buf_addf(&b, "%s-%d", "x", 42);
	ks_buf_addc(&b, '\0');
	assert_string_equal(b.p,
	    "0 18446744073709551615 -9223372036854775808 x-42");
	ks_buf_reset(&b);
	memset(big, 'z', sizeof(big));
	ks_buf_add(&b, big, sizeof(big));
	assert_int_equal(b.len, sizeof(big));
	assert_true(b.cap >= sizeof(big));
	assert_false(ks_buf_reserve(&b, SIZE_MAX));
	assert_true(ks_buf_failed(&b));
	/* after a failure appends are ignored */
	ks_buf_add(&b, "more", 4);
	assert_int_equal(b.len, sizeof(big));
	ks_buf_free(&b);
}

static void
test_err(void **state)
{
	struct ks_err err;
	char longarg[2000];

	(void)state;
	assert_int_equal(ks_err_set(&err, "%s: %d", "x", 5), -1);
	assert_string_equal(err.msg, "x: 5");
	assert_int_equal(ks_err_set(NULL, "ignored"), -1);
	memset(longarg, 'a', sizeof(longarg) - 1);
	longarg[sizeof(longarg) - 1] = '\0';
	ks_err_set(&err, "%s", longarg);
	assert_int_equal(strlen(err.msg), sizeof(err.msg) - 1);
	assert_true(ks_str_eq(ks_str_make("abc", 3), "abc"));
	assert_false(ks_str_eq(ks_str_make("abc", 2), "abc"));
	assert_true(ks_str_eq(KS_STR_NULL, ""));
}

/*
 * The bounded map: grows from its small start through many doublings,
 * finds every key, refuses a put when full, and evicts oldest first,
 * also after the ring wrapped and the table grew in between.
 */
static void
test_map(void **state)
{
	struct ks_map *m;
	struct ks_err err;
	char key[80];
	size_t v;
	int n;

	(void)state;
	assert_int_equal(ks_map_new(&m, 1000, &err), 0);
	for (size_t i = 0; i < 1000; i++) {
		n = snprintf(key, sizeof(key), "k%zu", i);
		assert_int_equal(ks_map_put(m, key, (size_t)n, i, &err), 0);
	}
	assert_int_equal(ks_map_count(m), 1000);
	assert_int_equal(ks_map_put(m, "new", 3, 1, &err), -1);
	assert_int_equal(ks_map_put(m, "k7", 2, 77, &err), 0);
	for (size_t i = 0; i < 1000; i++) {
		n = snprintf(key, sizeof(key), "k%zu", i);
		assert_true(ks_map_get(m, key, (size_t)n, &v));
		assert_int_equal(v, i == 7 ? 77 : i);
	}
	for (size_t i = 0; i < 600; i++) {
		assert_true(ks_map_evict_oldest(m, &v));
		assert_int_equal(v, i == 7 ? 77 : i);
	}
	for (size_t i = 1000; i < 1600; i++) {
		n = snprintf(key, sizeof(key), "k%zu", i);
		assert_int_equal(ks_map_put(m, key, (size_t)n, i, &err), 0);
	}
	for (size_t i = 600; i < 1600; i++) {
		assert_true(ks_map_evict_oldest(m, &v));
		assert_int_equal(v, i);
	}
	assert_false(ks_map_evict_oldest(m, &v));
	assert_false(ks_map_get(m, "k5", 2, &v));
	assert_int_equal(ks_map_evicted(m), 1600);
	/* keys held in the slot and on the heap alike (up to 36 bytes and
	 * over), differing only past the first 34 */
	for (size_t i = 0; i < 300; i++) {
		n = snprintf(key, sizeof(key), "%034zu%s", (size_t)0,
		    i % 3 == 0 ? "" : i % 3 == 1 ? "x" : "-a-longer-tail");
		n += snprintf(key + n, sizeof(key) - (size_t)n, "%zu", i);
		assert_int_equal(ks_map_put(m, key, (size_t)n, i, &err), 0);
	}
	for (size_t i = 0; i < 300; i++) {
		n = snprintf(key, sizeof(key), "%034zu%s", (size_t)0,
		    i % 3 == 0 ? "" : i % 3 == 1 ? "x" : "-a-longer-tail");
		n += snprintf(key + n, sizeof(key) - (size_t)n, "%zu", i);
		assert_true(ks_map_get(m, key, (size_t)n, &v));
		assert_int_equal(v, i);
	}
	assert_false(ks_map_get(m, key, 36, &v));
	ks_map_free(m);
}

/*
 * The map's ring as a cache of recent entries: the oldest can be looked
 * at, renewed (it goes last, also when the ring is full and wraps), or
 * expired, which unlike eviction is not counted.
 */
static void
test_map_renew(void **state)
{
	static const size_t want[] = { 5, 6, 7, 0, 1, 99, 4 };
	struct ks_map *m;
	struct ks_err err;
	char key[16];
	size_t v;
	int n;

	(void)state;
	assert_int_equal(ks_map_new(&m, 8, &err), 0);
	assert_false(ks_map_oldest(m, &v));
	assert_false(ks_map_expire_oldest(m, &v));
	ks_map_renew_oldest(m);
	for (size_t i = 0; i < 8; i++) {
		n = snprintf(key, sizeof(key), "k%zu", i);
		assert_int_equal(ks_map_put(m, key, (size_t)n, i, &err), 0);
	}
	/* 0 and 1 renewed: the order is 2..7, 0, 1 */
	for (size_t i = 0; i < 2; i++) {
		assert_true(ks_map_oldest(m, &v));
		assert_int_equal(v, i);
		ks_map_renew_oldest(m);
	}
	assert_true(ks_map_oldest(m, &v));
	assert_int_equal(v, 2);
	assert_true(ks_map_expire_oldest(m, &v));
	assert_int_equal(v, 2);
	assert_true(ks_map_evict_oldest(m, &v));
	assert_int_equal(v, 3);
	/* a new key goes after the renewed ones */
	assert_int_equal(ks_map_put(m, "new", 3, 99, &err), 0);
	ks_map_renew_oldest(m);             /* 4 goes after "new" */
	for (size_t i = 0; i < 7; i++) {
		assert_true(ks_map_oldest(m, &v));
		assert_int_equal(v, want[i]);
		assert_true(ks_map_expire_oldest(m, &v));
		assert_int_equal(v, want[i]);
	}
	assert_int_equal(ks_map_count(m), 0);
	assert_int_equal(ks_map_evicted(m), 1);
	assert_false(ks_map_get(m, "k4", 2, &v));
	ks_map_free(m);
}

/*
 * Addresses and networks: IPv4 read in place as inet_pton reads it, and
 * a network holding only addresses of the family it was written in.
 */
static void
test_addr(void **state)
{
	static const char *const bad4[] = { "", "1.2.3", "1.2.3.4.", "256.1.1.1",
	    "01.2.3.4", "1.2.3.4 ", "1..2.3", "1.2.3.1000", "a.b.c.d" };
	static const uint8_t mapped[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff, 192, 0, 2, 1 };
	uint8_t a[16], four[4];
	struct ks_cidr c;

	(void)state;
	/* against inet_pton on strings of digits and dots (and a stray) */
	for (uint32_t seed = 1, k = 0; k < 300000; k++) {
		static const char alpha[] = "0123456789.....12x";
		char s[20];
		size_t len;
		uint8_t mine[4], want[4];
		bool ok;

		seed = seed * 1103515245u + 12345u;
		len = (seed >> 16) % 17;
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			s[i] = alpha[(seed >> 16) % (sizeof(alpha) - 1)];
		}
		s[len] = '\0';
		ok = inet_pton(AF_INET, s, want) == 1;
		if (ks_ipv4_parse(s, len, mine) != ok ||
		    (ok && memcmp(mine, want, 4) != 0))
			fail_msg("'%s': inet_pton says %d", s, ok);
	}
	assert_true(ks_ipv4_parse("0.0.0.0", 7, four));
	assert_true(ks_ipv4_parse("255.255.255.255x", 15, four));
	assert_int_equal(four[3], 255);
	for (size_t i = 0; i < sizeof(bad4) / sizeof(*bad4); i++)
		if (ks_ipv4_parse(bad4[i], strlen(bad4[i]), four))
			fail_msg("'%s' taken for IPv4", bad4[i]);
	assert_true(ks_addr_parse("192.0.2.1", 9, a));
	assert_memory_equal(a, mapped, 16);
	assert_true(ks_addr_is_v4(a));
	assert_true(ks_addr_parse("::ffff:192.0.2.1", 16, a));
	assert_memory_equal(a, mapped, 16);
	assert_true(ks_addr_parse("2001:db8::1", 11, a));
	assert_false(ks_addr_is_v4(a));
	assert_false(ks_addr_parse("host.example", 12, a));
	assert_false(ks_addr_parse("fe80::1%eth0", 12, a));

	assert_true(ks_cidr_parse("192.114.84.0/23", &c));
	assert_true(ks_cidr_contains(&c, "192.114.85.56"));
	assert_false(ks_cidr_contains(&c, "192.114.86.1"));
	assert_false(ks_cidr_contains(&c, "::ffff:c072:5401:1"));
	assert_true(ks_cidr_parse("0.0.0.0/0", &c));
	assert_true(ks_cidr_contains(&c, "203.0.113.9"));
	assert_false(ks_cidr_contains(&c, "2001:db8::1"));
	assert_true(ks_cidr_parse("::/0", &c));
	assert_true(ks_cidr_contains(&c, "2001:db8::1"));
	assert_false(ks_cidr_contains(&c, "203.0.113.9"));
	assert_true(ks_cidr_parse("fe80::/10", &c));
	assert_true(ks_cidr_contains(&c, "febf::1"));
	assert_false(ks_cidr_contains(&c, "fec0::1"));
	assert_true(ks_cidr_parse("10.1.2.3", &c));
	assert_true(ks_cidr_contains(&c, "10.1.2.3"));
	assert_false(ks_cidr_contains(&c, "10.1.2.4"));
	assert_false(ks_cidr_contains(&c, "not an address"));
	assert_false(ks_cidr_parse("10.0.0.0/33", &c));
	assert_false(ks_cidr_parse("2001:db8::/129", &c));
	assert_false(ks_cidr_parse("10.0.0.0/", &c));
	assert_false(ks_cidr_parse("10.0.0.0/+8", &c));
	assert_false(ks_cidr_parse("10.0.0.0/ 8", &c));
	assert_false(ks_cidr_parse("10.0.0.0/0008", &c));
	assert_false(ks_cidr_parse("nonsense/8", &c));
}

/* Address text as inet_ntop writes it, IPv4-mapped as plain IPv4. */
static void
test_addr_format(void **state)
{
	static const char *const forms[][2] = {
		{ "::ffff:192.0.2.1", "192.0.2.1" }, { "::", "::" },
		{ "::1", "::1" }, { "2001:DB8:0:0:1:0:0:1", "2001:db8::1:0:0:1" },
		{ "::192.0.2.1", "::192.0.2.1" }, { "1::", "1::" },
		{ "0.9.10.255", "0.9.10.255" },
	};
	char text[KS_ADDR_TEXT];
	uint8_t a[16];

	(void)state;
	for (size_t i = 0; i < sizeof(forms) / sizeof(*forms); i++) {
		assert_true(ks_addr_parse(forms[i][0], strlen(forms[i][0]), a));
		assert_int_equal(ks_addr_format(a, text), strlen(forms[i][1]));
		assert_string_equal(text, forms[i][1]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_escape),
		cmocka_unit_test(test_text_escape),
		cmocka_unit_test(test_utf8_seq),
		cmocka_unit_test(test_buf),
		cmocka_unit_test(test_err),
		cmocka_unit_test(test_map),
		cmocka_unit_test(test_map_renew),
		cmocka_unit_test(test_addr),
		cmocka_unit_test(test_addr_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
